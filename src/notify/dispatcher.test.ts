import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dispatcher, type SkipReason } from './dispatcher.js';
import { DeliveryError } from './http.js';
import type { Channel } from './channels.js';
import type { Notification } from './message.js';
import type { NotifyEvent } from './event.js';

const channel = (id: number): Channel => ({ id, kind: 'webhook', name: null, enabled: true, states: null, sessions: null, quiet: null, allowPrivate: true, createdAt: 0, config: { url: 'http://127.0.0.1:9/', secret: 's' } });
/** A window's event as a source would send it (one thread per window, keyed by episode). */
const ev = (windowId: string, episode: number): NotifyEvent => {
  const index = Number(windowId.slice(1));
  return {
    source: 'attention', kind: 'waiting', severity: 'attention', title: `main:${index} w — waiting`, body: 'b', at: 0, baseline: false,
    subject: { id: `$1:${windowId}`, session: 'main', window: { sessionId: '$1', id: windowId, index, name: 'w' }, link: `/s/main/${index}` },
    dedupe: { thread: windowId, key: String(episode) },
  };
};
/** News that is about no session or window: the daemon's own. */
const roost = (key: string, o: Partial<NotifyEvent> = {}): NotifyEvent => ({
  source: 'roost', kind: 'restored', severity: 'info', title: 'Roost — sessions restored', body: '3 sessions are back.', icon: 'recycle', at: 7, baseline: false,
  subject: { id: 'roost:restore', session: null, window: null, link: '/' },
  dedupe: { thread: '@1', key },
  ...o,
});

test('the queue per channel is bounded: the oldest waiting notifications are dropped, the one in flight is kept', async () => {
  let release!: () => void;
  const gate = new Promise<void>((ok) => (release = ok));
  const sent: Notification[] = [];
  const d = new Dispatcher({ channels: () => [channel(1)], queueLimit: 4, send: async (_c, n) => { await gate; sent.push(n); } });
  for (let i = 1; i <= 10; i++) d.handle(ev(`@${i}`, 1));
  assert.equal(d.status(1).pending, 4);
  assert.equal(d.status(1).dropped, 6);
  release();
  for (let i = 0; i < 20 && d.status(1).pending > 0; i++) await new Promise((ok) => setTimeout(ok, 5));
  assert.deepEqual(sent.map((n) => n.window?.index), [1, 8, 9, 10]);
});

test('close() ends retries; a gone destination is reported', async () => {
  let attempts = 0;
  const gone: number[] = [];
  const d = new Dispatcher({
    channels: () => [channel(1), channel(2)],
    retry: { baseMs: 60_000 },
    onGone: (c) => gone.push(c.id),
    send: async (c) => {
      attempts++;
      throw c.id === 1 ? new DeliveryError('x answered 503', true, 503) : new DeliveryError('x answered 410', false, 410, true);
    },
  });
  d.handle(ev('@1', 1));
  await new Promise((ok) => setTimeout(ok, 20));
  assert.equal(attempts, 2);
  assert.deepEqual(gone, [2]);
  assert.equal(d.status(1).pending, 1, 'waiting for its retry');
  d.close();
  await new Promise((ok) => setTimeout(ok, 20));
  assert.equal(attempts, 2);
});

test('another source: told once per dedupe key, its threads apart from attention\'s; no session or window to filter or watch', async () => {
  const sent: { id: number; n: Notification }[] = [];
  const skips: { id: number; reason: SkipReason }[] = [];
  const d = new Dispatcher({
    channels: () => [channel(1), { ...channel(2), sessions: ['main'] }, { ...channel(3), states: ['waiting'] }],
    send: async (c, n) => void sent.push({ id: c.id, n }),
    // Everyone watches every window: an event about no window is still sent.
    isBeingWatched: () => true,
    onSkip: (id, _e, reason) => skips.push({ id, reason }),
  });
  d.handle(ev('@1', 1)); // attention's thread "@1", key "1": watched on every channel
  d.handle(roost('1')); // the same thread name and key, another source
  d.handle(roost('1')); // the same key again
  d.handle(roost('2', { severity: 'urgent' })); // a new key re-arms
  d.forget('attention', '@1'); // another source's forget leaves roost's thread alone
  d.handle(roost('2'));
  d.forget('roost', '@1');
  d.handle(roost('2'));
  await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(sent.map((x) => [x.id, x.n.urgent]), [[1, false], [1, true], [1, false]]);
  assert.deepEqual(sent[0]!.n, {
    title: 'Roost — sessions restored', body: '3 sessions are back.', url: '/', tag: 'roost:roost:restore', state: 'restored',
    session: '', window: null, icon: 'recycle', at: 7, urgent: false,
  });
  assert.deepEqual(skips.filter((s) => s.id === 1).map((s) => s.reason), ['watched', 'episode', 'episode']);
  // A session filter skips news about no session; a state filter skips other kinds.
  for (const id of [2, 3]) assert.deepEqual(skips.filter((s) => s.id === id).map((s) => s.reason), ['watched', ...Array(5).fill('filtered')]);
});

test('a damped event is sent once per look and channel: a channel that did not send the first (quiet hours, filtered) sends the next', async () => {
  const sent: { id: number; key: string }[] = [];
  const skips: { id: number; key: string; reason: SkipReason }[] = [];
  let clock = new Date(2026, 0, 5, 23, 30).getTime();
  const d = new Dispatcher({
    channels: () => [channel(1), { ...channel(2), quiet: '22:00-07:00' }, { ...channel(3), states: ['bell'] }],
    send: async (c, n) => void sent.push({ id: c.id, key: n.title }),
    onSkip: (id, e, reason) => skips.push({ id, key: e.dedupe.key, reason }),
    now: () => clock,
  });
  const damped = (episode: number, look: number | null): NotifyEvent => ({ ...ev('@1', episode), title: `w${episode}`, damp: { look } });
  d.handle(damped(1, null));
  clock = new Date(2026, 0, 6, 8, 0).getTime();
  d.handle(damped(2, null)); // nobody looked since 1: channel 1 holds back, channel 2 sent nothing yet
  d.handle(damped(3, null));
  d.handle({ ...ev('@1', 4), kind: 'bell', title: 'bell4' }); // not damped
  d.handle(damped(5, 5000)); // someone looked
  d.handle(damped(6, 5000));
  d.forget('attention', '@1'); // the window closed; a window of the same id later is another
  d.handle(damped(1, null));
  await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(sent.filter((x) => x.id === 1).map((x) => x.key), ['w1', 'bell4', 'w5', 'w1']);
  assert.deepEqual(sent.filter((x) => x.id === 2).map((x) => x.key), ['w2', 'bell4', 'w5', 'w1']);
  assert.deepEqual(sent.filter((x) => x.id === 3).map((x) => x.key), ['bell4']);
  assert.deepEqual(skips.filter((x) => x.id === 1).map((x) => [x.key, x.reason]), [['2', 'unlooked'], ['3', 'unlooked'], ['6', 'unlooked']]);
  assert.deepEqual(skips.filter((x) => x.id === 2).map((x) => [x.key, x.reason]), [['1', 'quiet'], ['3', 'unlooked'], ['6', 'unlooked']]);
});
