/**
 * Two restores at once (the daemon's at start and a user's `roost
 * restore`): each makes the sessions it gets to first, and a session the
 * other one made while it ran counts as already running, not as a failure.
 *
 * The overlap is made certain, not left to timing: the user's tmux.conf
 * hooks after-new-session, so when the first restore makes "alpha", tmux
 * runs a second `roost restore` (run-shell, in the first one's command
 * queue: its tmux call waits for it) that makes "beta" before the first
 * one comes to it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { resolvePaths } from '../../src/config/paths.js';
import { CLI, runCli } from '../helpers/server.js';
import { restoreUser } from './helpers.js';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

test('two restores at once: a session the other one made meanwhile is already running, not a failure', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  for (const name of ['alpha', 'beta']) await t.run('new-session', '-d', '-s', name, '-c', u.dir);
  for (const p of ['alpha:0.0', 'beta:0.0']) await waitForCommand(t, p, 'bash');
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);

  // The other restore: once, for the first session made (alpha, as restores go in name order), with this user's files and socket.
  const other = join(u.dir, 'other-restore.sh');
  const log = join(u.dir, 'other');
  const env = ['HOME', 'PATH', 'SHELL', 'TMUX_TMPDIR', 'XDG_STATE_HOME', 'XDG_CONFIG_HOME', 'XDG_RUNTIME_DIR', 'ROOST_TMUX_SOCKET']
    .map((k) => `export ${k}=${q(u.env[k]!)}`).join('\n');
  writeFileSync(other, `#!/bin/sh
mkdir ${q(`${log}.lock`)} 2>/dev/null || exit 0
unset TMUX TMUX_PANE
${env}
${q(process.execPath)} ${q(CLI)} restore >${q(`${log}.out`)} 2>${q(`${log}.err`)}
echo $? >${q(`${log}.rc`)}
`);
  chmodSync(other, 0o755);
  writeFileSync(join(u.dir, '.tmux.conf'), `set-hook -g after-new-session "run-shell ${q(other)}"\n`);

  await t.kill();
  const r = await runCli(['restore'], u.env);
  const inner = { rc: readFileSync(`${log}.rc`, 'utf8').trim(), out: readFileSync(`${log}.out`, 'utf8'), err: readFileSync(`${log}.err`, 'utf8') };
  // The other one came first to beta, after alpha was made: alpha is skipped there as running.
  assert.equal(inner.rc, '0', inner.err);
  assert.match(inner.out, /^\[1\/1\] beta: 1 window, 1 pane$/m);
  assert.match(inner.out, /^skipped alpha: a session named alpha is running$/m);

  assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^\[1\/2\] alpha: 1 window, 1 pane$/m);
  assert.match(r.stdout, /^\[2\/2\] beta: already running \(made while this restore ran\): left alone$/m);
  assert.match(r.stdout, /^skipped beta: a session named beta is running \(made while this restore ran\)$/m);
  assert.match(r.stdout, /^restored 1 session from snapshot 1; 1 already running$/m);
  assert.deepEqual((await t.run('list-sessions', '-F', '#{session_name}')).trim().split('\n').sort(), ['alpha', 'beta']);
  assert.equal((await t.run('list-panes', '-a')).trim().split('\n').length, 2, 'each made once');
  // The scrollback file written for beta before tmux refused the name is removed too (no wrapper shows it).
  const runtime = resolvePaths(u.env).runtimeDir;
  const leftOver = () => readdirSync(runtime).filter((n) => n.startsWith('restore-')).flatMap((n) => readdirSync(join(runtime, n)));
  await waitFor(() => leftOver().length === 0, 10_000, 'the restores\' scrollback files to go').catch(() => assert.deepEqual(leftOver(), []));

  // The same race, as a script reads it.
  await t.kill();
  rmSync(`${log}.lock`, { recursive: true });
  const j = await runCli(['restore', '--json'], u.env);
  assert.equal(j.code, 0, j.stderr);
  const outcome = JSON.parse(j.stdout);
  assert.deepEqual([outcome.restored.map((s: { name: string }) => s.name), outcome.failed, outcome.skipped], [
    ['alpha'], [], [{ name: 'beta', why: 'a session named beta is running (made while this restore ran)' }],
  ]);
});
