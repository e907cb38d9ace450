/**
 * How snapshots are counted and where they are said to be: one session is
 * "1 session" everywhere (roost snapshot, doctor, service status), and the
 * help names the folder with XDG_STATE_HOME in it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { restoreUser } from './helpers.js';

test('one session, window and pane are counted in the singular; the help says where snapshots are kept', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  assert.equal((await runCli(['new', 'solo'], u.env)).code, 0);
  const snap = await runCli(['snapshot'], u.env);
  assert.match(snap.stdout, /^snapshot 1: 1 session, 1 window, 1 pane \(1 captured, 0 unchanged\) in /);
  const doctor = JSON.parse((await runCli(['doctor', '--json'], u.env)).stdout) as { checks: { id: string; message: string }[] };
  assert.match(doctor.checks.find((c) => c.id === 'snapshots')!.message, /^snapshot 1 of 1 session, /);
  assert.match((await runCli(['service', 'status'], u.env)).stdout, /^snapshot {2}1, .*, 1 session$/m);
  assert.match((await runCli(['snapshot', '--help'], u.env)).stdout, /\$XDG_STATE_HOME\/roost\/snapshots\n\(~\/\.local\/state\/roost\/snapshots by default;/);
});
