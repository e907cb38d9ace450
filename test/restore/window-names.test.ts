/**
 * A window tmux names after its program (automatic-rename) keeps its saved
 * name in the snapshots taken soon after a restore, while its pane has not
 * settled (src/restore/pending.ts): restore leaves the name to tmux, which
 * names it after the restore's wrapper (`sh`) or the shell a typed line
 * waits in (`bash`) meanwhile, and a second reboot would start the window
 * under that name.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { sendKeys, sendText } from '../../src/tmux/index.js';
import { restoreService } from '../../src/restore/daemon-service.js';
import { snapshotStore } from '../../src/restore/restore.js';
import { resolvePaths } from '../../src/config/paths.js';
import { takeSnapshot } from '../../src/restore/snapshot.js';
import { SETTLE_S } from '../../src/restore/pending.js';
import { daemonFor, paneLines, restoreUser } from './helpers.js';

test('the snapshot right after a restore keeps the names tmux gave the windows before the reboot', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  await t.run('new-session', '-d', '-s', 'w', '-c', u.dir);
  await t.run('new-window', '-t', 'w:1', '-c', u.dir);
  await t.run('new-window', '-t', 'w:2', '-n', 'mine', '-c', u.dir);
  for (const [pane, line] of [['w:0', 'sleep 3601'], ['w:1', 'true'], ['w:2', 'sleep 3602']] as const) {
    await waitForCommand(t, pane, 'bash');
    await sendText(t.client, pane, line);
    await sendKeys(t.client, pane, 'Enter');
  }
  const names = async () => (await paneLines(t, '#{window_name}'));
  await waitFor(async () => JSON.stringify(await names()) === '["sleep","bash","mine"]', 10_000, 'tmux to name the windows after their programs');
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);

  await t.kill(); // the "reboot"
  const daemon = await daemonFor(u, t);
  after(() => daemon.close());
  const outcome = await daemon.get(restoreService).startup;
  assert.deepEqual(outcome?.restored.map((s) => s.name), ['w']);
  assert.equal(outcome?.typed, 2);
  const store = snapshotStore(resolvePaths(u.env));
  const saved = () => store.latest(t.client.socketPath()).snapshot!.sessions[0]!.windows.map((w) => [w.name, w.autoName]);
  assert.deepEqual(saved(), [['sleep', true], ['bash', true], ['mine', false]], `the daemon's snapshot after its restore (tmux shows ${JSON.stringify(await names())})`);

  // Past the settling time (a clock moved on): the typed line still waits at the prompt, so its window stands for
  // the saved program, whatever tmux calls it now; the shell's window is named as tmux names it.
  await waitFor(async () => JSON.stringify(await names()) === '["bash","bash","mine"]', 10_000, 'tmux to name the windows after the shells');
  const later = () => takeSnapshot({ tmux: t.client, store, lines: 100, keep: 20, paneAgents: () => [], now: () => Date.now() + (SETTLE_S + 5) * 1000 });
  await later();
  assert.deepEqual(saved(), [['sleep', true], ['bash', true], ['mine', false]]);

  // The line cleared (Ctrl-C): the window is named as tmux names it.
  await sendKeys(t.client, 'w:0', 'C-c');
  await waitFor(async () => (await t.run('capture-pane', '-p', '-t', 'w:0')).trimEnd().endsWith('$'), 5000, 'a fresh prompt');
  await later();
  assert.deepEqual(saved()[0], ['bash', true]);
});
