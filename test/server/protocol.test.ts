import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { plain, startServer, type TermClient, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession } from '../../src/tmux/index.js';
import { HIGH_WATERMARK_BYTES, MAX_FRAME_BYTES, PROTOCOL_VERSION, encodeClient } from '../../src/shared/protocol.js';

const rawSocket = (t: TermClient) => (t.ws as unknown as { _socket: Socket })._socket;

/** A second, well-behaved client keeps working: the daemon and the session are fine. */
async function stillServing(s: TestServer, cookie: string, marker: number): Promise<void> {
  assert.equal((await s.request('GET', '/healthz')).status, 200);
  const ok = await s.terminal('main', { cookie });
  await ok.hello();
  ok.type(`echo ok-$((${marker}+1))\r`);
  await ok.see(`ok-${marker + 1}`);
  ok.ws.close();
}

test('malformed frames close only that socket, with an ERROR first', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const watcher = await s.terminal('main', { cookie });
  await watcher.hello();

  const cases: [string, (t: TermClient) => void, boolean][] = [
    ['bad JSON in HELLO', (t) => t.ws.send(Buffer.from([0x10, ...Buffer.from('{"v":1,"cols":')])), false],
    ['unknown type', (t) => t.ws.send(Buffer.from([0x7f, 1, 2, 3])), true],
    ['empty frame', (t) => t.ws.send(Buffer.alloc(0)), true],
    ['a server type sent by the client', (t) => t.ws.send(Buffer.from([0x21, 65])), true],
    ['cols 1e9 in RESIZE', (t) => t.ws.send(Buffer.concat([Buffer.from([0x12]), Buffer.from('{"cols":1000000000,"rows":24}')])), true],
    ['INPUT before HELLO', (t) => t.send({ type: 'input', data: new Uint8Array([65]) }), false],
    ['a second HELLO', (t) => t.send({ type: 'hello', v: PROTOCOL_VERSION, cols: 80, rows: 24 }), true],
    ['ACK with a negative count', (t) => t.ws.send(Buffer.concat([Buffer.from([0x13]), Buffer.from('{"bytes":-5}')])), true],
    ['HELLO of an unknown version', (t) => t.send({ type: 'hello', v: 99, cols: 80, rows: 24 }), false],
  ];
  for (const [what, send, afterHello] of cases) {
    const q = new URLSearchParams({ session: 'main' });
    let t!: TermClient;
    if (afterHello) {
      t = await s.terminal('main', { cookie });
      await t.hello();
    } else {
      const { TermClient: TC } = await import('../helpers/server.js');
      await s.ws(`/api/terminal?${q}`, { cookie }, (ws) => (t = new TC(ws, true)));
    }
    send(t);
    const closed = await t.waitClosed();
    assert.equal(closed.code, 1002, `${what}: close code`);
    assert.ok(t.frames.some((f) => f.type === 'error'), `${what}: an ERROR frame came first`);
  }
  assert.equal(watcher.closed, null, 'the other connection stays open');
  watcher.type('echo alive-$((3*3))\r');
  await watcher.see('alive-9');
  await stillServing(s, cookie, 10);
  await waitFor(async () => (await s.views()).length === 1, 15_000, 'only the watcher\'s view left');
});

test('a message over MAX_FRAME_BYTES closes with 1009; the daemon keeps serving', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const t = await s.terminal('main', { cookie });
  await t.hello();
  t.ws.send(encodeClient({ type: 'input', data: new Uint8Array(MAX_FRAME_BYTES + 16).fill(0x61) }));
  assert.equal((await t.waitClosed()).code, 1009);
  assert.equal(s.daemon.terminals.stats().reduce((n, x) => n + x.inputBytes, 0), 0, 'none of it reached a pty');
  await stillServing(s, cookie, 20);
  // The events socket has the same limit.
  const ev = await s.ws('/api/events', { cookie });
  const code = new Promise<number>((r) => ev.on('close', (c) => r(c)));
  ev.send(Buffer.alloc(MAX_FRAME_BYTES + 1));
  assert.equal(await code, 1009);
});

test('no HELLO in time: ERROR "timeout" and close 4408; waiting sockets are capped', async () => {
  const s = await startServer({ terminals: { helloTimeoutMs: 300, maxAwaitingHello: 2 } });
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const { TermClient: TC } = await import('../helpers/server.js');
  const open = async () => {
    let t!: TermClient;
    await s.ws('/api/terminal?session=main', { cookie }, (ws) => (t = new TC(ws, true)));
    return t;
  };
  const a = await open();
  const b = await open();
  const c = await open();
  assert.equal((await c.waitClosed()).code, 1013, 'the third waiting socket is refused');
  assert.equal((await a.waitClosed()).code, 4408);
  assert.equal((await a.frame('error')).code, 'timeout');
  await b.waitClosed();
  assert.equal((await s.views()).length, 0, 'nothing was started for them');
});

test('flow control: a client that never ACKs and stops reading keeps the daemon bounded while yes runs, its tmux client is still read, and it is redrawn when it reads again', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'flood', command: ['yes', 'roost flow control'] });
  const cookie = await s.login();
  const slow = await s.terminal('flood', { cookie, autoAck: false });
  await slow.hello();
  rawSocket(slow).pause(); // the kernel buffers fill, then nothing more is read
  const fast = await s.terminal('flood', { cookie });
  await fast.hello();

  const slowStats = () => s.daemon.terminals.stats()[0]!;
  await waitFor(() => slowStats().behind, 30_000, 'the slow client behind');
  // Everything the daemon ever sent this client is unacknowledged, so the total is the bound.
  const bound = HIGH_WATERMARK_BYTES + 2 * 64 * 1024;
  const fastStart = s.daemon.terminals.stats()[1]!.outputBytes;
  await waitFor(() => s.daemon.terminals.stats()[1]!.outputBytes > fastStart + bound, 60_000, 'the other client keeps streaming');
  // Its pty is still read (and what it gives dropped), so its tmux client never blocks and tmux buffers nothing for it.
  const dropped = slowStats().dropped;
  await waitFor(() => slowStats().dropped > dropped + bound, 60_000, 'the slow client\'s output read and dropped');
  const st = slowStats();
  assert.equal(st.behind, true);
  assert.ok(st.outputBytes <= bound, `output to the non-reader ${st.outputBytes} <= ${bound}`);
  assert.ok(st.unacked <= bound && st.sending <= bound && st.bufferedAmount <= bound, JSON.stringify(st));

  // Reading and acknowledging again: a CAN (whatever sequence the drop cut off ends), then tmux redraws the whole screen, status line included.
  rawSocket(slow).resume();
  await waitFor(() => slow.outputBytes >= st.outputBytes, 20_000, 'buffered output delivered');
  const before = slow.outputBytes;
  slow.autoAck = true;
  slow.send({ type: 'ack', bytes: before });
  await waitFor(() => {
    const after = slow.raw().subarray(before);
    const at = after.indexOf(0x18);
    return at >= 0 && plain(after.subarray(at).toString('utf8')).includes('[flood');
  }, 30_000, 'a CAN, then the whole screen redrawn').catch((e: Error) => {
    throw new Error(`${e.message}: ${JSON.stringify(slowStats())} received ${JSON.stringify(slow.raw().subarray(before, before + 400).toString('latin1'))}`);
  });
  await waitFor(() => slowStats().outputBytes > bound * 2, 60_000, 'output flowing again');
  fast.ws.close();
  slow.ws.close();
  await s.tmux.kill(); // stop `yes` now rather than after the file
});

test('ACK is an increment and cannot go below zero', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const t = await s.terminal('main', { cookie, autoAck: false });
  await t.hello();
  await waitFor(() => t.outputBytes > 0, 15_000, 'first screen');
  await waitFor(() => s.daemon.terminals.stats()[0]!.unacked === t.outputBytes, 15_000, 'counts agree');
  // Output can still land after the ACK (the shell's prompt drawn late on a busy machine, the status
  // line's clock), and nothing acknowledges it: so acknowledge far too much again until the count is
  // seen at 0. Without the clamp it would sit near -10^12 and never read 0.
  await waitFor(async () => {
    t.send({ type: 'ack', bytes: 10 ** 12 });
    await new Promise((r) => setTimeout(r, 50));
    const { unacked } = s.daemon.terminals.stats()[0]!;
    assert.ok(unacked >= 0, `unacked went below zero: ${unacked}`);
    return unacked === 0;
  }, 15_000, 'unacked clamps at 0');
  assert.equal(t.closed, null);
});

test('read-only logins never take the owner\'s part of the terminal caps: waiting for HELLO, then open', async () => {
  // Caps of 4: a quarter (one) is the owner's alone.
  const s = await startServer({ terminals: { maxTerminals: 4, maxAwaitingHello: 4 } });
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const ro = s.daemon.auth.createApiToken({ role: 'read-only' }).token;
  const cookie = await s.login();
  const { TermClient: TC } = await import('../helpers/server.js');
  const open = async (o: { bearer?: string; cookie?: string }) => {
    let t!: TermClient;
    await s.ws('/api/terminal?session=main', o.bearer ? { bearer: o.bearer, origin: null } : o, (ws) => (t = new TC(ws, true)));
    return t;
  };
  // Three read-only sockets that never send HELLO: the fourth is refused, the owner's is not.
  const waiting = [await open({ bearer: ro }), await open({ bearer: ro }), await open({ bearer: ro })];
  const refused = await open({ bearer: ro });
  assert.equal((await refused.waitClosed()).code, 1013, 'a read-only socket past its share of the waiting ones');
  const owner = await s.terminal('main', { cookie });
  await owner.hello();
  waiting.forEach((w) => w.ws.close());
  owner.ws.close();
  await waitFor(() => s.daemon.terminals.size === 0, 10_000, 'all closed');
  // Three read-only terminals open (one shared tmux client, cheap to hold): the fourth is refused, the owner gets in.
  const readers = [];
  for (let i = 0; i < 3; i++) {
    const r = await s.terminal('main', { bearer: ro, origin: null });
    await r.hello();
    readers.push(r);
  }
  const fourth = await s.terminal('main', { bearer: ro, origin: null });
  assert.equal((await fourth.waitClosed()).code, 1013);
  const owner2 = await s.terminal('main', { cookie });
  assert.equal((await owner2.hello()).readOnly, false);
  assert.equal(owner2.closed, null);
});

test('a read-only page that stops reading while it floods refused frames is closed with 1013 before the answers pile up', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const ro = s.daemon.auth.createApiToken({ role: 'read-only' }).token;
  const reader = await s.terminal('main', { bearer: ro, origin: null });
  await reader.hello();
  rawSocket(reader).pause();
  // Each SELECT is answered with an ERROR (about 60 bytes): 200,000 of them are 12 MB, past what the kernel's
  // buffers hold and past the daemon's 4 MiB of unsent bytes.
  const select = encodeClient({ type: 'select', window: '0' });
  for (let i = 0; i < 200_000 && reader.ws.readyState === reader.ws.OPEN; i++) {
    reader.ws.send(select);
    if (i % 5000 === 0) await new Promise((r) => setImmediate(r));
  }
  await waitFor(() => s.daemon.terminals.size === 0, 30_000, 'the daemon to drop the page that does not read');
  rawSocket(reader).resume();
  assert.equal((await reader.waitClosed(40_000)).code, 1013);
});
