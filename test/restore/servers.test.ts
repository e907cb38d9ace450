/**
 * Snapshots of every tmux server share one folder (`roost -L work
 * snapshot`): restore, by hand or by the daemon at start, takes the newest
 * snapshot of its own server, never another server's.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { restoreService } from '../../src/restore/daemon-service.js';
import { daemonFor, restoreUser } from './helpers.js';

/** A user with two private tmux servers (the default one is `t`), and `ok`: roost with that user's environment, which must succeed (its stdout). */
function twoServers() {
  const u = restoreUser();
  const t = privateTmux(u.env);
  const alt = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  const ok = async (...argv: string[]) => {
    const r = await runCli(argv, u.env);
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  return { u, t, alt, ok };
}

test('another server\'s newer snapshot is never restored onto this one, by hand or by the daemon at start', async () => {
  const { u, t, alt, ok } = twoServers();
  await ok('new', 'mine');
  await ok('snapshot');
  // The newest snapshot is the other server's.
  await ok('-L', alt.socket, 'new', 'theirs');
  await ok('-L', alt.socket, 'snapshot');

  await t.kill(); // this server's "reboot"
  const plan = JSON.parse(await ok('restore', '--dry-run', '--json')) as { sessions: { name: string }[] };
  assert.deepEqual(plan.sessions.map((s) => s.name), ['mine'], 'this server\'s own snapshot');
  assert.match(await ok('-L', alt.socket, 'restore', '--dry-run'), /nothing to restore|running/i, 'the other server has its session');

  const daemon = await daemonFor(u, t);
  after(() => daemon.close());
  const outcome = await daemon.get(restoreService).startup;
  assert.deepEqual(outcome?.restored.map((s) => s.name), ['mine']);
  assert.deepEqual((await t.run('list-sessions', '-F', '#{session_name}')).trim().split('\n'), ['mine']);
});

test('snapshot ls marks this server\'s newest as latest; a server with no snapshot of its own is told so, and where the others are', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  const alt = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  const run = (...argv: string[]) => runCli(argv, u.env);
  assert.equal((await run('new', 'mine')).code, 0);
  assert.equal((await run('snapshot')).code, 0);
  assert.equal((await run('-L', alt.socket, 'new', 'theirs')).code, 0);
  assert.equal((await run('-L', alt.socket, 'snapshot')).code, 0);

  const ls = (await run('snapshot', 'ls')).stdout;
  assert.match(ls, /^1 .*latest: mine$/m, ls);
  assert.match(ls, new RegExp(`^2 .*server \\S+/${alt.socket}: theirs$`, 'm'), ls);
  assert.doesNotMatch(ls, /latest: theirs/);
  assert.match((await run('-L', alt.socket, 'snapshot', 'ls')).stdout, /^2 .*latest: theirs$/m);

  const none = `${t.socket}-none`;
  const restore = await run('-L', none, 'restore');
  assert.equal(restore.code, 1);
  assert.match(restore.stderr, new RegExp(`no snapshot of this tmux server \\(\\S+/${none}\\) in \\S+; it holds 2 of other tmux servers: roost snapshot ls lists them, roost -L ${none} restore --from GEN restores one`));
  // Another server's snapshot, named: restored here, and said.
  const moved = await run('-L', none, 'restore', '--from', '2', '--dry-run');
  assert.equal(moved.code, 0, moved.stderr);
  assert.match(moved.stderr, new RegExp(`^roost restore: snapshot 2 was taken of another tmux server \\(\\S+/${alt.socket}\\); its sessions go onto this one \\(\\S+/${none}\\)$`, 'm'));
  assert.doesNotMatch((await run('-L', alt.socket, 'restore', '--from', '2', '--dry-run')).stderr, /another tmux server/);
  const show = await run('-L', none, 'snapshot', 'show', 'latest');
  assert.equal(show.code, 1);
  assert.match(show.stderr, /no snapshot of this tmux server .*roost snapshot show GEN shows one/);
});

test('restore NAME missing from the latest snapshot suggests an older one of the same server only', async () => {
  const { u, t, alt, ok } = twoServers();
  await ok('-L', alt.socket, 'new', 'main');
  await ok('-L', alt.socket, 'new', 'x');
  await ok('-L', alt.socket, 'snapshot'); // 1: alt's main
  await ok('new', 'main');
  await ok('snapshot'); // 2: this server's main, newer
  await ok('-L', alt.socket, 'kill', 'main');
  await ok('-L', alt.socket, 'snapshot'); // 3: alt without main

  const r = await runCli(['-L', alt.socket, 'restore', 'main'], u.env);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), `roost restore: no session "main" in snapshot 3; snapshot 1 has it: roost -L ${alt.socket} restore --from 1 main`);
});
