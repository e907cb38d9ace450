import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attentionToNotify, notifyEventFor, ATTENTION_KINDS } from './notify-events.js';
import type { StateEvent } from './types.js';
import { Dispatcher } from '../notify/dispatcher.js';
import { toNotification } from '../notify/message.js';
import type { NotifyEvent } from '../notify/event.js';
import type { Channel } from '../notify/channels.js';

const e = (o: Partial<StateEvent>): StateEvent => ({
  type: 'state', session: 'main', sessionId: '$1', windowId: '@2', index: 1, name: 'claude', state: 'waiting', previous: 'working', at: 5, episode: 1, baseline: false, command: 'claude', ...o,
});
/** What the channels send for a state event. */
const notificationFor = (x: StateEvent) => toNotification(notifyEventFor(x));

test('titles name session, window and state', () => {
  assert.equal(notificationFor(e({ state: 'needs-permission', agent: 'claude' })).title, 'main:1 claude — needs permission');
  assert.equal(notificationFor(e({ state: 'exited', exitStatus: 2, name: 'build' })).title, 'main:1 build — exited');
  assert.equal(notificationFor(e({ state: 'exited', exitStatus: 2 })).body, 'The program ended with status 2.');
  assert.equal(notificationFor(e({ state: 'exited', exitStatus: null, exitSignal: 'SIGTERM' })).body, 'The program was killed by SIGTERM.');
  assert.equal(notificationFor(e({ state: 'exited', exitStatus: null })).body, 'The program ended.');
  assert.equal(notificationFor(e({ state: 'needs-permission' })).urgent, true);
  assert.equal(notificationFor(e({ state: 'done' })).urgent, false);
});

test('window names are one clean line; the url opens the window', () => {
  const n = notificationFor(e({ name: 'evil\u001b]0;x\u0007\nname', session: 'work', index: 12 }));
  assert.ok(!/[\u0000-\u001f]/.test(n.title), JSON.stringify(n.title));
  assert.equal(n.url, '/s/work/12');
  assert.equal(n.tag, 'roost:$1:@2');
  assert.ok(notificationFor(e({ name: 'x'.repeat(200) })).window!.name.length <= 48);
});

test('a state event as a notify event: the window is the subject, its episode the dedupe key, nothing from the terminal', () => {
  const x = notifyEventFor(e({ state: 'needs-permission', agent: 'claude', session: 'my work', index: 3, windowId: '@9', episode: 4, command: 'SECRET-COMMAND' }));
  assert.deepEqual(x, {
    source: 'attention', kind: 'needs-permission', severity: 'urgent',
    subject: { id: '$1:@9', session: 'my work', window: { sessionId: '$1', id: '@9', index: 3, name: 'claude' }, link: '/s/my%20work/3' },
    title: 'my work:3 claude — needs permission', body: 'Claude needs your permission to go on.', icon: 'raised_hand', at: 5,
    dedupe: { thread: '@9', key: '4' }, baseline: false,
  });
  assert.equal(notifyEventFor(e({ state: 'bell' })).severity, 'attention');
  assert.equal(notifyEventFor(e({ state: 'waiting', baseline: true })).baseline, true);
  assert.deepEqual(ATTENTION_KINDS, ['waiting', 'bell', 'exited', 'needs-permission', 'idle', 'done']);
});

test('the listener: working is not news (unless baseline); a closed window ends its thread', () => {
  const calls: unknown[] = [];
  const send = attentionToNotify({ handle: (x: NotifyEvent) => calls.push(['handle', x.kind, x.baseline]), forget: (s, t) => calls.push(['forget', s, t]) });
  send(e({ state: 'working' }));
  send(e({ state: 'working', baseline: true }));
  send(e({ state: 'idle' }));
  send({ type: 'closed', session: 'main', sessionId: '$1', windowId: '@2', index: 1, name: 'claude', at: 0 });
  assert.deepEqual(calls, [['handle', 'working', true], ['handle', 'idle', false], ['forget', 'attention', '@2']]);
});

// Through a real dispatcher: the rules notify keeps for attention.
const channel = (id: number): Channel => ({ id, kind: 'webhook', name: null, enabled: true, states: null, sessions: null, quiet: null, allowPrivate: true, createdAt: 0, config: { url: 'http://127.0.0.1:9/', secret: 's' } });
const ev = (windowId: string, episode: number, o: Partial<StateEvent> = {}): StateEvent => ({
  type: 'state', session: 'main', sessionId: '$1', windowId, index: Number(windowId.slice(1)), name: 'w', state: 'waiting', previous: 'working', at: 0, episode, baseline: false, command: 'sh', ...o,
});

test('once per episode per channel; a new episode re-arms; a closed window is forgotten', async () => {
  const sent: string[] = [];
  const handle = attentionToNotify(new Dispatcher({ channels: () => [channel(1)], send: async (_c, n) => void sent.push(`${n.title}`) }));
  handle(ev('@1', 1));
  handle(ev('@1', 1, { state: 'idle' }));
  handle(ev('@1', 1));
  handle(ev('@1', 2, { state: 'bell' }));
  handle({ type: 'closed', session: 'main', sessionId: '$1', windowId: '@1', index: 1, name: 'w', at: 0 });
  handle(ev('@1', 1));
  await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(sent, ['main:1 w — waiting', 'main:1 w — bell', 'main:1 w — waiting']);
});

test('baseline events and working are never sent; disabled channels get nothing', async () => {
  const sent: number[] = [];
  const handle = attentionToNotify(new Dispatcher({ channels: () => [channel(1), { ...channel(2), enabled: false }], send: async (c) => void sent.push(c.id) }));
  handle(ev('@1', 1, { baseline: true }));
  handle(ev('@1', 1, { state: 'idle' })); // same episode as the baseline one
  handle(ev('@2', 0, { state: 'working' }));
  await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(sent, []);
});

test('a waiting is pushed again only after a look at the window (lookedAt); other states are never held back for it', async () => {
  const sent: string[] = [];
  const handle = attentionToNotify(new Dispatcher({ channels: () => [channel(1)], send: async (_c, n) => void sent.push(n.title) }));
  const waiting = (episode: number, lookedAt: number | null) => ev('@1', episode, { name: `w${episode}`, lookedAt });
  handle(waiting(1, null));
  handle(waiting(2, null)); // printed, silent again, nobody looked: a slow log, not news
  handle(ev('@1', 3, { state: 'bell', name: 'w3' }));
  handle(ev('@1', 4, { state: 'exited', name: 'w4' }));
  handle(waiting(5, null));
  handle(waiting(6, 7000)); // a person looked
  handle(waiting(7, 7000));
  handle(waiting(8, 9000));
  await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(sent, ['main:1 w1 — waiting', 'main:1 w3 — bell', 'main:1 w4 — exited', 'main:1 w6 — waiting', 'main:1 w8 — waiting']);
  assert.deepEqual(notifyEventFor(waiting(1, 7000)).damp, { look: 7000 });
  assert.equal(notifyEventFor(ev('@1', 1, { state: 'idle' })).damp, undefined);
});
