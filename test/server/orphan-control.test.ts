/**
 * A daemon killed with SIGKILL while it was not reading its tmux control
 * connection (busy, stopped, hung) leaves that `tmux -C` client attached for
 * good: tmux 3.3a lets it exit only once its queued output is written, which
 * no one will read. The next daemon ends it; other programs' control clients
 * stay.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnServe, tempUser } from '../helpers/server.js';
import { pidAlive, privateTmux, waitFor } from '../helpers/tmux.js';
import { processRuns } from '../../src/process/exists.js';

test('a control client left by a daemon killed with SIGKILL is ended by the next daemon; another program\'s stays', async () => {
  const { dir, env } = tempUser();
  const t = privateTmux(env);
  await t.run('new-session', '-d', '-s', 'work', 'sleep 600');
  const controlClients = async () => (await t.run('list-clients', '-F', '#{client_control_mode} #{client_pid}')).split('\n')
    .filter((l) => l.startsWith('1 ')).map((l) => Number(l.slice(2)));

  // Another program's control client with the same argv as Roost's, but no owner mark and a live parent (this test).
  const other = spawn('tmux', ['-L', t.socket, '-u', '-C', 'attach-session', '-f', 'no-output,ignore-size', '-t', 'work'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
  after(() => other.kill());
  const otherPid = other.pid!;
  await waitFor(async () => (await controlClients()).includes(otherPid), 10_000, 'the other program\'s control client');

  const a = spawnServe(['-L', t.socket, 'serve', '--port', '0'], env);
  await a.ready();
  const left = await waitFor(async () => (await controlClients()).find((p) => p !== otherPid) ?? null, 10_000, 'the daemon\'s control client');
  // The daemon stops reading; tmux queues notifications for it; then it is killed.
  a.child.kill('SIGSTOP');
  const cmds = join(dir, 'renames.tmux');
  writeFileSync(cmds, Array.from({ length: 6000 }, (_, i) => `rename-window -t =work:0 name${i}\n`).join(''));
  await t.run('source-file', cmds);
  a.child.kill('SIGKILL');
  await a.exited;
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok((await controlClients()).includes(left), 'the dead daemon\'s control client is still attached (the bug this test is about)');

  const b = spawnServe(['-L', t.socket, 'serve', '--port', '0'], env);
  await b.ready();
  await waitFor(async () => !(await controlClients()).includes(left) && !processRuns(left), 10_000, 'the left control client to be ended');
  assert.ok((await controlClients()).includes(otherPid), 'another program\'s control client is left alone');
  assert.ok(pidAlive(otherPid));
});
