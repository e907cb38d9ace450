/**
 * A bell a device has seen stays seen when the daemon restarts. A device
 * looks through its own view session, so tmux's bell flag on the window's
 * own session stays up; the daemon records the bell counter it saw in tmux
 * (@roost_bells_seen), and a new daemon reading the flag alone would ring
 * the bell again on the dashboard, in roost ls and in the title.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession } from '../../src/tmux/index.js';
import type { SessionInfo } from '../../src/shared/api.js';

const statusOf = async (s: TestServer, cookie: string, index: number) =>
  ((await s.request('GET', '/api/sessions', { cookie })).json as SessionInfo[]).find((x) => x.name === 'main')?.windows.find((w) => w.index === index)?.status;

test('a bell seen on a device is not rung again by a restarted daemon; a new bell is', async () => {
  const a = await startServer();
  // The daemon's control client attaches to the first session by name, which clears the flags of its current window.
  await newSession(a.tmux.client, { name: 'aaa', command: ['sleep', '600'] });
  // The session's current window rings: a view opened on it selects nothing, so tmux keeps its flag up.
  const id = await newSession(a.tmux.client, { name: 'main', command: ["sleep 1; printf '\\a'; tmux wait-for again; printf '\\a'; exec sleep 600"] });
  const cookieA = await a.login();
  await waitFor(async () => (await statusOf(a, cookieA, 0)) === 'bell', 20_000, 'the bell');

  const term = await a.terminal('main', { cookie: cookieA, window: '0' });
  await term.hello();
  term.send({ type: 'focus', focused: true });
  await waitFor(async () => (await statusOf(a, cookieA, 0)) !== 'bell', 20_000, 'the bell seen');
  term.ws.close();
  // tmux's own flag on the window's session stays up: the device looked through its view.
  assert.equal((await a.tmux.run('display-message', '-p', '-t', `${id}:0`, '#{window_bell_flag}')).trim(), '1');
  await a.close();

  const b = await startServer({ tmux: a.tmux });
  const cookieB = await b.login();
  await waitFor(async () => (await statusOf(b, cookieB, 0)) !== undefined, 20_000, 'the first listing');
  await new Promise((ok) => setTimeout(ok, 1500)); // a listing or more
  assert.notEqual(await statusOf(b, cookieB, 0), 'bell', 'seen before the restart');

  await a.tmux.run('wait-for', '-S', 'again');
  await waitFor(async () => (await statusOf(b, cookieB, 0)) === 'bell', 20_000, 'a new bell rings');
});
