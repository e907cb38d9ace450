/**
 * Roost's own `main` layout (roost init's [sessions.main]) runs its windows
 * as command strings: `claude; exec "$SHELL"`. The pane's first process is
 * then a shell (`sh -c ...`) in the foreground of its terminal, with the
 * program as its child in the same group; the snapshot must record that
 * child as the program (and the agent's session), so a restore resumes
 * Claude and starts the followed log again instead of leaving bare shells.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { attentionService } from '../../src/attention/daemon-service.js';
import { layoutBlock } from '../../src/setup/layout.js';
import { daemonFor, restoreUser } from './helpers.js';

const SID = 'c0ffee00-0000-4000-8000-templatetest';

test('the claude and logs windows of roost init\'s main layout come back running: claude resumed, the log followed again', async () => {
  const u = restoreUser();
  const t = privateTmux({ ...u.env, FAKE_SESSION: SID });
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  const followed = join(u.dir, 'followed.log');
  writeFileSync(followed, 'first line\n');
  mkdirSync(join(u.dir, 'config', 'roost'), { recursive: true });
  writeFileSync(join(u.dir, 'config', 'roost', 'config.toml'), layoutBlock(`tail -F ${followed}`));

  const daemon = await daemonFor(u, t);
  after(() => daemon.close());
  const made = await runCli(['new', 'main'], { ...u.env, FAKE_SESSION: SID });
  assert.equal(made.code, 0, made.stderr);
  // tmux names the group leader (the sh running the command string), not tail: wait for tail's output instead.
  await waitFor(async () => (await t.run('capture-pane', '-p', '-t', 'main:1')).includes('first line'), 10_000, 'tail to show the log');
  const agentPane = (await t.run('display-message', '-p', '-t', 'main:0', '#{pane_id}')).trim();
  const paneAgents = daemon.get(attentionService).attention.paneAgents;
  await waitFor(() => paneAgents.get(agentPane)?.sessionId === SID, 15_000, 'the hook to report the agent\'s session id');

  const snap = await runCli(['snapshot'], u.env);
  assert.equal(snap.code, 0, snap.stderr);
  const show = await runCli(['snapshot', 'show', 'latest', '--json'], u.env);
  const panes = JSON.parse(show.stdout).sessions[0].windows.map((w: { panes: { program: unknown; agent: unknown }[] }) => w.panes[0]);
  assert.equal(panes[0].agent?.sessionId, SID, JSON.stringify(panes[0]));
  assert.deepEqual(panes[1].program?.commands, [['tail', '-F', followed]]);
  assert.equal(panes[2].program, null, 'the plain shell window is at its prompt');

  await t.kill();
  const r = await runCli(['restore'], u.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 agent conversation resumed; 1 program relaunched/);
  await waitFor(() => readFileSync(u.argvLog, 'utf8').trim().split('\n').length === 2, 15_000, 'claude to start again');
  assert.deepEqual(JSON.parse(readFileSync(u.argvLog, 'utf8').trim().split('\n')[1]!), ['--resume', SID]);
  await waitForCommand(t, 'main:1', 'tail');
});
