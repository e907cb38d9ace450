/**
 * Keys a page typed while its network was gone must not run when the
 * network comes back (docs/web.md: "dropped, not queued"). The daemon pings
 * each writable terminal's page; input arriving while a ping has gone
 * unanswered too long is dropped and the socket closed (1013), so the page
 * reconnects. A page that answers keeps typing however long it is quiet.
 * The cut network is a real socket whose reading is paused: pings reach its
 * buffer and go unanswered, and what it writes still arrives, as when the
 * network returns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession } from '../../src/tmux/index.js';

const LIVENESS = { everyMs: 200, staleMs: 1000 };

test('input from a page that stopped answering pings is dropped and its socket closed; a page that answers types on', async () => {
  const s = await startServer({ terminals: { liveness: LIVENESS } });
  await newSession(s.tmux.client, { name: 'main', command: ['cat'] });
  const screen = async () => s.tmux.run('capture-pane', '-p', '-t', '=main:');

  const live = await s.terminal('main', { cookie: await s.login() });
  await live.hello();
  await new Promise((r) => setTimeout(r, 2500)); // quiet, answering pings
  live.type('alive\r');
  await waitFor(async () => (await screen()).includes('alive'), 10_000, 'typing after a quiet spell');

  const cut = await s.terminal('main', { cookie: await s.login() });
  await cut.hello();
  const closed = new Promise<number>((r) => cut.ws.once('close', (code) => r(code)));
  const net = (cut.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  net.pause(); // the network goes: nothing more is read
  await new Promise((r) => setTimeout(r, 2500)); // past staleMs after a ping
  cut.type('stale\r'); // the network returns: what the page wrote arrives now,
  net.resume(); // and it reads again
  assert.equal(await closed, 1013);
  await new Promise((r) => setTimeout(r, 500));
  assert.doesNotMatch(await screen(), /stale/, 'the cut-off page\'s keys never reach the program');
  live.type('still\r');
  await waitFor(async () => (await screen()).includes('still'), 10_000, 'the other page types on');
});
