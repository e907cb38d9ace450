/**
 * FOCUS frames: a window counts as looked at (notifications held back) only
 * while an owner's browser showing it says its page is focused; a read-only
 * viewer may send FOCUS (it is not refused) but it counts for nothing, so a
 * share left open in a focused tab never holds back the owner's
 * notifications; a malformed FOCUS is a protocol error like any other frame.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startServer } from '../helpers/server.js';
import { sink } from '../notify/sink.js';
import type { WebhookBody } from '../../src/notify/webhook.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession, newWindow } from '../../src/tmux/index.js';
import { ClientType } from '../../src/shared/protocol.js';
import { CLOSE } from '../../src/shared/close-codes.js';

test('a shown window is looked at only while its browser is focused', async () => {
  const s = await startServer();
  const id = await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  await newWindow(s.tmux.client, { session: id, command: ['sh'], detached: true });
  const [w0, w1] = (await s.tmux.run('list-windows', '-t', id, '-F', '#{window_id}')).trim().split('\n');
  const cookie = await s.login();
  const a = await s.terminal('main', { cookie });
  await a.hello();
  await waitFor(() => s.daemon.terminals.isShowing(id, w0!), 15_000, 'window 0 shown');
  assert.equal(s.daemon.terminals.isLookedAt(id, w0!), false, 'no FOCUS yet: nobody known to look');

  a.send({ type: 'focus', focused: true });
  await waitFor(() => s.daemon.terminals.isLookedAt(id, w0!), 15_000, 'focused → looked at');
  assert.equal(s.daemon.terminals.isLookedAt(id, w1!), false, 'only the window it shows');

  a.send({ type: 'focus', focused: false });
  await waitFor(() => !s.daemon.terminals.isLookedAt(id, w0!), 15_000, 'blurred → not looked at');
  assert.equal(s.daemon.terminals.isShowing(id, w0!), true, 'still shown, just not in front of anyone');
  assert.equal(a.closed, null);

  // A read-only viewer may report focus (it is not refused), but it is not the owner looking.
  const ro = s.daemon.auth.createApiToken({ name: 'viewer', role: 'read-only' });
  const roCookie = await s.login({ token: ro.token });
  const b = await s.terminal('main', { cookie: roCookie, window: '1' });
  assert.equal((await b.hello()).readOnly, true);
  b.send({ type: 'focus', focused: true });
  await waitFor(() => s.daemon.terminals.isShowing(id, w1!), 15_000, 'window 1 shown to the viewer');
  await new Promise((ok) => setTimeout(ok, 300)); // the FOCUS frame has arrived
  assert.equal(s.daemon.terminals.isLookedAt(id, w1!), false, 'a read-only focused viewer does not count');
  assert.equal(b.closed, null, 'FOCUS is not refused for read-only');

  const c = await s.terminal('main', { cookie, window: '1' });
  await c.hello();
  c.send({ type: 'focus', focused: true });
  await waitFor(() => s.daemon.terminals.isLookedAt(id, w1!), 15_000, "the owner's focused view on the same window counts");
  c.ws.close();
  await waitFor(() => !s.daemon.terminals.isLookedAt(id, w1!), 15_000, 'a closed view looks at nothing');
  b.ws.close();
});

test("a read-only viewer focused on a window does not hold back the owner's notification for it", async () => {
  const s = await startServer({ feedIntervalMs: 200 });
  // The daemon's control client attaches to the first session by name: not the one that rings.
  await newSession(s.tmux.client, { name: 'aaa', command: ['sleep', '600'] });
  await newSession(s.tmux.client, { name: 'main', command: ["tmux wait-for ring; printf '\\a'; exec sleep 600"] });
  const hook = await sink();
  const add = await runCli(['notify', 'add', 'webhook', '--url', hook.url, '--allow-private', '--states', 'bell'], s.env);
  assert.equal(add.code, 0, add.stderr);
  const ro = s.daemon.auth.createApiToken({ name: 'viewer', role: 'read-only' });
  const viewer = await s.terminal('main', { cookie: await s.login({ token: ro.token }), window: '0' });
  assert.equal((await viewer.hello()).readOnly, true);
  viewer.send({ type: 'focus', focused: true });
  await new Promise((ok) => setTimeout(ok, 500)); // a listing or two with the viewer focused

  await s.tmux.run('wait-for', '-S', 'ring');
  const states = () => hook.received.map((r) => (JSON.parse(r.body.toString()) as WebhookBody).state);
  await waitFor(() => states().includes('bell'), 20_000, `the bell pushed to the owner (${states()})`);
  assert.equal(viewer.closed, null);
});

test('a FOCUS without a boolean closes the connection as a protocol error', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const a = await s.terminal('main', { cookie });
  await a.hello();
  a.ws.send(new Uint8Array([ClientType.FOCUS, ...new TextEncoder().encode('{"focused":"yes"}')]));
  assert.equal((await a.closedP).code, CLOSE.PROTOCOL);
});
