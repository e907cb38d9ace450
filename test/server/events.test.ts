import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession } from '../../src/tmux/index.js';
import type { SessionInfo } from '../../src/shared/api.js';

/**
 * These tests are about the feed's own mechanics (sharing, starting and
 * stopping its listings). The daemon's attention service keeps the feed
 * listing for as long as the daemon runs; these daemons run no service, so
 * only the browsers below listen.
 */
const feedAlone = { services: [] };

interface Listener {
  ws: WebSocket;
  messages: { type: string; sessions?: SessionInfo[] }[];
}

test('the events feed: current sessions on connect, a push after POST /api/sessions, one shared poller', async () => {
  // A timer too slow to fire during the test: every listing below is one the test caused.
  const s = await startServer({ feedIntervalMs: 600_000, ...feedAlone });
  await newSession(s.tmux.client, { name: 'first', command: ['sh'] });
  const p0 = s.daemon.feed.polls;
  const cookie = await s.login();
  const listeners: Listener[] = [];
  for (let i = 0; i < 5; i++) {
    const l: Listener = { ws: undefined as unknown as WebSocket, messages: [] };
    l.ws = await s.ws('/api/events', { cookie }, (ws) => ws.on('message', (d) => l.messages.push(JSON.parse(String(d)))));
    listeners.push(l);
  }
  for (const l of listeners) {
    await waitFor(() => l.messages.length === 1, 15_000, 'first listing');
    assert.equal(l.messages[0]!.type, 'sessions');
    assert.deepEqual(l.messages[0]!.sessions!.map((x) => x.name), ['first']);
  }
  assert.equal(s.daemon.feed.polls, p0 + 1, 'five browsers, one listing');
  const r = await s.request('POST', '/api/sessions', { cookie, body: { name: 'second', command: ['sh'] } });
  assert.equal(r.status, 201);
  for (const l of listeners) {
    await waitFor(() => l.messages.some((m) => m.sessions?.some((x) => x.name === 'second')), 15_000, 'pushed listing');
  }
  assert.equal(s.daemon.feed.polls, p0 + 2, 'one listing for the change, shared by all');
  // Nothing changed: the next listing is not sent.
  await s.request('GET', '/api/sessions', { cookie });
  assert.equal(s.daemon.feed.polls, p0 + 3);
  // Messages on a socket keep their order: once this marker arrives, an unwanted listing would have too.
  // Not a type of src/shared/events.ts (hence the cast): the test is about the feed's fan-out and order.
  s.daemon.feed.publish({ type: 'marker' } as never);
  for (const l of listeners) await waitFor(() => l.messages.at(-1)?.type === 'marker', 15_000, 'marker');
  assert.ok(listeners.every((l) => l.messages.length === 3), 'no listing sent for an unchanged state');
  for (const l of listeners) l.ws.close();
  await waitFor(() => s.daemon.feed.listeners === 0, 15_000, 'unsubscribed');
});

test('the feed lists when tmux tells of a change made behind its back, and not while nobody listens', async () => {
  const s = await startServer({ feedIntervalMs: 100, ...feedAlone });
  const cookie = await s.login();
  const messages: { sessions: SessionInfo[] }[] = [];
  const ws = await s.ws('/api/events', { cookie }, (w) => w.on('message', (d) => messages.push(JSON.parse(String(d)))));
  await waitFor(() => messages.length === 1, 15_000, 'first listing');
  assert.deepEqual(messages[0]!.sessions, []);
  await newSession(s.tmux.client, { name: 'outside', command: ['sh'] });
  await waitFor(() => messages.at(-1)!.sessions.some((x) => x.name === 'outside'), 15_000, 'listing after the change');
  ws.close();
  await waitFor(() => s.daemon.feed.listeners === 0, 15_000, 'unsubscribed');
  // A listing already under way when the last listener left still ends: wait for it (refresh shares it, then lists once more).
  await s.daemon.feed.refresh();
  const stopped = s.daemon.feed.polls;
  // With nobody listening nothing is listed: not for a change, not on a timer (five intervals pass).
  await newSession(s.tmux.client, { name: 'unheard', command: ['sh'] });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(s.daemon.feed.polls, stopped);
});

test('other parts can publish their own events and decorate listings', async () => {
  const s = await startServer({ feedIntervalMs: 600_000, ...feedAlone });
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  s.daemon.feed.addDecorator((sessions) => {
    for (const x of sessions) for (const w of x.windows) w.agent = 'needs-permission';
  });
  const cookie = await s.login();
  const messages: { type: string; sessions?: SessionInfo[]; text?: string }[] = [];
  await s.ws('/api/events', { cookie }, (w) => w.on('message', (d) => messages.push(JSON.parse(String(d)))));
  await waitFor(() => messages.length === 1, 15_000, 'listing');
  assert.equal(messages[0]!.sessions![0]!.windows[0]!.agent, 'needs-permission');
  // Not a type of src/shared/events.ts (hence the cast): any message a part publishes goes out.
  s.daemon.feed.publish({ type: 'notification', text: 'hello' } as never);
  await waitFor(() => messages.some((m) => m.type === 'notification' && m.text === 'hello'), 15_000, 'published event');
});
