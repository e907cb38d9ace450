/**
 * The daemon says when it comes to rest: its last browser connection (a
 * WebSocket, events or terminal) closed. `roost serve` collects garbage
 * then (src/daemon/memory.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession } from '../../src/tmux/index.js';

test('onRest: told when the last WebSocket closes, not while one stays open', async () => {
  let rests = 0;
  const s = await startServer({ onRest: () => rests++, services: [] });
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const events = await s.ws('/api/events', { cookie });
  const term = await s.terminal('main', { cookie });
  events.close();
  await waitFor(() => s.daemon.sockets.size === 1, 10_000, 'the events socket gone');
  assert.equal(rests, 0, 'a terminal is still open');
  term.ws.close();
  await waitFor(() => rests === 1, 10_000, 'at rest');
  assert.equal(s.daemon.sockets.size, 0);
});
