/**
 * An unseen bell stays until a person sees it, by Roost's counters in tmux
 * (docs/attention.md): a read-only viewer opening the window (whose tmux
 * client lowers tmux's own bell flag) is not the owner seeing it, a daemon
 * restart does not forget it, and a terminal attached to the session that
 * shows the window is a person seeing it, for good.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import pty from 'node-pty';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession, newWindow } from '../../src/tmux/index.js';
import type { SessionInfo } from '../../src/shared/api.js';

/**
 * The daemon's bell hook is in (it goes in after the first listing that shows a session): a bell rung
 * before it shows only in tmux's flag, which the view a terminal opens lowers.
 */
const hooked = (s: TestServer) => waitFor(async () => (await s.tmux.run('show-options', '-gqv', '@roost_bell_model')).trim() === '2', 20_000, 'the bell hook');

const statusOf = async (s: TestServer, cookie: string, index: number) =>
  ((await s.request('GET', '/api/sessions', { cookie })).json as SessionInfo[]).find((x) => x.name === 'main')?.windows.find((w) => w.index === index)?.status;

test('a read-only viewer does not see the owner\'s bell, a restart keeps it, a terminal showing the window sees it', async () => {
  const a = await startServer();
  // The daemon's control client attaches to the first session by name: not the one under test.
  await newSession(a.tmux.client, { name: 'aaa', command: ['sleep', '600'] });
  const id = await newSession(a.tmux.client, { name: 'main', command: ['sleep', '600'] });
  await newWindow(a.tmux.client, { session: 'main', name: 'ring', command: ["tmux wait-for ring; printf '\\a'; exec sleep 600"], detached: true });
  const cookie = await a.login();
  await waitFor(async () => (await statusOf(a, cookie, 1)) === 'working', 20_000, 'the window listed');
  await hooked(a);
  await a.tmux.run('wait-for', '-S', 'ring');
  await waitFor(async () => (await statusOf(a, cookie, 1)) === 'bell', 20_000, 'the bell');

  const ro = a.daemon.auth.createApiToken({ role: 'read-only' });
  const v = await a.terminal('main', { bearer: ro.token, origin: null, cols: 80, rows: 24, window: '1' });
  assert.equal((await v.hello()).readOnly, true);
  v.send({ type: 'focus', focused: true });
  await waitFor(async () => (await a.tmux.run('display-message', '-p', '-t', `${id}:1`, '#{window_bell_flag}')).trim() === '0', 10_000, 'tmux to lower its flag for the viewer');
  await new Promise((ok) => setTimeout(ok, 2500)); // listings
  assert.equal(await statusOf(a, cookie, 1), 'bell', 'a read-only viewer is not the owner seeing it');
  v.ws.close();
  await a.close();

  const b = await startServer({ tmux: a.tmux });
  const cookieB = await b.login();
  await waitFor(async () => (await statusOf(b, cookieB, 1)) !== undefined, 20_000, 'the first listing');
  await new Promise((ok) => setTimeout(ok, 1500));
  assert.equal(await statusOf(b, cookieB, 1), 'bell', 'still unseen after the restart');

  // A person's terminal: attached to the session, on that window.
  await a.tmux.run('select-window', '-t', `${id}:1`);
  const term = pty.spawn(a.tmux.client.bin, a.tmux.client.argv(['attach-session', '-t', id]), { cols: 80, rows: 24, env: a.tmux.client.env as Record<string, string> });
  await waitFor(async () => (await statusOf(b, cookieB, 1)) !== 'bell', 20_000, 'the bell seen in the terminal');
  term.kill();
  await waitFor(async () => (await a.tmux.run('list-clients', '-t', id)).trim() === '', 10_000, 'the terminal gone');
  await new Promise((ok) => setTimeout(ok, 1500));
  assert.notEqual(await statusOf(b, cookieB, 1), 'bell', 'seen for good once the terminal left');
  after(() => b.close());
});
