/**
 * FOCUS frames: a window counts as looked at (notifications held back) only
 * while a browser showing it says its page is focused; read-only viewers may
 * say so too, and a malformed FOCUS is a protocol error like any other frame.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/server.js';
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

  // A read-only viewer may report focus: it changes nothing in tmux.
  const ro = s.daemon.auth.createApiToken({ name: 'viewer', role: 'read-only' });
  const roCookie = await s.login({ token: ro.token });
  const b = await s.terminal('main', { cookie: roCookie, window: '1' });
  assert.equal((await b.hello()).readOnly, true);
  b.send({ type: 'focus', focused: true });
  await waitFor(() => s.daemon.terminals.isLookedAt(id, w1!), 15_000, 'read-only focused viewer looks at window 1');
  assert.equal(b.closed, null, 'FOCUS is not refused for read-only');
  assert.equal(s.daemon.terminals.isLookedAt(id, w0!), false);

  b.ws.close();
  await waitFor(() => !s.daemon.terminals.isLookedAt(id, w1!), 15_000, 'a closed viewer looks at nothing');
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
