/**
 * The shared sessions feed on a real private tmux server: watchers hear
 * changed listings; a watcher that asks for every listing also hears one
 * equal to the last, as after a session that came and went between two
 * listings (the case that left a terminal open on a killed session).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux } from '../helpers/tmux.js';
import { SessionsFeed } from '../../src/sessions/feed.js';
import { killSession, listSessions, newSession } from '../../src/tmux/index.js';

test('a session that came and went between two listings: only every-listing watchers hear the second', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'stays' });
  // No timer in the way: listings happen when the test asks.
  const feed = new SessionsFeed({ list: () => listSessions(t.client), intervalMs: 3_600_000 });
  const changed: string[] = [];
  const every: string[] = [];
  const names = (s: readonly { name: string }[]) => s.map((x) => x.name).join(',');
  feed.watch((s) => changed.push(names(s)));
  feed.watch((s) => every.push(names(s)), { everyListing: true });
  await feed.refresh();
  const gone = await newSession(t.client, { name: 'brief' });
  await killSession(t.client, gone);
  await feed.refresh();
  feed.close();
  assert.deepEqual(changed, ['stays'], 'one listing changed anything');
  assert.ok(every.length >= 2 && every.every((x) => x === 'stays'), `every listing, equal ones too: ${JSON.stringify(every)}`);
});
