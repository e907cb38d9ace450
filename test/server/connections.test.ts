/**
 * One client cannot lock everyone out over TCP: unauthenticated connections
 * are capped per address (the oldest is evicted, not the newcomer), idle
 * ones end at the headers deadline (enforced within a second, not Node's
 * 30 s check), and a logged-in browser's connection is never evicted. All
 * connections here come from 127.0.0.1, bounded in number and time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { connect, Socket } from 'node:net';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { addressKey, ConnectionLimiter } from '../../src/server/connection-limit.js';

const PER_ADDRESS = 8;
const FLOOD = 60;

/**
 * Open `n` idle TCP connections (they send nothing), also pushed to `opened`;
 * resolves once all are connected or refused. A test closes them in a
 * `finally`: the daemon's own after hook would otherwise wait for them.
 */
async function flood(opened: Socket[], s: TestServer, n: number): Promise<Socket[]> {
  const socks = Array.from({ length: n }, () => {
    const c = connect(s.port, '127.0.0.1');
    c.on('error', () => undefined); // an evicted connection may be reset
    c.resume(); // read, so the server's close is seen
    return c;
  });
  opened.push(...socks);
  await Promise.all(socks.map((c) => new Promise<void>((r) => {
    c.once('connect', () => r());
    c.once('error', () => r());
    c.once('close', () => r());
  })));
  return socks;
}

const stillOpen = (socks: Socket[]) => socks.filter((c) => !c.destroyed && c.readyState === 'open').length;

/** GET with a cookie on `agent` (one kept-alive socket); resolves with the status and the local port of the socket used. */
function get(s: TestServer, agent: Agent, path: string, cookie: string): Promise<{ status: number; port: number }> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port: s.port, path, agent, headers: { host: s.host, cookie } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, port: r.socket?.localPort ?? 0 }));
    });
    r.on('error', reject);
    r.end();
  });
}

test('a flood of idle connections from one address: capped, the oldest evicted, a logged-in browser keeps its connection and gets new ones', async () => {
  const opened: Socket[] = [];
  try {
    const s = await startServer({ connections: { perAddress: PER_ADDRESS } });
    const cookie = await s.login();
    const browser = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(s, browser, '/api/me', cookie);
    assert.equal(first.status, 200);

    const socks = await flood(opened, s, FLOOD);
    await waitFor(() => stillOpen(socks) <= PER_ADDRESS, 10_000, `at most ${PER_ADDRESS} idle connections left open`);
    assert.ok(socks.slice(-PER_ADDRESS).every((c) => !c.destroyed), 'the newest are kept: a newcomer is never the one refused');

    const again = await get(s, browser, '/api/me', cookie);
    assert.equal(again.status, 200);
    assert.equal(again.port, first.port, 'the logged-in connection survived the flood');
    // A fresh connection of the browser (its old one gone) gets through while the flood goes on.
    browser.destroy();
    const more = flood(opened, s, FLOOD);
    const fresh = new Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal((await get(s, fresh, '/api/me', cookie)).status, 200);
    await more;
    fresh.destroy();
  } finally {
    opened.forEach((c) => c.destroy());
  }
});

test('a connection that sends no headers ends at the headers deadline, checked every second', async () => {
  const opened: Socket[] = [];
  try {
    const s = await startServer({ connections: { headersTimeoutMs: 1000 } });
    const [idle] = await flood(opened, s, 1);
    const partial = connect(s.port, '127.0.0.1');
    partial.write(`GET /healthz HTTP/1.1\r\nHost: ${s.host}\r\n`);
    partial.on('error', () => undefined); // the server's close may reset it
    opened.push(partial);
    let answer = '';
    partial.on('data', (d) => (answer += d.toString()));
    // Node's own check runs every 30 s: without the daemon's 1 s interval these would live up to 31 s.
    await waitFor(() => idle!.destroyed || idle!.readyState === 'closed', 4000, 'the idle connection to end');
    await waitFor(() => partial.destroyed || partial.readyState === 'closed' || answer.includes('408'), 4000, 'the half-sent request to end');
  } finally {
    opened.forEach((c) => c.destroy());
  }
});

test('the limiter: per-address and total caps evict the oldest unproven connection; proven ones stay; IPv6 is keyed by /64', () => {
  assert.equal(addressKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressKey('::ffff:10.1.2.3'), '10.1.2.3');
  assert.equal(addressKey('192.0.2.1'), '192.0.2.1');
  // Plain sockets stand in for connections: the limiter reads remoteAddress, listens for close and calls destroy.
  const made: Socket[] = [];
  const sock = (addr: string) => {
    const c = new Socket(); // never connected: only its address, close event and destroy() are used
    Object.defineProperty(c, 'remoteAddress', { value: addr });
    made.push(c);
    return c;
  };
  const l = new ConnectionLimiter({ perAddress: 2, total: 5 });
  const [a1, a2, a3, a4] = [1, 2, 3, 4].map(() => sock('192.0.2.1')) as [Socket, Socket, Socket, Socket];
  [a1, a2].forEach((c) => l.admit(c));
  l.prove(a1);
  [a3, a4].forEach((c) => l.admit(c));
  assert.deepEqual([a1, a2, a3, a4].map((c) => c.destroyed), [false, true, false, false], 'per address: the oldest unproven goes, the proven stays');
  const b = [sock('192.0.2.2'), sock('192.0.2.3'), sock('192.0.2.4')];
  b.forEach((c) => l.admit(c));
  assert.equal(a3.destroyed, true, 'total: the oldest unproven anywhere goes');
  assert.equal(l.stats().open, 5);
  [a4, ...b].forEach((c) => l.prove(c));
  const late = sock('192.0.2.5');
  l.admit(late);
  assert.equal(late.destroyed, true, 'all slots proven: the newcomer is refused');
  made.forEach((c) => c.destroy());
});

test('read-only logins hold at most three quarters of the connections: past that their requests get 503, and the owner still gets in', async () => {
  const s = await startServer({ connections: { total: 8 } });
  const ro = s.daemon.auth.createApiToken({ role: 'read-only' }).token;
  const agents: Agent[] = [];
  const status = (headers: Record<string, string>) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    return new Promise<number>((resolve, reject) => {
      const r = request({ host: '127.0.0.1', port: s.port, path: '/api/me', agent, headers: { host: s.host, ...headers } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      r.on('error', reject);
      r.end();
    });
  };
  try {
    const cookie = await s.login();
    // Six kept-alive read-only connections: the share of 8 (the login's own connection has closed or is the owner's).
    for (let i = 0; i < 6; i++) assert.equal(await status({ authorization: `Bearer ${ro}` }), 200, `read-only connection ${i + 1}`);
    assert.equal(await status({ authorization: `Bearer ${ro}` }), 503, 'the seventh read-only connection');
    assert.equal(await status({ cookie }), 200, 'the owner, on a connection of its own');
  } finally {
    agents.forEach((a) => a.destroy());
  }
});

test('the limiter: read-only proofs stop at three quarters of the total; such a connection stays unproven and can be evicted', () => {
  const made: Socket[] = [];
  const sock = (addr: string) => {
    const c = new Socket();
    Object.defineProperty(c, 'remoteAddress', { value: addr });
    made.push(c);
    return c;
  };
  const l = new ConnectionLimiter({ perAddress: 8, total: 4 });
  const r = [1, 2, 3, 4].map((i) => sock(`192.0.2.${i}`));
  r.forEach((c) => l.admit(c));
  assert.deepEqual(r.map((c) => l.prove(c, true)), [true, true, true, false]);
  const owner = sock('192.0.2.9');
  l.admit(owner);
  assert.deepEqual([r[3]!.destroyed, owner.destroyed], [true, false], 'the unproven read-only connection makes room');
  assert.equal(l.prove(owner), true);
  made.forEach((c) => c.destroy());
});
