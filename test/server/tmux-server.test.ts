/**
 * The tmux server going away is said, once: in the daemon's log, on the
 * events socket (also to browsers that connect during the outage), and as a
 * notification; and again when a server runs again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { sink } from '../notify/sink.js';
import { newSession } from '../../src/tmux/index.js';
import { webhookChannel } from '../../src/notify/create.js';
import { notifyService } from '../../src/notify/daemon-service.js';

interface TmuxMsg { type: 'tmux'; running: boolean; at: number }

function tmuxMessages(ws: WebSocket): TmuxMsg[] {
  const seen: TmuxMsg[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as { type: string };
    if (m.type === 'tmux') seen.push(m as TmuxMsg);
  });
  return seen;
}

test('kill-server is logged once, pushed to browsers and channels; a new server is said too', async () => {
  const s = await startServer({ feedIntervalMs: 200, log: { level: 'warn' } });
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const hook = await sink();
  s.daemon.get(notifyService).notifier.channels.add(await webhookChannel({ url: hook.url, allowPrivate: true }));
  const cookie = await s.login();
  let seen: TmuxMsg[] = [];
  const ws = await s.ws('/api/events', { cookie }, (w) => (seen = tmuxMessages(w)));
  const titles = () => hook.received.map((r) => JSON.parse(r.body.toString()).title as string);
  const stoppedLines = () => s.logs.filter((l) => l.includes('the tmux server') && l.includes('stopped')).length;
  await waitFor(() => s.daemon.feed.current()?.length === 1, 10_000, 'the feed sees the session');

  await s.tmux.run('kill-server');
  await waitFor(() => seen.some((m) => !m.running), 10_000, 'a tmux message: not running');
  await waitFor(() => titles().includes('Roost — the tmux server stopped'), 10_000, `notified: ${titles()}`);
  assert.equal(stoppedLines(), 1);
  // What brings the sessions back, with the server's name as the commands need it.
  const stoppedBody = JSON.parse(hook.received.find((r) => JSON.parse(r.body.toString()).title === 'Roost — the tmux server stopped')!.body.toString()).body as string;
  assert.match(stoppedBody, new RegExp(`roost -L ${s.tmux.socket} restore brings them back`), stoppedBody);
  assert.ok(s.logs.some((l) => l.includes('stopped') && l.includes(`roost -L ${s.tmux.socket} restore brings them back`)), s.logs.join(''));

  // A browser that connects during the outage hears it too.
  let lateSeen: TmuxMsg[] = [];
  const late = await s.ws('/api/events', { cookie }, (w) => (lateSeen = tmuxMessages(w)));
  await waitFor(() => lateSeen.some((m) => !m.running), 10_000, 'the late browser is told');

  // No server: no connection tells of changes, so the feed lists on its interval.
  const polls = s.daemon.feed.polls;
  await waitFor(() => s.daemon.feed.polls >= polls + 3, 10_000, 'more listings');
  assert.equal(stoppedLines(), 1, 'said once, not at every listing');
  assert.equal(seen.filter((m) => !m.running).length, 1);

  await newSession(s.tmux.client, { name: 'again', command: ['sh'] });
  await waitFor(() => seen.some((m) => m.running), 10_000, 'a tmux message: running');
  await waitFor(() => titles().includes('Roost — a tmux server runs again'), 10_000, `notified: ${titles()}`);
  assert.ok(s.logs.some((l) => l.includes('a tmux server runs again')), 'logged');
  ws.close();
  late.close();
});

test('a daemon started with no tmux server says nothing when the first one starts', async () => {
  const s = await startServer({ feedIntervalMs: 200, log: { level: 'warn' } });
  const cookie = await s.login();
  let seen: TmuxMsg[] = [];
  const ws = await s.ws('/api/events', { cookie }, (w) => (seen = tmuxMessages(w)));
  const polls = s.daemon.feed.polls;
  await waitFor(() => s.daemon.feed.polls >= polls + 3, 10_000, 'listings');
  // The first server (roost new, a restore at start) is how things begin, not news.
  await newSession(s.tmux.client, { name: 'first', command: ['sh'] });
  await waitFor(() => s.daemon.feed.current()?.length === 1, 10_000, 'the feed sees the session');
  // More listings (tmux tells of no change now: asked for).
  await s.daemon.feed.refresh();
  await s.daemon.feed.refresh();
  assert.deepEqual(seen, []);
  assert.ok(!s.logs.some((l) => l.includes('tmux server')), s.logs.join(''));
  ws.close();
});
