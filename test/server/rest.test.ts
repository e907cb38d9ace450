/**
 * The daemon says how many browser connections (WebSockets: events and
 * terminals) it has whenever that changes, 0 when it comes to rest: `roost
 * serve` turns V8's compilers on at the first and collects garbage at rest
 * (src/daemon/memory.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession } from '../../src/tmux/index.js';

test('onConnections: told of every change, 0 when the last WebSocket closes', async () => {
  const counts: number[] = [];
  const s = await startServer({ onConnections: (n) => counts.push(n), services: [] });
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const events = await s.ws('/api/events', { cookie });
  const term = await s.terminal('main', { cookie });
  await waitFor(() => counts.at(-1) === 2, 10_000, 'both counted');
  events.close();
  await waitFor(() => counts.at(-1) === 1, 10_000, 'the events socket gone');
  term.ws.close();
  await waitFor(() => counts.at(-1) === 0, 10_000, 'at rest');
  assert.deepEqual(counts, [1, 2, 1, 0]);
  assert.equal(s.daemon.sockets.size, 0);
});
