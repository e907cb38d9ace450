import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { sink } from './sink.js';
import { waitFor, privateTmux } from '../helpers/tmux.js';
import { newSession, newWindow } from '../../src/tmux/index.js';
import { Dispatcher, type SkipReason } from '../../src/notify/dispatcher.js';
import { createSender } from '../../src/notify/senders.js';
import { webhookChannel, ntfyChannel } from '../../src/notify/create.js';
import { ChannelRepository } from '../../src/notify/repository.js';
import { NOTIFY_SCHEMA } from '../../src/notify/schema.js';
import { migrate } from '../../src/store/schema.js';
import { AttentionObserver } from '../../src/attention/observer.js';
import { AttentionPoller } from '../../src/attention/poller.js';
import { attentionToNotify, ATTENTION_KINDS } from '../../src/attention/notify-events.js';
import type { AttentionEvent, StateEvent } from '../../src/attention/types.js';

function repo(): ChannelRepository {
  const db = new Database(':memory:');
  migrate(db, [NOTIFY_SCHEMA]);
  after(() => db.close());
  return new ChannelRepository(db);
}

const noVapid = () => {
  throw new Error('no Web Push in this test');
};

let ep = 0;
const event = (o: Partial<StateEvent> = {}): StateEvent => ({
  type: 'state', session: 'main', sessionId: '$1', windowId: '@1', index: 1, name: 'claude', state: 'waiting', previous: 'working',
  at: Date.now(), episode: ++ep, baseline: false, command: 'claude', ...o,
});

interface Rig {
  repo: ChannelRepository;
  dispatcher: Dispatcher;
  /** Attention's events, through its mapper, into the dispatcher. */
  notify: (e: AttentionEvent) => void;
  skips: { id: number; reason: SkipReason; state: string }[];
}

function rig(o: { now?: () => number; watched?: (s: string, w: string) => boolean } = {}): Rig {
  const r = repo();
  const skips: Rig['skips'] = [];
  const dispatcher = new Dispatcher({
    channels: () => r.list(),
    send: createSender({ vapid: noVapid }),
    isBeingWatched: o.watched,
    onStatus: (id, s) => r.recordStatus(id, s),
    onSkip: (id, e, reason) => skips.push({ id, reason, state: e.kind }),
    now: o.now,
    retry: { baseMs: 50, maxMs: 200, attempts: 4 },
  });
  after(() => dispatcher.close());
  return { repo: r, dispatcher, notify: attentionToNotify(dispatcher), skips };
}

test('a failing channel (500, then ok) is retried with backoff and does not hold up a healthy one', async () => {
  const healthy = await sink();
  let release!: () => void;
  const released = new Promise<void>((ok) => (release = ok));
  // The first attempt hangs until the healthy channel has its notification, then fails.
  const flaky = await sink(async (_r, n) => (n === 0 ? (await released, 500) : 200));
  const { repo: r, dispatcher, notify } = rig();
  const a = r.add(await webhookChannel({ url: flaky.url, allowPrivate: true }));
  const b = r.add(await webhookChannel({ url: healthy.url, allowPrivate: true }));
  notify(event());
  await waitFor(() => healthy.received.length === 1, 10_000, 'healthy delivery');
  assert.equal(flaky.received.length, 1, 'the flaky channel is still on its first attempt');
  release();
  await waitFor(() => flaky.received.length === 2 && dispatcher.status(a.id).lastOkAt !== null, 10_000, 'retry succeeded');
  const st = dispatcher.status(a.id);
  assert.match(st.lastError ?? '', /answered 500/);
  assert.ok(st.lastErrorAt! <= st.lastOkAt!);
  assert.equal(st.pending, 0);
  assert.equal(JSON.parse(flaky.received[0]!.body.toString()).id, JSON.parse(flaky.received[1]!.body.toString()).id, 'a retry is the same delivery');
  assert.equal(r.statusOf(a.id)!.lastError, st.lastError, 'recorded for the dashboard');
  assert.equal(dispatcher.status(b.id).lastError, null);
});

test('a permanently failing channel gives up after its attempts; a 4xx is not retried', async () => {
  const down = await sink(() => 503);
  const bad = await sink(() => 403);
  const { repo: r, dispatcher, notify } = rig();
  const a = r.add(await webhookChannel({ url: down.url, allowPrivate: true }));
  const b = r.add(await webhookChannel({ url: bad.url, allowPrivate: true }));
  notify(event());
  await waitFor(() => down.received.length === 4 && dispatcher.status(a.id).pending === 0, 10_000, 'four attempts');
  await waitFor(() => dispatcher.status(b.id).lastError !== null, 10_000, '403 recorded');
  assert.equal(bad.received.length, 1);
  assert.match(dispatcher.status(b.id).lastError!, /answered 403/);
});

test('filters: states and sessions per channel', async () => {
  const perm = await sink();
  const work = await sink();
  const all = await sink();
  const { repo: r, notify, skips } = rig();
  r.add(await webhookChannel({ url: perm.url, allowPrivate: true, states: ['needs-permission,done'], kinds: ATTENTION_KINDS }));
  r.add(await webhookChannel({ url: work.url, allowPrivate: true, sessions: ['work'] }));
  r.add(await ntfyChannel({ url: all.url, topic: 'all', allowPrivate: true }));
  notify(event({ state: 'waiting', session: 'main', windowId: '@1' }));
  notify(event({ state: 'needs-permission', session: 'main', windowId: '@2' }));
  notify(event({ state: 'bell', session: 'work', windowId: '@3' }));
  notify(event({ state: 'working', session: 'work', windowId: '@3' }));
  await waitFor(() => all.received.length === 3 && perm.received.length === 1 && work.received.length === 1, 10_000, 'deliveries');
  assert.equal(JSON.parse(perm.received[0]!.body.toString()).state, 'needs-permission');
  assert.equal(JSON.parse(work.received[0]!.body.toString()).session, 'work');
  assert.equal(skips.filter((s) => s.reason === 'filtered').length, 4);
});

test('quiet hours: nothing inside the range (local time), and the episode is not sent later', async () => {
  const s = await sink();
  let clock = new Date(2026, 0, 5, 23, 30).getTime();
  const { repo: r, notify, skips } = rig({ now: () => clock });
  r.add(await webhookChannel({ url: s.url, allowPrivate: true, quiet: '22:00-07:00' }));
  const quietEvent = event({ windowId: '@7' });
  notify(quietEvent);
  clock = new Date(2026, 0, 6, 7, 0).getTime();
  notify({ ...quietEvent, state: 'idle' }); // same episode, after the quiet hours
  notify(event({ windowId: '@8' })); // a new episode
  await waitFor(() => s.received.length === 1, 10_000, 'delivery after quiet hours');
  assert.equal(JSON.parse(s.received[0]!.body.toString()).url, '/s/main/1');
  assert.deepEqual(skips.map((x) => x.reason), ['quiet', 'episode']);
});

test('a window someone is watching in a focused browser is not notified', async () => {
  const s = await sink();
  const { repo: r, notify, skips } = rig({ watched: (sid, wid) => sid === '$1' && wid === '@9' });
  r.add(await ntfyChannel({ url: s.url, topic: 'watched', allowPrivate: true }));
  r.add(await webhookChannel({ url: s.url, allowPrivate: true }));
  notify(event({ windowId: '@9' }));
  notify(event({ windowId: '@10' }));
  await waitFor(() => s.received.length === 2, 10_000, 'the unwatched window, on both channels');
  assert.deepEqual(s.received.map((x) => x.path).sort(), ['/', '/watched']);
  assert.deepEqual(skips.map((x) => x.reason), ['watched', 'watched']);
});

// Window 0 is named: tmux's automatic name can still read "tmux" (its child before exec) when the first listing is taken.
test('real tmux: a window that stays waiting is notified once; output re-arms it, a waiting once a person looked; its screen never leaves', async () => {
  const s = await sink();
  const { repo: r, notify, skips } = rig();
  r.add(await webhookChannel({ url: s.url, allowPrivate: true }));
  const t = privateTmux();
  await newSession(t.client, { name: 'main', windowName: 'sleep', command: ['sleep', '600'] });
  // Windows a person looks at now, and whether a listing has asked while one did.
  const looking = new Set<string>();
  let lookSeen = false;
  const observer = new AttentionObserver({ silenceFor: () => 2, seen: (_s, w) => (lookSeen ||= looking.has(w)) });
  const events: StateEvent[] = [];
  observer.onEvent((e) => {
    if (e.type === 'state') events.push(e);
    notify(e);
  });
  const poller = new AttentionPoller({ tmux: t.client, observer });
  poller.start();
  after(() => poller.stop());
  await waitFor(() => events.length > 0, 10_000, 'baseline');
  // Each burst of output waits for the test's go-ahead (tmux wait-for inside the pane), after the silence before it was seen.
  const id = await newWindow(t.client, { session: 'main', name: 'agent', command: ['printf SECRET-SCREEN-TEXT; tmux wait-for more; printf more; tmux wait-for again; printf again; sleep 60'], detached: true });
  const waitings = () => events.filter((e) => e.windowId === id && e.state === 'waiting').length;
  await waitFor(() => waitings() === 1, 20_000, 'first waiting');
  await new Promise((ok) => setTimeout(ok, 2500)); // stays waiting: not repeated
  await t.run('wait-for', '-S', 'more');
  await waitFor(() => waitings() === 2, 20_000, 'two waiting episodes');
  // Nobody looked since the first: a program that logs now and then is not pushed at every silence.
  await waitFor(() => skips.some((x) => x.reason === 'unlooked'), 10_000, `the second held back: ${JSON.stringify(skips)}`);
  // A person looks at it while it waits, and goes away; then it prints and goes quiet again.
  looking.add(id);
  await waitFor(() => lookSeen, 10_000, 'a listing saw the look');
  looking.delete(id);
  await t.run('wait-for', '-S', 'again');
  await waitFor(() => waitings() === 3, 20_000, 'three waiting episodes');
  // Stay waiting for a few more ticks: no repeat.
  await new Promise((ok) => setTimeout(ok, 2500));
  const titles = () => s.received.map((x) => JSON.parse(x.body.toString('utf8')).title as string);
  await waitFor(() => titles().filter((x) => x.startsWith('main:1 ')).length === 2, 10_000, `two deliveries for the agent window: ${titles()}`);
  assert.deepEqual(titles().filter((x) => x.startsWith('main:1 ')), ['main:1 agent — waiting', 'main:1 agent — waiting']);
  assert.equal(skips.filter((x) => x.reason === 'unlooked').length, 1);
  // The session's first window (sleep 600) went quiet once and stayed so: one notification.
  assert.deepEqual(titles().filter((x) => x.startsWith('main:0 ')), ['main:0 sleep — waiting']);
  assert.ok(s.received.every((x) => !x.body.toString('utf8').includes('SECRET-SCREEN-TEXT')));
  assert.equal(skips.filter((x) => x.reason === 'baseline').length, 1, 'the first window was there before: its state then is not news');
});

test('a channel stored with the old schedule-waiting state takes needs-permission, the state a scheduled run\'s prompt is told as now', async () => {
  const r = repo();
  const c = r.add(await webhookChannel({ url: 'http://127.0.0.1:9/h', allowPrivate: true, states: ['needs-permission'], kinds: ATTENTION_KINDS }));
  // As a database written before the state was renamed holds it.
  (r as unknown as { db: Database.Database }).db.prepare('UPDATE notify_channels SET states = ? WHERE id = ?').run(JSON.stringify(['schedule-waiting', 'needs-permission', 'bell']), c.id);
  assert.deepEqual(r.get(c.id)!.states, ['needs-permission', 'bell']);
});
