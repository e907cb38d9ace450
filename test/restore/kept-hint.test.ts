/**
 * The daemon's restore at start leaves a saved session alone when one of
 * its name already runs (a login made it first), and says how to get its
 * saved windows: `roost kill main, then roost restore --from GEN main`.
 * That message may be read much later, after more than `[restore] keep`
 * snapshots: the generation it names is kept for it (store.ts PIN_MS), so
 * the commands still work as printed, and `roost snapshot ls` says until when.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { restoreService } from '../../src/restore/daemon-service.js';
import { snapshotStore } from '../../src/restore/restore.js';
import { resolvePaths } from '../../src/config/paths.js';
import { daemonFor, restoreUser } from './helpers.js';

test('the generation a "was already running" message names outlives [restore] keep newer snapshots', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  mkdirSync(join(u.dir, 'config', 'roost'), { recursive: true });
  writeFileSync(join(u.dir, 'config', 'roost', 'config.toml'), '[restore]\nkeep = 2\n');
  await t.run('new-session', '-d', '-s', 'main', '-c', u.dir);
  await t.run('new-window', '-t', 'main:', '-n', 'saved-window');
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);

  await t.kill(); // the "reboot"
  assert.equal((await runCli(['new', 'main'], u.env)).code, 0); // a login's auto-attach beats the daemon
  const daemon = await daemonFor(u, t);
  after(() => daemon.close());
  const outcome = await daemon.get(restoreService).startup;
  const why = outcome?.skipped[0]?.why ?? '';
  const m = /its saved windows: roost (.+) kill main, then roost (.+ restore --from (\d+) main)$/.exec(why);
  assert.ok(m, why);

  // Read later: the daemon (and roost snapshot) took more than `keep` snapshots of this server meanwhile.
  for (let i = 0; i < 3; i++) assert.equal((await runCli(['snapshot'], u.env)).code, 0);
  const store = snapshotStore(resolvePaths(u.env));
  assert.ok(store.generations().length <= 3, `keep = 2, and the pinned one: ${store.generations().join(', ')}`);
  // snapshot ls says why it is still there.
  const ls = await runCli(['snapshot', 'ls'], u.env);
  assert.match(ls.stdout, new RegExp(`^${m[3]} .*kept until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d [+-]\\d\\d:\\d\\d: main$`, 'm'), ls.stdout);

  // The commands as printed.
  const kill = await runCli([...m[1]!.split(' '), 'kill', 'main'], u.env);
  assert.equal(kill.code, 0, kill.stderr);
  const r = await runCli(m[2]!.split(' '), u.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`from snapshot ${m[3]}`));
  assert.match(await t.run('list-windows', '-t', '=main', '-F', '#{window_name}'), /saved-window/);
});
