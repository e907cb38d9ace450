import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { privateTmux, waitFor, RM_TREE } from '../helpers/tmux.js';
import { sink } from '../notify/sink.js';
import { newSession, newWindow, listSessions } from '../../src/tmux/index.js';
import { SessionsFeed } from '../../src/sessions/feed.js';
import { startAttentionService } from '../../src/attention/service.js';
import { createNotifier } from '../../src/notify/notifier.js';
import { NOTIFY_SCHEMA } from '../../src/notify/schema.js';
import { ATTENTION_SCHEMA } from '../../src/attention/schema.js';
import { migrate } from '../../src/store/schema.js';
import { webhookChannel } from '../../src/notify/create.js';
import type { SessionInfo } from '../../src/shared/api.js';

test('composed with the sessions feed: states reach browsers and channels; a hook report applies at once; watched windows stay quiet', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'main', command: ['sleep', '600'] });
  const stateDir = mkdtempSync(join(tmpdir(), 'roost-state-'));
  after(() => rmSync(stateDir, RM_TREE));
  const db = new Database(':memory:');
  migrate(db, [NOTIFY_SCHEMA, ATTENTION_SCHEMA]);
  after(() => db.close());
  const feed = new SessionsFeed({ list: () => listSessions(t.client) });
  after(() => feed.close());
  let watchedWindow = '';
  const errors: unknown[] = [];
  const notifier = createNotifier({ db, stateDir, isBeingWatched: (_s, w) => w === watchedWindow, onError: (_what, e) => errors.push(e) });
  after(() => notifier.close());
  const svc = startAttentionService({
    feed, tmux: t.client, db, notifier, silenceFor: () => 2,
    onError: (_what, e) => errors.push(e),
  });
  after(() => svc.close());
  const s = await sink();
  notifier.channels.add(await webhookChannel({ url: s.url, allowPrivate: true }));

  const messages: { type: string; sessions?: SessionInfo[]; event?: { state: string; windowId: string } }[] = [];
  feed.subscribe((text) => messages.push(JSON.parse(text)));
  const windowIn = (id: string) => {
    for (let i = messages.length - 1; i >= 0; i--) {
      const w = messages[i]!.sessions?.flatMap((x) => x.windows).find((x) => x.id === id);
      if (w) return w;
    }
    return undefined;
  };

  // A shell at its prompt, silent all along: `shell`, never counted, never pushed.
  const prompt = await newWindow(t.client, { session: 'main', name: 'prompt', command: ['bash', '--norc', '--noprofile'], detached: true });
  const quiet = await newWindow(t.client, { session: 'main', name: 'quiet', command: ['sleep', '600'], detached: true });
  const watched = await newWindow(t.client, { session: 'main', name: 'seen', command: ['sleep', '600'], detached: true });
  watchedWindow = watched;
  await waitFor(() => windowIn(quiet)?.status === 'waiting', 15_000, 'the browser feed shows waiting');
  await waitFor(() => messages.some((m) => m.type === 'attention' && m.event?.windowId === quiet && m.event.state === 'waiting'), 5000, 'attention event published');
  const titles = () => s.received.map((r) => JSON.parse(r.body.toString()).title as string);
  await waitFor(() => titles().includes('main:2 quiet — waiting'), 10_000, `notified: ${titles()}`);
  assert.ok(!titles().some((x) => x.startsWith('main:3 ')), 'the watched window was not notified');
  assert.equal(windowIn(prompt)?.status, 'shell');
  assert.ok(!titles().some((x) => x.startsWith('main:1 ')), `the shell at its prompt was not notified: ${titles()}`);
  assert.ok(!messages.some((m) => m.type === 'attention' && m.event?.windowId === prompt && m.event.state === 'waiting'));

  const pane = windowIn(quiet)!.panes[0]!.id;
  const r = svc.handleClaudeHook({ v: 1, agent: 'claude', event: 'Notification', notificationType: 'permission_prompt', pane, sessionId: 'sess-1' });
  assert.equal(r.status, 204);
  await waitFor(() => windowIn(quiet)?.agent === 'needs-permission', 5000, 'the feed shows the agent state');
  assert.equal(svc.paneAgents.get(pane)?.sessionId, 'sess-1');
  await waitFor(() => titles().includes('main:2 quiet — needs permission'), 10_000, `notified again: ${titles()}`);
  assert.equal(svc.handleClaudeHook({ v: 1, agent: 'claude', event: 'Stop', pane: 'nope' }).status, 400);
  assert.ok(notifier.vapidPublicKey().length > 80);
  assert.equal(statSync(join(stateDir, 'vapid.json')).mode & 0o777, 0o600);
  assert.deepEqual(errors, []);
});
