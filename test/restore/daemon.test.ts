/**
 * The restore service in a real daemon: it restores by itself at start when
 * the tmux server has none of the latest snapshot's sessions, sends one
 * notification saying so (to a real webhook), marks the sessions restored in
 * the listing until a browser terminal opens one, and snapshots after a
 * structural change. With [restore] auto = false it restores nothing and
 * leaves the snapshot alone.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { runCli, TestServer } from '../helpers/server.js';
import { sink } from '../notify/sink.js';
import { sendKeys, sendText } from '../../src/tmux/index.js';
import { notifyService } from '../../src/notify/daemon-service.js';
import { attentionService } from '../../src/attention/daemon-service.js';
import { createRestoreService, restoreService } from '../../src/restore/daemon-service.js';
import { snapshotStore } from '../../src/restore/restore.js';
import { resolvePaths } from '../../src/config/paths.js';
import { daemonFor, restoreUser } from './helpers.js';

test('at start the daemon restores a server that lost every session, says so once, and marks them until opened', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  await t.run('new-session', '-d', '-s', 'main', '-c', u.dir);
  await t.run('new-window', '-t', 'main:', '-n', 'logs');
  await t.run('new-session', '-d', '-s', 'scratch');
  await waitForCommand(t, 'main:0', 'bash');
  await sendText(t.client, 'main:0', 'echo BEFORE-THE-CRASH');
  await sendKeys(t.client, 'main:0', 'Enter');
  await waitFor(async () => (await t.run('capture-pane', '-p', '-t', 'main:0')).includes('BEFORE-THE-CRASH\n'), 5000, 'output');
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);

  const hook = await sink();
  after(() => hook.close());
  const add = await runCli(['notify', 'add', 'webhook', '--url', hook.url, '--allow-private', '--secret-file', '-'], u.env, 'a-secret-of-enough-length-1234567890\n');
  assert.equal(add.code, 0, add.stderr);

  await t.kill(); // the "reboot"
  const logs: string[] = [];
  const daemon = await daemonFor(u, t, undefined, logs);
  after(() => daemon.close());
  // The daemon has settled (roost serve's collection at rest waits for it) only once the restore is over.
  let restoring = true;
  void daemon.get(restoreService).startup.finally(() => (restoring = false));
  await daemon.settled;
  assert.equal(restoring, false, 'settled after the restore at start');
  const outcome = await daemon.get(restoreService).startup;
  assert.deepEqual(outcome?.restored.map((s) => s.name), ['main', 'scratch']);
  // The log's one line to look for after a reboot, at the level roost serve shows.
  assert.match(logs.join(''), /restore: restored 2 sessions from snapshot \d+/);

  // One notification, naming what came back and nothing from the screens.
  await waitFor(() => hook.received.length >= 1, 10_000, 'the restore notification');
  const body = JSON.parse(hook.received[0]!.body.toString('utf8'));
  const text = JSON.stringify(body);
  assert.match(text, /Restored 2 sessions after a restart/);
  assert.match(text, /main, scratch, from the snapshot of/);
  assert.doesNotMatch(text, /BEFORE-THE-CRASH/);

  // The listing carries the mark; a browser terminal opening the session clears it.
  const listed = await daemon.feed.refresh();
  assert.ok(listed.every((s) => typeof s.restored === 'number'), JSON.stringify(listed.map((s) => [s.name, s.restored])));
  assert.match(await t.run('capture-pane', '-p', '-S', '-', '-t', 'main:0'), /BEFORE-THE-CRASH/);
  const server = new TestServer(daemon, t, u.dir, u.env, [], false);
  const cookie = await server.login();
  const term = await server.terminal('main', { cookie });
  await term.hello();
  await waitFor(async () => (await daemon.feed.refresh()).find((s) => s.name === 'main')?.restored === undefined, 10_000, 'the mark cleared once opened');
  assert.equal((await daemon.feed.refresh()).find((s) => s.name === 'scratch')?.restored !== undefined, true, 'the other stays marked');
  term.ws.close();

  // The start-up snapshot is of the restored server.
  const latest = snapshotStore(resolvePaths(u.env)).latest().snapshot!;
  assert.equal(latest.server.pid, Number((await t.run('display-message', '-p', '#{pid}')).trim()));
  assert.equal(hook.received.length, 1, 'one message for the whole restore');
});

test('after a structural change the daemon snapshots (debounced); with auto off it restores nothing and keeps the snapshot', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  const quick = createRestoreService({ debounceMs: 200 });
  const daemon = await daemonFor(u, t, [notifyService, attentionService, quick]);
  await daemon.get(quick).startup;
  const store = snapshotStore(resolvePaths(u.env));
  assert.deepEqual(store.generations(), [], 'no sessions: nothing written');

  await t.run('new-session', '-d', '-s', 'one');
  await waitFor(() => store.latest().snapshot?.sessions.map((s) => s.name).join() === 'one', 15_000, 'a snapshot after the session appeared');
  await t.run('new-window', '-t', 'one:', '-n', 'two');
  await waitFor(() => store.latest().snapshot?.sessions[0]?.windows.length === 2, 15_000, 'a snapshot after the window appeared');
  await t.run('new-session', '-d', '-s', 'main');
  await waitFor(() => store.latest().snapshot?.sessions.length === 2, 15_000, 'a snapshot with main');
  const gen = store.latest().snapshot!.generation;
  await daemon.close();

  // auto = false: after the "reboot" (a login made main before the daemon came up), one is not restored, and
  // the daemon does not snapshot the new server over the last real one.
  mkdirSync(join(u.dir, 'config', 'roost'), { recursive: true });
  writeFileSync(join(u.dir, 'config', 'roost', 'config.toml'), '[restore]\nauto = false\n');
  await t.kill();
  await t.run('new-session', '-d', '-s', 'main');
  const second = await daemonFor(u, t, [notifyService, attentionService, quick]);
  after(() => second.close());
  assert.equal(await second.get(quick).startup, null);
  await t.run('new-session', '-d', '-s', 'other');
  await waitFor(async () => (await second.feed.refresh()).some((s) => s.name === 'other'), 5000, 'listing');
  assert.deepEqual(second.get(quick).pausedFor, ['one'], 'snapshots wait for the sessions of the last real one');
  assert.equal(store.latest().snapshot?.generation, gen, 'the snapshot of one/two stays the latest');
  // Once the user restores, snapshots go on.
  const r = await runCli(['restore'], u.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /restored 1 session from snapshot/);
  await waitFor(() => (store.latest().snapshot?.generation ?? 0) > gen, 15_000, 'snapshots resumed');
});

test('a window tmux names after its program is no structural change; a window someone renames is', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  await t.run('new-session', '-d', '-s', 'one', '-c', u.dir);
  await waitForCommand(t, 'one:0', 'bash');
  const quick = createRestoreService({ debounceMs: 200 });
  const daemon = await daemonFor(u, t, [notifyService, attentionService, quick]);
  after(() => daemon.close());
  await daemon.get(quick).startup;
  const store = snapshotStore(resolvePaths(u.env));
  const generation = () => store.latest().snapshot?.generation ?? 0;
  const first = generation();
  assert.ok(first >= 1, 'the snapshot at start');

  // The shell runs a program: tmux renames the window after it (automatic-rename), and the listing says so.
  await sendText(t.client, 'one:0', 'exec sleep 60');
  await sendKeys(t.client, 'one:0', 'Enter');
  await waitFor(async () => (await daemon.feed.refresh())[0]?.windows[0]?.name === 'sleep', 10_000, 'the window named after its program');
  assert.equal((await daemon.feed.refresh())[0]?.windows[0]?.autoName, true);
  // Ten debounce periods: a snapshot the rename asked for would be written by now.
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(generation(), first, 'no snapshot for a name tmux gave');

  await t.run('rename-window', '-t', 'one:0', 'mine');
  await waitFor(() => store.latest().snapshot?.sessions[0]?.windows[0]?.name === 'mine', 15_000, 'a snapshot after someone named the window');
  assert.equal(store.latest().snapshot?.sessions[0]?.windows[0]?.autoName, false);
  assert.equal((await daemon.feed.refresh())[0]?.windows[0]?.autoName, false);
});

test('after a reboot a session made before the daemon (a login\'s auto-attach) does not stop the restore of the others; a daemon restart alone brings back nothing ended', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  for (const name of ['main', 'notes', 'work']) await t.run('new-session', '-d', '-s', name, '-c', u.dir);
  await t.run('new-window', '-t', 'main:', '-n', 'saved-window');
  const snap = await runCli(['snapshot'], u.env);
  assert.equal(snap.code, 0, snap.stderr);
  const gen = Number(/snapshot (\d+):/.exec(snap.stdout)![1]);
  const hook = await sink();
  after(() => hook.close());
  const add = await runCli(['notify', 'add', 'webhook', '--url', hook.url, '--allow-private', '--secret-file', '-'], u.env, 'a-secret-of-enough-length-1234567890\n');
  assert.equal(add.code, 0, add.stderr);

  await t.kill(); // the "reboot"
  const made = await runCli(['new', 'main'], u.env); // a login's auto-attach beats the daemon
  assert.equal(made.code, 0, made.stderr);
  const quick = createRestoreService({ debounceMs: 200 });
  const daemon = await daemonFor(u, t, [notifyService, attentionService, quick]);
  let closed = false;
  after(() => (closed ? undefined : daemon.close()));
  const outcome = await daemon.get(quick).startup;
  assert.deepEqual(outcome?.restored.map((s) => s.name), ['notes', 'work']);
  // The daemon's server has a name (ROOST_TMUX_SOCKET): the commands said carry it, so they work as printed anywhere.
  const told = `main was already running; its saved windows: roost -L ${t.socket} kill main, then roost -L ${t.socket} restore --from ${gen} main`;
  assert.deepEqual(outcome?.skipped, [{ name: 'main', why: told }]);
  assert.equal(await t.run('list-windows', '-t', '=main', '-F', '#{window_name}').then((w) => w.includes('saved-window')), false, 'the running main is left alone');
  await waitFor(() => hook.received.length >= 1, 10_000, 'the restore notification');
  const text = JSON.stringify(JSON.parse(hook.received[0]!.body.toString('utf8')));
  assert.match(text, /Restored 2 sessions after a restart/);
  assert.ok(text.includes(told), text);
  // The start-up snapshot has every session, so a later restore still has main's saved windows at hand too.
  const store = snapshotStore(resolvePaths(u.env));
  assert.deepEqual(store.latest().snapshot?.sessions.map((s) => s.name).sort(), ['main', 'notes', 'work']);
  closed = true;
  await daemon.close();

  // Same tmux server, only the daemon restarts: a session someone ended is not brought back.
  await t.run('kill-session', '-t', '=notes');
  const again = await daemonFor(u, t, [notifyService, attentionService, quick]);
  after(() => again.close());
  assert.equal(await again.get(quick).startup, null);
  assert.deepEqual((await t.run('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean).sort(), ['main', 'work']);
});
