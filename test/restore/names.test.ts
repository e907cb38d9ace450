/**
 * A session tmux accepts under a name Roost does not ("my work": a space)
 * is restored under a cleaned name, once: neither `roost restore` nor the
 * daemon's restore at start copies it while it runs under either name.
 * --dry-run says which saved directory is gone.
 */
import { test, after } from 'node:test';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { privateTmux } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { restoreService } from '../../src/restore/daemon-service.js';
import { daemonFor, restoreUser } from './helpers.js';

test('a session named "my work" is restored once, as my_work, by roost restore and by the daemon at start', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  const sessions = async () => (await t.run('list-sessions', '-F', '#{session_name}').catch(() => '')).split('\n').filter(Boolean).sort();
  await t.run('new-session', '-d', '-s', 'my work', '-c', u.dir);
  const snap = await runCli(['snapshot'], u.env);
  assert.equal(snap.code, 0, snap.stderr);

  // Running under its own name: nothing to do, by hand or at the daemon's start.
  const idle = await runCli(['restore'], u.env);
  assert.equal(idle.code, 0, idle.stderr);
  assert.match(idle.stdout, /^nothing to restore: every session of snapshot \d+ is running$/m);
  const first = await daemonFor(u, t);
  assert.equal(await first.get(restoreService).startup, null, 'the daemon restored nothing at start');
  await first.close();
  assert.deepEqual(await sessions(), ['my work']);

  // After a "reboot": back once, under the name Roost gives it, and not again.
  await t.kill();
  const r = await runCli(['restore'], u.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\[1\/1\] my_work: 1 window, 1 pane$/m);
  for (let i = 0; i < 2; i++) {
    const again = await runCli(['restore'], u.env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^nothing to restore: every session of snapshot \d+ is running$/m);
  }
  // --json with nothing to do: the outcome's documented shape all the same (docs/cli.md), for scripts.
  const none = await runCli(['restore', '--json'], u.env);
  assert.equal(none.code, 0, none.stderr);
  const outcome = JSON.parse(none.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(outcome).sort(), ['failed', 'generation', 'notes', 'relaunched', 'restored', 'resumed', 'skipped', 'typed']);
  assert.deepEqual(outcome['restored'], []);
  const second = await daemonFor(u, t);
  after(() => second.close());
  assert.equal(await second.get(restoreService).startup, null, 'the daemon restored nothing at start');
  assert.deepEqual(await sessions(), ['my_work']);
});

test('--dry-run says which saved directory is gone (its shell will start in ~)', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  const doomed = join(u.dir, 'doomed dir');
  mkdirSync(doomed);
  await t.run('new-session', '-d', '-s', 'kept', '-c', u.dir);
  await t.run('new-session', '-d', '-s', 'moved', '-c', doomed);
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);
  await t.kill();
  rmSync(doomed, { recursive: true });
  const dry = await runCli(['restore', '--dry-run'], u.env);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^ {4}pane 0 {2}~\/doomed dir {2}\(gone: the shell starts in ~\) {2}\[/m);
  assert.equal(dry.stdout.match(/\(gone:/g)?.length, 1, 'only the directory that went');
});
