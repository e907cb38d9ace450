/**
 * What restore says it started, it saw start: a program it ran again that
 * is no longer on the login shell's PATH leaves the pane at its shell
 * ("command not found"), and the summary does not count it relaunched; a
 * note names the pane. Real tmux, real login shell.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitForCommand } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { sendKeys, sendText } from '../../src/tmux/index.js';
import { restoreUser } from './helpers.js';

test('a program that does not start again is not counted relaunched; the note names its pane', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  mkdirSync(join(u.dir, 'config', 'roost'), { recursive: true });
  writeFileSync(join(u.dir, 'config', 'roost', 'config.toml'), '[restore]\nrelaunch = ["trainer", "tail"]\n');
  const trainer = join(u.bin, 'trainer');
  copyFileSync('/bin/sleep', trainer);
  chmodSync(trainer, 0o755);
  writeFileSync(join(u.dir, 'log'), 'x\n');

  await t.run('new-session', '-d', '-s', 'w', '-c', u.dir);
  await t.run('new-window', '-t', 'w:1', '-c', u.dir);
  for (const [pane, line] of [['w:0', 'trainer 3600'], ['w:1', 'tail -f log']] as const) {
    await waitForCommand(t, pane, 'bash');
    await sendText(t.client, pane, line);
    await sendKeys(t.client, pane, 'Enter');
  }
  await waitForCommand(t, 'w:0', 'trainer');
  await waitForCommand(t, 'w:1', 'tail');
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);

  await t.kill();
  rmSync(trainer); // gone by the time the machine comes back
  const r = await runCli(['restore'], u.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^restored 1 session from snapshot \d+; 1 program relaunched$/m);
  assert.match(r.stderr, /^roost restore: w:0\.0: trainer was not running 10 s after restore ran it; see the pane/m);
  assert.match(await t.run('capture-pane', '-p', '-t', 'w:0'), /trainer: command not found/);
});
