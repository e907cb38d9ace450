/**
 * A state folder whose path holds what a shell or tmux would read as code
 * (spaces, quotes, `$(...)`, `#{...}`, `#(...)`): the job's pipe-pane command
 * quotes it for the shell and escapes it for tmux's formats, so the log
 * lands where it should and nothing runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { jobsUser, runJob } from '../helpers/jobs.js';

test('a job logs into a state folder named like shell and tmux code, and runs none of it', async () => {
  // No "/" may go in a folder name: the canary is made wherever such a command would run (the tmux server's folder).
  const canary = `roost-canary-${process.pid}`;
  const u = jobsUser({}, `roost jobs '#{session_name}' #(touch ${canary}) $(touch ${canary}) "x" -`);
  assert.ok(u.home.includes("'#{session_name}'"));
  const name = await runJob(u, '--', 'echo', 'made it');
  const j = await u.waitJob(name, 'exited');
  assert.equal((await u.cli('logs', name)).stdout, 'made it\n');
  assert.ok(readdirSync(join(u.stateDir, 'jobs', String(j.id))).some((f) => f.endsWith('.log')));
  for (const where of [u.home, process.cwd(), tmpdir(), '/']) assert.equal(existsSync(join(where, canary)), false, `no command in the path ran (${where})`);
});
