/**
 * A resumed agent keeps the user's own arguments: `claude --model opus`
 * comes back as `claude --resume ID --model opus`, without what named the
 * old conversation (`-c`) or a prompt (sent again it would redo its work).
 * The program under restore is the fake Claude Code of helpers.ts, which
 * records its argv and reports its session id through the real hook path.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { sendKeys, sendText } from '../../src/tmux/index.js';
import { attentionService } from '../../src/attention/daemon-service.js';
import { daemonFor, restoreUser } from './helpers.js';

const SID = 'a1b2c3d4-0000-4000-8000-agentargs001';
const SID2 = 'a1b2c3d4-0000-4000-8000-agentargs002';

test('an agent resumed after a restore keeps its own arguments, not its old conversation or prompt', async () => {
  const u = restoreUser();
  const t = privateTmux({ ...u.env, FAKE_SESSION: SID });
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  const daemon = await daemonFor(u, t);
  after(() => daemon.close());
  const paneAgents = daemon.get(attentionService).attention.paneAgents;

  await t.run('new-session', '-d', '-s', 'ai', '-c', u.dir);
  await t.run('new-window', '-t', 'ai:1', '-c', u.dir);
  const lines = [['ai:0', 'claude --model opus', SID], ['ai:1', `FAKE_SESSION=${SID2} claude --dangerously-skip-permissions -c --model sonnet 'fix the test'`, SID2]] as const;
  for (const [pane, line, sid] of lines) {
    await waitForCommand(t, pane, 'bash');
    await sendText(t.client, pane, line);
    await sendKeys(t.client, pane, 'Enter');
    const id = (await t.run('display-message', '-p', '-t', pane, '#{pane_id}')).trim();
    await waitFor(() => paneAgents.get(id)?.sessionId === sid, 15_000, `the hook to report ${sid}`);
  }
  const snap = await runCli(['snapshot'], u.env);
  assert.equal(snap.code, 0, snap.stderr);

  await t.kill(); // the "reboot"
  const dry = await runCli(['restore', '--dry-run'], u.env);
  assert.match(dry.stdout, new RegExp(`run {3}claude --resume ${SID} --model opus {3}\\(resumes claude session`));
  assert.match(dry.stdout, new RegExp(`run {3}claude --resume ${SID2} --dangerously-skip-permissions --model sonnet {3}\\(resumes`));
  const r = await runCli(['restore'], u.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /2 agent conversations resumed/);

  const started = () => readFileSync(u.argvLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
  await waitFor(() => started().length === 4, 15_000, 'both agents to start again');
  assert.deepEqual(started().slice(2).sort(), [
    ['--resume', SID, '--model', 'opus'],
    ['--resume', SID2, '--dangerously-skip-permissions', '--model', 'sonnet'],
  ]);
});
