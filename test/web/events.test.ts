import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionInfo } from '../../src/shared/api.js';
import { EventsFeed, parseEvent, type FeedState, type FetchResult } from '../../src/web/events.js';
import { ManualClock, settle, SocketLog } from './fakes.js';

const session = (name: string): SessionInfo => ({ id: `$${name.length}`, name, kind: 'plain', created: 0, attached: 0, activity: 0, windows: [] });

test('parseEvent accepts a sessions listing and nothing else', () => {
  assert.deepEqual(parseEvent(JSON.stringify({ type: 'sessions', sessions: [session('a')] })), [session('a')]);
  assert.equal(parseEvent('{"type":"other"}'), null);
  assert.equal(parseEvent('{"type":"sessions","sessions":{}}'), null);
  assert.equal(parseEvent('not json'), null);
  assert.equal(parseEvent('null'), null);
});

test('parseEvent drops a listing that breaks its shape (src/shared/events.ts checks it)', () => {
  assert.equal(parseEvent('{"type":"sessions","sessions":[{}]}'), null);
  assert.equal(parseEvent(JSON.stringify({ type: 'sessions', sessions: [{ ...session('a'), windows: [{ id: '@1' }] }] })), null);
});

function feed(fetchResult: () => FetchResult) {
  const clock = new ManualClock();
  const sockets = new SocketLog();
  const got: string[][] = [];
  const states: FeedState[] = [];
  let unauthorized = 0;
  let fetches = 0;
  const f = new EventsFeed({
    openSocket: sockets.open,
    fetchSessions: async () => {
      fetches++;
      return fetchResult();
    },
    clock,
    onSessions: (l) => got.push(l.map((s) => s.name)),
    onState: (s) => states.push(s),
    onUnauthorized: () => unauthorized++,
  });
  return { f, clock, sockets, got, states, unauthorized: () => unauthorized, fetches: () => fetches };
}

test('paints from GET /api/sessions, then goes live on the socket', async () => {
  const t = feed(() => ({ ok: true, sessions: [session('http')] }));
  t.f.start();
  assert.equal(t.sockets.last.path, '/api/events');
  await settle();
  assert.deepEqual(t.got, [['http']]);
  t.sockets.last.handlers.message(JSON.stringify({ type: 'sessions', sessions: [session('ws')] }));
  assert.deepEqual(t.got, [['http'], ['ws']]);
  assert.deepEqual(t.states, ['connecting', 'live']);
});

test('a lost socket shows reconnecting, polls the HTTP listing meanwhile, and reconnects', async () => {
  const t = feed(() => ({ ok: true, sessions: [session('polled')] }));
  t.f.start();
  t.sockets.last.handlers.message(JSON.stringify({ type: 'sessions', sessions: [] }));
  await settle();
  t.sockets.last.handlers.close(1006, '');
  assert.equal(t.states.at(-1), 'reconnecting');
  await settle();
  assert.equal(t.fetches(), 2);
  assert.deepEqual(t.got.at(-1), ['polled']);
  t.clock.advance(t.clock.pending()[0]!);
  assert.equal(t.sockets.sockets.length, 2);
  assert.deepEqual(t.sockets.live(), [t.sockets.last]);
  t.sockets.last.handlers.message(JSON.stringify({ type: 'sessions', sessions: [session('back')] }));
  assert.equal(t.states.at(-1), 'live');
});

test('an expired login stops the feed and goes to login', async () => {
  const t = feed(() => ({ ok: false, unauthorized: true }));
  t.f.start();
  await settle();
  assert.equal(t.unauthorized(), 1);
  assert.equal(t.states.at(-1), 'closed');
  assert.equal(t.sockets.last.closedByClient, true);
  t.clock.advance(60_000);
  assert.equal(t.sockets.sockets.length, 1);
});
