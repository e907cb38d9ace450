/**
 * When snapshots go wrong: a damaged latest generation is skipped for the
 * one before (and said so); a damaged scrollback blob is said as damaged,
 * naming its file, and its pane comes back all the same (directory,
 * layout, program); a full or read-only state folder is a clear
 * error and leaves the earlier snapshots as they were. The full and
 * read-only folders are real: a small tmpfs mounted in a private mount
 * namespace (unshare -m), so nothing outside this test sees it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { CLI, runCli } from '../helpers/server.js';
import { snapshotStore } from '../../src/restore/restore.js';
import { resolvePaths } from '../../src/config/paths.js';
import { sendKeys, sendText } from '../../src/tmux/index.js';
import { layoutShape, paneLines, restoreUser } from './helpers.js';

test('a damaged newest generation: ls says so, restore uses the one before and says which', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  await t.run('new-session', '-d', '-s', 'first');
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);
  await t.run('new-session', '-d', '-s', 'second');
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);
  const store = snapshotStore(resolvePaths(u.env));
  assert.deepEqual(store.generations(), [2, 1]);
  // A crash mid-write in the style of tmux-continuum: the newest file cut short.
  writeFileSync(store.fileOf(2), '{"format":1,"generation":2,"sessions":[{"na');

  const ls = await runCli(['snapshot', 'ls'], u.env);
  assert.equal(ls.code, 0, ls.stderr);
  assert.match(ls.stdout, /^2 .* unreadable: snapshot 2 is not valid JSON \(damaged\)$/m);
  assert.match(ls.stdout, /^1 .* latest: first$/m);
  const show = await runCli(['snapshot', 'show', '2'], u.env);
  assert.deepEqual([show.code, show.stderr], [1, 'roost snapshot: snapshot 2 is not valid JSON (damaged)\n']);

  await t.kill();
  const r = await runCli(['restore'], u.env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, 'roost restore: snapshot 2 is not valid JSON (damaged); using snapshot 1, the newest readable one\n');
  assert.match(r.stdout, /restored 1 session from snapshot 1/);
  assert.equal((await t.run('list-sessions', '-F', '#{session_name}')).trim(), 'first');

  const doctor = await runCli(['doctor', '--json'], u.env);
  const check = JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'snapshots');
  assert.equal(check.level, 'warn');
  assert.match(check.message, /snapshot 2 is not valid JSON \(damaged\); restore would use snapshot 1/);

  const bad = await runCli(['restore', '--from', 'x'], u.env);
  assert.equal(bad.code, 2);
  const none = await runCli(['restore', '--from', '7'], u.env);
  assert.deepEqual([none.code, none.stderr], [1, 'roost restore: there is no snapshot 7\n']);
});

test('a damaged scrollback blob: said as damaged with its file; the pane still comes back in its directory, layout and program', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  const right = join(u.dir, 'right side');
  mkdirSync(right);
  const followed = join(u.dir, 'followed.log');
  writeFileSync(followed, 'followed line\n');
  await t.run('new-session', '-d', '-s', 'work', '-x', '160', '-y', '48', '-c', u.dir);
  await t.run('split-window', '-h', '-t', 'work:0', '-c', right);
  for (const p of ['work:0.0', 'work:0.1']) await waitForCommand(t, p, 'bash');
  const type = async (target: string, line: string) => {
    await sendText(t.client, target, line);
    await sendKeys(t.client, target, 'Enter');
  };
  await type('work:0.0', "seq 1 50 | sed 's/^/left /'");
  await type('work:0.1', `tail -f '${followed}'`);
  await waitForCommand(t, 'work:0.1', 'tail');
  await waitFor(async () => (await t.run('capture-pane', '-p', '-t', 'work:0.0')).includes('left 50'), 10_000, 'the left pane to print');
  const before = (await paneLines(t, '#{pane_index}|#{window_layout}')).map((l) => layoutShape(l.split('|')[1]!));
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);

  const store = snapshotStore(resolvePaths(u.env));
  const panes = store.read(1).sessions[0]!.windows[0]!.panes;
  const blobOf = (i: number) => join(store.blobDir, `${panes.find((p) => p.index === i)!.scrollback!.blob}.gz`);
  // Cut short, as a crash or a full disk mid-copy leaves it: present, but not whole gzip.
  const gz = readFileSync(blobOf(1));
  writeFileSync(blobOf(1), gz.subarray(0, gz.length >> 1));

  await t.kill();
  const r = await runCli(['restore'], u.env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, `roost restore: work:0.1: its saved scrollback is damaged (${blobOf(1)}: not valid gzip (unexpected end of file)); the pane is restored without it\n`);
  assert.match(r.stdout, /^restored 1 session from snapshot 1; 1 program relaunched$/m);

  // The rest of the pane: its directory, its program, the window's layout; the other pane its lines.
  await waitForCommand(t, 'work:0.1', 'tail', 15_000);
  assert.equal((await t.run('display-message', '-p', '-t', 'work:0.1', '#{pane_current_path}')).trim(), right);
  assert.deepEqual((await paneLines(t, '#{window_layout}')).map(layoutShape), before);
  await waitFor(async () => (await t.run('capture-pane', '-p', '-S', '-', '-t', 'work:0.1')).includes('followed line'), 10_000, 'tail to show the file again');
  const shown = await t.run('capture-pane', '-p', '-S', '-', '-t', 'work:0.1');
  assert.equal(shown.split('followed line').length - 1, 1, `tail's line alone, no saved lines:\n${shown}`);
  assert.match(shown, /restored from snapshot 1, /);
  await waitFor(async () => /left 50\n[\s\S]*restored from snapshot 1, /.test(await t.run('capture-pane', '-p', '-S', '-', '-t', 'work:0.0')), 10_000, 'the left pane\'s saved lines');
});

const canMount = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], { encoding: 'utf8' }).status === 0;

test('a full, then read-only state folder: a clear error, the earlier snapshot intact', { skip: canMount ? false : 'needs unshare -m and mount (root with CAP_SYS_ADMIN)' }, async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  await t.run('new-session', '-d', '-s', 'kept', '--', 'sh', '-c', 'seq 1 300; sleep 600');
  const state = join(u.dir, 'state');
  mkdirSync(state, { recursive: true });
  // One shell in a private mount namespace: the tmpfs exists only for it. Each step's output is fenced by a marker.
  const script = `
mount -t tmpfs -o size=1m,mode=0700 tmpfs "$STATE" || exit 99
step() { echo "=== $1"; shift; "$@" 2>&1; echo "=== rc $?"; }
step first node "$CLI" snapshot
tmux -L "$ROOST_TMUX_SOCKET" new-session -d -s more -- sh -c 'seq 1000 2000; sleep 600'
dd if=/dev/zero of="$STATE/filler" bs=4k 2>/dev/null
step full node "$CLI" snapshot
step ls-full node "$CLI" snapshot ls
rm -f "$STATE/filler"
mount -o remount,ro "$STATE"
step readonly node "$CLI" snapshot
step ls-ro node "$CLI" snapshot ls
`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script], { env: { ...u.env, STATE: state, CLI }, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const steps = Object.fromEntries([...r.stdout.matchAll(/=== (\S+)\n([\s\S]*?)=== rc (\d+)\n/g)].map((m) => [m[1], { out: m[2]!, rc: Number(m[3]) }]));
  assert.equal(steps['first']?.rc, 0, steps['first']?.out);
  assert.match(steps['first']!.out, /^snapshot 1: 1 session,/m);
  assert.equal(steps['full']?.rc, 1, steps['full']?.out);
  assert.match(steps['full']!.out, /roost snapshot: cannot write a snapshot in \S+\/snapshots: no space left on the device \(ENOSPC\); the earlier snapshots are unchanged/);
  assert.match(steps['ls-full']!.out, /^1 .* latest: kept$/m);
  assert.doesNotMatch(steps['ls-full']!.out, /^2 /m);
  assert.equal(steps['readonly']?.rc, 1, steps['readonly']?.out);
  assert.match(steps['readonly']!.out, /roost snapshot: cannot write a snapshot in \S+\/snapshots: the file system is read-only \(EROFS\); the earlier snapshots are unchanged/);
  assert.match(steps['ls-ro']!.out, /^1 .* latest: kept$/m);
});
