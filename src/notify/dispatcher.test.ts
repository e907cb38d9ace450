import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dispatcher } from './dispatcher.js';
import { DeliveryError } from './http.js';
import type { Channel } from './channels.js';
import type { Notification } from './message.js';
import type { StateEvent } from '../attention/types.js';

const channel = (id: number): Channel => ({ id, kind: 'webhook', name: null, enabled: true, states: null, sessions: null, quiet: null, allowPrivate: true, createdAt: 0, config: { url: 'http://127.0.0.1:9/', secret: 's' } });
const ev = (windowId: string, episode: number, o: Partial<StateEvent> = {}): StateEvent => ({
  type: 'state', session: 'main', sessionId: '$1', windowId, index: Number(windowId.slice(1)), name: 'w', state: 'waiting', previous: 'working', at: 0, episode, baseline: false, command: 'sh', ...o,
});

test('once per episode per channel; a new episode re-arms; a closed window is forgotten', async () => {
  const sent: string[] = [];
  const d = new Dispatcher({ channels: () => [channel(1)], send: async (_c, n) => void sent.push(`${n.title}`) });
  d.handle(ev('@1', 1));
  d.handle(ev('@1', 1, { state: 'idle' }));
  d.handle(ev('@1', 1));
  d.handle(ev('@1', 2, { state: 'bell' }));
  d.handle({ type: 'closed', session: 'main', sessionId: '$1', windowId: '@1', index: 1, name: 'w', at: 0 });
  d.handle(ev('@1', 1));
  await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(sent, ['main:1 w — waiting', 'main:1 w — bell', 'main:1 w — waiting']);
});

test('baseline events and working are never sent; disabled channels get nothing', async () => {
  const sent: number[] = [];
  const d = new Dispatcher({ channels: () => [channel(1), { ...channel(2), enabled: false }], send: async (c) => void sent.push(c.id) });
  d.handle(ev('@1', 1, { baseline: true }));
  d.handle(ev('@1', 1, { state: 'idle' })); // same episode as the baseline one
  d.handle(ev('@2', 0, { state: 'working' }));
  await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(sent, []);
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
  assert.deepEqual(sent.map((n) => n.index), [1, 8, 9, 10]);
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
