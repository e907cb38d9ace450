/**
 * A pane whose program had exited (remain-on-exit keeps it, dead) comes back
 * as a shell in the pane's directory: where its shell last was, as the
 * snapshot before its end saw it, or else where it was started. tmux has
 * no current path for a dead pane; without this the pane came back wherever
 * restore happened to run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { sendKeys, sendText } from '../../src/tmux/index.js';
import { restoreUser } from './helpers.js';

test('a dead pane comes back in its directory, not in the restoring process\'s', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  const started = join(u.dir, 'started here');
  const moved = join(u.dir, 'moved there');
  mkdirSync(started);
  mkdirSync(moved);
  const path = async (pane: string) => (await t.run('display-message', '-p', '-t', pane, '#{pane_current_path}')).trim();

  await t.run('new-session', '-d', '-s', 'd', '-c', started);
  await t.run('set-option', '-g', 'remain-on-exit', 'on');
  // Window 0: its shell moves, a snapshot sees it there, then the shell exits.
  await waitForCommand(t, 'd:0', 'bash');
  await sendText(t.client, 'd:0', `cd ${JSON.stringify(moved)}`);
  await sendKeys(t.client, 'd:0', 'Enter');
  await waitFor(async () => (await path('d:0')) === moved, 10_000, 'the shell in its new folder');
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);
  await sendText(t.client, 'd:0', 'exit');
  await sendKeys(t.client, 'd:0', 'Enter');
  // Window 1: dead from the start, never seen alive.
  await t.run('new-window', '-d', '-t', 'd:1', '-c', started);
  await t.run('respawn-pane', '-k', '-t', 'd:1', '-c', started, 'sh -c "exit 3"');
  const dead = async () => (await t.run('list-panes', '-s', '-t', 'd', '-F', '#{pane_dead}')).split('\n').filter(Boolean);
  await waitFor(async () => (await dead()).every((x) => x === '1'), 10_000, 'both panes dead');

  const snap = await runCli(['snapshot'], u.env);
  assert.equal(snap.code, 0, snap.stderr);
  const saved = JSON.parse((await runCli(['snapshot', 'show', 'latest', '--json'], u.env)).stdout);
  assert.deepEqual(saved.sessions[0].windows.map((w: { panes: { dead: boolean; cwd: string }[] }) => [w.panes[0]!.dead, w.panes[0]!.cwd]), [[true, moved], [true, started]]);

  await t.kill();
  const r = await runCli(['restore'], u.env); // runs in the user's home
  assert.equal(r.code, 0, r.stderr);
  await waitForCommand(t, 'd:0', 'bash');
  await waitForCommand(t, 'd:1', 'bash');
  await waitFor(async () => (await path('d:0')) === moved && (await path('d:1')) === started, 10_000, 'the restored shells in their folders')
    .catch(async () => assert.deepEqual([await path('d:0'), await path('d:1')], [moved, started]));
});
