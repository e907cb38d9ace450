/**
 * Read-only terminals on one window share one tmux client
 * (src/server/terminal/viewer-shares.ts), and that client follows its
 * window's size. Real daemon, real tmux, real WebSocket clients.
 */
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startServer, type TermClient, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { listSessions, newSession } from '../../src/tmux/index.js';

/** The read-only tmux clients on the server: their sizes. */
async function readOnlyClients(s: TestServer): Promise<string[]> {
  const out = await s.tmux.run('list-clients', '-F', '#{client_readonly} #{client_width}x#{client_height}');
  return out.split('\n').filter((l) => l.startsWith('1 ')).map((l) => l.slice(2));
}

async function viewer(s: TestServer, token: string, window?: string, autoAck = true): Promise<TermClient> {
  const v = await s.terminal('main', { bearer: token, origin: null, cols: 2, rows: 2, autoAck, ...(window !== undefined ? { window } : {}) });
  assert.equal((await v.hello()).readOnly, true);
  return v;
}

test('a read-only viewer follows its window\'s size: the owner resizes it, and the viewer\'s client takes the new size', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'], width: 100, height: 30 });
  const owner = await s.terminal('main', { cookie: await s.login(), cols: 100, rows: 31, device: 'desk-0001' });
  await owner.hello();
  const ro = s.daemon.auth.createApiToken({ role: 'read-only' });
  const v = await viewer(s, ro.token);
  await waitFor(async () => (await readOnlyClients(s)).join() === '100x31', 10_000, 'the viewer\'s client at the window\'s size');

  // The owner's device sizes the window (it types there), then its screen grows.
  owner.type('x');
  owner.send({ type: 'resize', cols: 120, rows: 41 });
  await waitFor(async () => (await s.tmux.run('display-message', '-p', '-t', 'main:', '#{window_width}x#{window_height}')).trim() === '120x40', 10_000, 'the window at 120x40');
  await waitFor(() => v.frames.some((f) => f.type === 'view' && f.size?.cols === 120 && f.size.rows === 41), 10_000, 'a VIEW with the new size');
  // Before: the viewer's page was told 120x41 while its client stayed 100x31, so it showed a part of the window.
  await waitFor(async () => (await readOnlyClients(s)).join() === '120x41', 10_000, 'the viewer\'s client at the new size');
});

test('read-only viewers of one window share one tmux client; another window gets its own; each sees the screen as it is when it joins; the last one out takes it away', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'], width: 90, height: 25 });
  await s.tmux.run('new-window', '-d', '-t', 'main:1', 'sh');
  const owner = await s.terminal('main', { cookie: await s.login(), cols: 90, rows: 26, device: 'desk-0001' });
  await owner.hello();
  owner.type('echo BEFORE-$((20+1))\r');
  await owner.see('BEFORE-21');
  const ro = s.daemon.auth.createApiToken({ role: 'read-only' });

  // Two at once on window 0 (as a share link opened by several people); one more naming it by index; one on window 1.
  const [a, b] = await Promise.all([viewer(s, ro.token), viewer(s, ro.token)]);
  const c = await viewer(s, ro.token, '0');
  const other = await viewer(s, ro.token, '1');
  for (const v of [a!, b!, c!]) await v.see('BEFORE-21');
  assert.deepEqual(await readOnlyClients(s), ['90x26', '90x26'], 'one client for window 0, one for window 1');
  assert.equal(s.daemon.terminals.shares.size, 2);
  // Devices, not tmux clients: the owner and four viewers.
  const attached = async () => (await listSessions(s.tmux.client)).find((x) => x.name === 'main')?.attached;
  await waitFor(async () => (await attached()) === 5, 10_000, 'five devices in the listing');

  owner.type('echo LIVE-$((40+2))\r');
  for (const v of [a!, b!, c!]) await v.see('LIVE-42');
  assert.ok(!other.text().includes('LIVE-42'), 'window 1\'s viewer does not see window 0');

  // One leaves: the others go on. One joins later: it sees what was printed before it came.
  a!.ws.close();
  await a!.waitClosed();
  owner.type('echo AFTER-$((50+3))\r');
  for (const v of [b!, c!]) await v.see('AFTER-53');
  await waitFor(async () => (await attached()) === 4, 10_000, 'four devices in the listing');
  const late = await viewer(s, ro.token);
  await late.see('AFTER-53');
  assert.equal((await readOnlyClients(s)).length, 2, 'the late viewer joined the share');

  for (const v of [b!, c!, late, other]) v.ws.close();
  await waitFor(async () => (await readOnlyClients(s)).length === 0, 10_000, 'no read-only client left');
  await waitFor(async () => (await s.views()).length === 1, 10_000, 'only the owner\'s view left');
  assert.equal(s.daemon.terminals.shares.size, 0);
  // Nor the shares' size anchors (control-mode clients).
  await waitFor(async () => !(await s.tmux.run('list-clients', '-F', '#{client_control_mode} #{session_name}')).split('\n').some((l) => l.startsWith('1 roost-view')), 10_000, 'no anchor left');
});

test('a viewer that stops reading holds no other viewer of its share back, and once it reads again it is shown the screen as it is', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'], width: 80, height: 24 });
  const owner = await s.terminal('main', { cookie: await s.login(), device: 'desk-0001' });
  await owner.hello();
  const ro = s.daemon.auth.createApiToken({ role: 'read-only' });
  const stalled = await viewer(s, ro.token, undefined, false);
  const reading = await viewer(s, ro.token);
  await waitFor(() => stalled.outputBytes > 0 && reading.outputBytes > 0, 10_000, 'both drawn');
  assert.equal((await readOnlyClients(s)).length, 1);

  // Output until the stalled viewer is behind: how much a flood gives a tmux client depends on the machine's speed
  // (tmux skips what a busy client missed and redraws), so flood until it is, not for a fixed amount.
  const stop = join(s.dir, 'stop');
  owner.type(`while [ ! -e ${stop} ]; do seq 1 1000; done; clear; echo DONE-$((3*3))\r`);
  await waitFor(() => s.daemon.terminals.stats().some((t) => t.readOnly && t.behind), 60_000, 'the stalled viewer behind');
  writeFileSync(stop, '');
  await reading.see('DONE-9', 60_000);
  assert.ok(!stalled.text().includes('DONE-9'));

  // It ACKs what it got: caught up, it is redrawn.
  stalled.send({ type: 'ack', bytes: stalled.outputBytes });
  stalled.autoAck = true;
  await stalled.see('DONE-9', 20_000);
});

test('viewers asking for a window that is not there (a link to a closed window) are told, and all share the client of the window they are shown', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'], width: 80, height: 24 });
  const ro = s.daemon.auth.createApiToken({ role: 'read-only' });
  const first = await viewer(s, ro.token, '9');
  const [second, third] = await Promise.all([viewer(s, ro.token, '9'), viewer(s, ro.token, '9')]);
  const plain = await viewer(s, ro.token);
  for (const v of [first, second!, third!]) {
    const error = await v.frame('error');
    assert.equal(error.code, 'no-window');
    assert.equal((await v.hello()).window, '0', 'shown the session\'s current window');
  }
  assert.ok(!plain.frames.some((f) => f.type === 'error'));
  assert.equal((await readOnlyClients(s)).length, 1, 'one client for all four');
  assert.equal(s.daemon.terminals.shares.size, 1);
});
