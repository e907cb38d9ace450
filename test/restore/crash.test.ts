/**
 * tmux crashes (or is killed) while the daemon runs: the daemon goes on to
 * snapshot the next server (a login's `roost new main`), yet a plain `roost
 * restore` brings back what the crashed server had, from its newest
 * snapshot, which the new server's snapshots neither hide nor push out.
 * Once restored, this server's own snapshots count again: a session ended
 * on it afterwards is not brought back, by `roost restore` or by the daemon
 * at start.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { notifyService } from '../../src/notify/daemon-service.js';
import { attentionService } from '../../src/attention/daemon-service.js';
import { createRestoreService, restoreService } from '../../src/restore/daemon-service.js';
import { snapshotStore } from '../../src/restore/restore.js';
import { resolvePaths } from '../../src/config/paths.js';
import { daemonFor, layoutShape, paneLines, restoreUser } from './helpers.js';

const FORMAT = '#{session_name}:#{window_index}.#{pane_index}|#{window_name}|#{window_layout}|#{pane_current_path}|#{window_active}#{pane_active}';
const shape = (lines: string[]) => lines.map((l) => {
  const [id, name, layout, cwd, act] = l.split('|');
  return [id, name, layoutShape(layout!), cwd, act].join('|');
});
const names = (plan: string) => (JSON.parse(plan) as { sessions: { name: string }[] }).sessions.map((s) => s.name);

test('after tmux crashed while the daemon ran, roost restore brings back the crashed server\'s sessions, once', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  // keep = 2: the new server's snapshots would push the crashed one's out.
  mkdirSync(join(u.dir, 'config', 'roost'), { recursive: true });
  writeFileSync(join(u.dir, 'config', 'roost', 'config.toml'), '[restore]\nkeep = 2\n');
  const ok = async (...argv: string[]) => {
    const r = await runCli(argv, u.env);
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
    return r;
  };
  const src = join(u.dir, 'src');
  const docs = join(u.dir, 'docs');
  mkdirSync(src);
  mkdirSync(docs);
  const quick = createRestoreService({ debounceMs: 200 });
  const daemon = await daemonFor(u, t, [notifyService, attentionService, quick]);
  after(() => daemon.close());
  await daemon.get(quick).startup;
  const store = snapshotStore(resolvePaths(u.env));
  const latestNames = () => store.latest(t.client.socketPath()).snapshot?.sessions.map((s) => s.name).join() ?? '';

  // keep1: two windows, the first split in two, in two folders; keep2: one pane in docs.
  await ok('new', 'keep1', '-c', src);
  await t.run('split-window', '-h', '-t', 'keep1:0', '-c', docs);
  await t.run('new-window', '-t', 'keep1:', '-n', 'second', '-c', u.dir);
  await t.run('select-window', '-t', 'keep1:0');
  await ok('new', 'keep2', '-c', docs);
  for (const p of ['keep1:0.0', 'keep1:0.1', 'keep1:1.0', 'keep2:0.0']) await waitForCommand(t, p, 'bash');
  const before = shape(await paneLines(t, FORMAT));
  await waitFor(() => {
    const s = store.latest(t.client.socketPath()).snapshot;
    return s?.sessions.map((x) => x.name).join() === 'keep1,keep2' && s.sessions[0]!.windows.length === 2 && s.sessions[0]!.windows[0]!.panes.length === 2;
  }, 15_000, 'the daemon to snapshot keep1 and keep2');
  const crashed = store.latest(t.client.socketPath()).snapshot!.generation;

  await t.run('kill-server'); // tmux crashes
  await ok('new', 'main'); // a login's auto-attach starts a new server
  await waitFor(() => latestNames() === 'main', 15_000, 'the daemon to snapshot the new server');
  // More snapshots of the new server than [restore] keep.
  for (let i = 0; i < 3; i++) await ok('snapshot');
  assert.ok(store.generations().includes(crashed), `the crashed server's newest snapshot stays: ${store.generations().join(', ')}`);

  const dry = await ok('restore', '--dry-run');
  assert.match(dry.stdout, new RegExp(`^from snapshot ${crashed} `), dry.stdout);
  assert.match(dry.stdout, /^session keep1: 2 windows$/m);
  assert.match(dry.stdout, /^session keep2: 1 window$/m);
  assert.match(dry.stderr, new RegExp(`using snapshot ${crashed}, the newest of the tmux server that ran before this one`));
  assert.deepEqual(names((await ok('restore', '--dry-run', '--json')).stdout), ['keep1', 'keep2']);
  assert.deepEqual((await t.run('list-sessions', '-F', '#{session_name}')).trim().split('\n'), ['main'], '--dry-run changed nothing');

  const r = await ok('restore');
  assert.match(r.stdout, new RegExp(`^restoring 2 sessions from snapshot ${crashed} `));
  assert.match(r.stdout, /restored 2 sessions from snapshot/);
  let now: string[] = [];
  await waitFor(async () => {
    now = shape(await paneLines(t, FORMAT)).filter((l) => !l.startsWith('main:'));
    return JSON.stringify(now) === JSON.stringify(before);
  }, 10_000, 'the same windows, layouts and folders').catch(() => assert.deepEqual(now, before));

  // Restored once: this server now holds them, and a session ended on it afterwards was ended on purpose.
  assert.match((await ok('restore')).stdout, /^nothing to restore: every session of snapshot \d+ is running$/m);
  await ok('kill', 'keep2');
  await waitFor(() => latestNames() === 'keep1,main', 15_000, 'a snapshot without keep2');
  assert.deepEqual(names((await ok('restore', '--dry-run', '--json')).stdout), []);
  await daemon.close();
  const again = await daemonFor(u, t);
  after(() => again.close());
  assert.equal(await again.get(restoreService).startup, null, 'the daemon restarted on this server restores nothing');
  assert.deepEqual((await t.run('list-sessions', '-F', '#{session_name}')).trim().split('\n'), ['keep1', 'main']);
});

test('a server that roost restore already brought a reboot\'s snapshot onto is not restored again by the daemon at start', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  await t.run('new-session', '-d', '-s', 'one');
  await t.run('new-session', '-d', '-s', 'two');
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);
  await t.kill(); // the "reboot"
  const r = await runCli(['restore'], u.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /restored 2 sessions from snapshot/);
  assert.equal((await runCli(['kill', 'two'], u.env)).code, 0); // ended on purpose, before the daemon came up

  const daemon = await daemonFor(u, t);
  after(() => daemon.close());
  assert.equal(await daemon.get(restoreService).startup, null);
  assert.deepEqual((await t.run('list-sessions', '-F', '#{session_name}')).trim().split('\n'), ['one']);
});
