/**
 * Pane numbers as the user sees them in tmux: with `pane-base-index 1` (as
 * Roost's own tmux.conf block sets it, and many users do), `roost snapshot
 * show`, `roost restore --dry-run` and restore's messages all call the same
 * pane by the same number, the one `C-b q` shows, and the restored pane has
 * that number again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitForCommand } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { THEN } from '../../src/tmux/index.js';
import { snapshotStore } from '../../src/restore/restore.js';
import { resolvePaths } from '../../src/config/paths.js';
import { restoreUser } from './helpers.js';

test('with pane-base-index 1, snapshot show, restore --dry-run and restore name a pane by the number tmux shows', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  // The user's tmux.conf: read by this server (sourced) and by the one restore starts after the "reboot".
  const conf = join(u.dir, '.tmux.conf');
  writeFileSync(conf, 'set -g base-index 1\nset -g pane-base-index 1\n');
  const left = join(u.dir, 'left');
  const right = join(u.dir, 'right');
  for (const d of [left, right]) mkdirSync(d);
  await t.run('start-server', THEN, 'source-file', conf, THEN, 'new-session', '-d', '-s', 'work', '-x', '160', '-y', '48', '-c', left);
  await t.run('split-window', '-h', '-t', 'work:1', '-c', right);
  for (const p of ['work:1.1', 'work:1.2']) await waitForCommand(t, p, 'bash');
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);

  const show = await runCli(['snapshot', 'show', '1'], u.env);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^ {4}pane 1[* ] ~\/left /m);
  assert.match(show.stdout, /^ {4}pane 2[* ] ~\/right /m);

  // A message that names a pane: the right one's saved lines are gone.
  const store = snapshotStore(resolvePaths(u.env));
  const blob = store.read(1).sessions[0]!.windows[0]!.panes.find((p) => p.index === 2)!.scrollback!.blob;
  writeFileSync(join(store.blobDir, `${blob}.gz`), 'not gzip');

  await t.kill();
  const dry = await runCli(['restore', '--dry-run'], u.env);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^ {4}pane 1 {2}~\/left /m);
  assert.match(dry.stdout, /^ {4}pane 2 {2}~\/right /m);

  const r = await runCli(['restore'], u.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^roost restore: work:1\.2: its saved scrollback /m);
  // The number said is the restored pane's number in tmux.
  assert.equal((await t.run('display-message', '-p', '-t', 'work:1.2', '#{pane_current_path}')).trim(), right);
  assert.equal((await t.run('display-message', '-p', '-t', 'work:1.1', '#{pane_current_path}')).trim(), left);
});
