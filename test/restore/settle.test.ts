/**
 * The snapshot the daemon takes right after its restore at start (and any
 * snapshot soon after a restore) records what each restored pane stands for,
 * not a program still starting or a prompt whose typed line waits for Enter
 * (src/restore/pending.ts). Real processes: a shim that, like pyenv's, runs
 * through an exec script (here slowed down) before the program; a command
 * typed, not run, kept until the line is cleared.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { sendKeys, sendText } from '../../src/tmux/index.js';
import { restoreService } from '../../src/restore/daemon-service.js';
import { snapshotStore } from '../../src/restore/restore.js';
import { takeSnapshot } from '../../src/restore/snapshot.js';
import { SETTLE_S } from '../../src/restore/pending.js';
import { resolvePaths } from '../../src/config/paths.js';
import { daemonFor, restoreUser, script } from './helpers.js';

test('the snapshot after a restore keeps a program still starting and a typed line not yet run', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  // pyenv's way: shims/lrpy runs libexec/lr-exec lrpy, which puts the version's bin first on PATH and execs it.
  const mgr = join(u.dir, 'mgr');
  const vbin = join(mgr, 'versions', '1', 'bin');
  mkdirSync(vbin, { recursive: true });
  mkdirSync(join(mgr, 'shims'));
  mkdirSync(join(mgr, 'libexec'));
  copyFileSync('/bin/sleep', join(vbin, 'lrpy'));
  chmodSync(join(vbin, 'lrpy'), 0o755);
  const exec = join(mgr, 'libexec', 'lr-exec');
  script(exec, `#!/bin/sh\nprogram=$1; shift\n[ -e "$HOME/slow" ] && sleep 4\nPATH=${JSON.stringify(vbin)}:"$PATH" exec ${JSON.stringify(vbin)}/"$program" "$@"\n`);
  script(join(mgr, 'shims', 'lrpy'), `#!/bin/sh\nexec ${JSON.stringify(exec)} lrpy "$@"\n`);
  writeFileSync(join(u.dir, '.bash_profile'), `export PATH=${JSON.stringify(u.bin)}:${JSON.stringify(join(mgr, 'shims'))}:"$PATH"\nPS1='$ '\n`);
  mkdirSync(join(u.dir, 'config', 'roost'), { recursive: true });
  writeFileSync(join(u.dir, 'config', 'roost', 'config.toml'), '[restore]\nrelaunch = ["lrpy"]\n');

  await t.run('new-session', '-d', '-s', 'w', '-c', u.dir);
  await t.run('new-window', '-t', 'w:1', '-c', u.dir);
  for (const [pane, line] of [['w:0', 'lrpy 3600'], ['w:1', 'sleep 3601']] as const) {
    await waitForCommand(t, pane, 'bash');
    await sendText(t.client, pane, line);
    await sendKeys(t.client, pane, 'Enter');
  }
  await waitForCommand(t, 'w:0', 'lrpy');
  await waitForCommand(t, 'w:1', 'sleep');
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);

  writeFileSync(join(u.dir, 'slow'), ''); // from now on the shim takes 4 s to reach its program, as a cold pyenv can
  await t.kill(); // the "reboot"
  const daemon = await daemonFor(u, t);
  after(() => daemon.close());
  const outcome = await daemon.get(restoreService).startup;
  assert.deepEqual(outcome?.restored.map((s) => s.name), ['w']);
  assert.equal(outcome?.relaunched, 1);
  assert.equal(outcome?.typed, 1);

  const store = snapshotStore(resolvePaths(u.env));
  const programs = () => store.latest(t.client.socketPath()).snapshot!.sessions[0]!.windows.map((w) => w.panes[0]!.program);
  const [still, waiting] = programs();
  // Taken while lrpy was still lr-exec and sleep 3601 waited at the prompt: both as saved.
  assert.match(await t.run('display-message', '-p', '-t', 'w:0', '#{pane_current_command}'), /^sh/, 'the shim is still starting');
  assert.deepEqual(still?.typed ?? still?.commands, [['lrpy', '3600']]);
  assert.deepEqual(waiting?.commands, [['sleep', '3601']]);

  // Past the settling time (a clock moved on): lrpy runs as itself; the typed line still waits at the prompt, so it stays.
  await waitForCommand(t, 'w:0', 'lrpy');
  await waitFor(async () => (await t.run('capture-pane', '-p', '-t', 'w:1')).includes('$ sleep 3601'), 5000, 'the typed line');
  const later = () => takeSnapshot({ tmux: t.client, store, lines: 100, keep: 20, paneAgents: () => [], now: () => Date.now() + (SETTLE_S + 5) * 1000 });
  await later();
  const [settled, typed] = programs();
  assert.deepEqual(settled?.typed, [['lrpy', '3600']]);
  assert.deepEqual(settled?.commands, [[join(vbin, 'lrpy'), '3600']], 'as it runs now');
  assert.deepEqual(typed?.commands, [['sleep', '3601']], 'a typed line waiting for Enter is kept');

  // The line cleared (Ctrl-C): the pane is at its prompt, and is saved so.
  await sendKeys(t.client, 'w:1', 'C-c');
  await waitFor(async () => (await t.run('capture-pane', '-p', '-t', 'w:1')).trimEnd().endsWith('$'), 5000, 'a fresh prompt');
  await later();
  assert.equal(programs()[1], null);
});
