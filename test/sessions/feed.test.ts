/**
 * The shared sessions feed on a real private tmux server: watchers hear
 * changed listings; a watcher that asks for every listing also hears one
 * equal to the last, as after a session that came and went between two
 * listings (the case that left a terminal open on a killed session). A feed
 * told of changes lists only then, at times asked for, and when asked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { SessionsFeed } from '../../src/sessions/feed.js';
import { killSession, listSessions, newSession } from '../../src/tmux/index.js';

test('a session that came and went between two listings: only every-listing watchers hear the second', async () => {
  const t = privateTmux();
  // A program that prints nothing: a shell drawing its prompt between the two listings (a loaded machine) changes the listing.
  await newSession(t.client, { name: 'stays', command: ['sleep', '600'] });
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

test('a feed told of changes lists only when told, when a time asked for comes, or when asked; never on its own', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'one' });
  let lists = 0;
  const feed = new SessionsFeed({
    list: () => {
      lists++;
      return listSessions(t.client);
    },
    intervalMs: 50,
    told: true,
  });
  const seen: string[] = [];
  feed.watch((s) => seen.push(s.map((x) => x.name).join(',')));
  await waitFor(() => lists === 1 && seen.length === 1, 5000, 'the first listing');
  // Twenty intervals with nothing told: no listing (a feed that polled would have made twenty).
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(lists, 1, 'no listing while nothing changed');
  await newSession(t.client, { name: 'two' });
  feed.changed();
  feed.changed();
  await waitFor(() => seen.at(-1) === 'one,two', 5000, 'the listing after the change');
  assert.equal(lists, 2, 'changes told together make one listing');
  feed.listBy(Date.now() + 100);
  await waitFor(() => lists === 3, 5000, 'the listing at the time asked for');
  await feed.refresh();
  assert.equal(lists, 4);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(lists, 4, 'a time asked for is forgotten once a listing has made it');
  feed.close();
  feed.changed();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(lists, 4, 'nobody listens: nothing is listed');
});
