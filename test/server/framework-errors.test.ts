/**
 * The answers to requests no route takes (a malformed %-escape, a path part
 * too long, no such route), to HTTP that does not parse or headers too large
 * (written by Node), and to a request on a kept-alive connection while the
 * daemon stops carry the same security
 * headers as every other answer, go through the Host check, and never repeat
 * the request's path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { CSP } from '../../src/server/headers.js';
import type { RouteArea } from '../../src/server/types.js';

/** Send `raw` on a fresh TCP connection and read until the server closes it. */
function rawHttp(s: TestServer, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(s.port, '127.0.0.1');
    let got = '';
    sock.on('data', (d) => (got += d.toString('latin1')));
    sock.on('close', () => resolve(got));
    sock.on('error', reject);
    sock.end(raw);
  });
}

/** Status, lower-case headers and body of one raw HTTP/1.1 answer. */
function parse(answer: string): { status: number; headers: Record<string, string>; body: string } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

function secured(headers: Record<string, string | string[] | undefined>, what: string): void {
  assert.equal(headers['content-security-policy'], CSP, `${what}: CSP`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(headers['referrer-policy'], 'no-referrer', what);
  assert.equal(headers['x-frame-options'], 'DENY', what);
}

test('bad paths and 404s: security headers, the Host check, and the path never echoed', async () => {
  const s = await startServer();
  const cookie = await s.login();
  const paths = ['/assets/%c0%ae', '/api/sessions/%ff', '/%', `/api/sessions/${'x'.repeat(300)}`, '/no/such/route', '/api/nothing-here'];
  for (const path of paths) {
    for (const o of [{}, { cookie }]) {
      const r = await s.request('GET', path, o);
      assert.ok([400, 401, 404, 414].includes(r.status), `${path}: ${r.status} ${r.text}`);
      secured(r.headers, path);
      assert.ok(!r.text.includes('%') && !r.text.includes('x'.repeat(20)) && !r.text.includes(path), `${path}: the path is not echoed: ${r.text}`);
      assert.match(r.text, /^\{"error":\{"code":"[a-z-]+","message":"[^"]+"\}\}$/, path);
      const foreign = await s.request('GET', path, { ...o, host: 'evil.example' });
      assert.equal(foreign.status, 403, `${path} with a foreign Host: ${foreign.text}`);
      secured(foreign.headers, `${path} foreign Host`);
    }
  }
  const malformed = parse(await rawHttp(s, `GET /x%ff HTTP/1.1\r\nHost: ${s.host}\r\nBad Header Line\r\n\r\n`));
  assert.equal(malformed.status, 400);
  secured(malformed.headers, 'unparseable HTTP');
  assert.doesNotMatch(malformed.body, /x%ff/);
  const huge = parse(await rawHttp(s, `GET / HTTP/1.1\r\nHost: ${s.host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
  assert.equal(huge.status, 431);
  secured(huge.headers, 'headers too large');
});

test('a WebSocket handshake `ws` would refuse on the raw socket: refused with the usual headers', async () => {
  const s = await startServer();
  const token = s.daemon.auth.createApiToken({ role: 'owner' }).token;
  const upgrade = (key: string, version: string, extra = '') => rawHttp(s, `GET /api/terminal?session=main HTTP/1.1\r\nHost: ${s.host}\r\n`
    + `Authorization: Bearer ${token}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n${extra}\r\n`);
  const good = 'dGhlIHNhbXBsZSBub25jZQ==';
  for (const [key, version, status] of [['nope', '13', 400], [good, '12', 426], ['', '', 400]] as const) {
    const r = parse(await upgrade(key, version));
    assert.equal(r.status, status, `key ${key} version ${version}`);
    secured(r.headers, `upgrade with key ${JSON.stringify(key)} version ${version}`);
  }
  const offered = parse(await upgrade(good, '13', 'Sec-WebSocket-Protocol: a,,b\r\n'));
  assert.equal(offered.status, 101, 'a subprotocol list, even malformed, is dropped: Roost speaks none');
  assert.equal(offered.headers['sec-websocket-protocol'], undefined);
});

test('a request on a kept-alive connection while the daemon stops: 503 with the security headers', async () => {
  let entered = () => {};
  const inside = new Promise<void>((r) => (entered = r));
  let release = () => {};
  const released = new Promise<void>((r) => (release = r));
  const slow: RouteArea = {
    name: 'slow',
    register(app) {
      app.get('/api/slow', async () => {
        entered();
        await released;
        return { ok: true };
      });
    },
  };
  const s = await startServer({ extraRoutes: [slow] });
  const token = s.daemon.auth.createApiToken({ role: 'owner' }).token;
  const req = (path: string) => `GET ${path} HTTP/1.1\r\nHost: ${s.host}\r\nAuthorization: Bearer ${token}\r\n\r\n`;
  const sock = connect(s.port, '127.0.0.1');
  let raw = '';
  sock.on('data', (d) => (raw += d.toString('latin1')));
  sock.write(req('/api/slow'));
  await inside;
  const closing = s.daemon.tcp.close();
  await waitFor(() => !s.daemon.tcp.server.listening, 10_000, 'the listener to stop accepting');
  // The connection is busy, so it stays open: a second request on it arrives while the daemon is closing.
  sock.write(req('/api/sessions'));
  release();
  await waitFor(() => /HTTP\/1\.1 503[\s\S]*\r\n\r\n\{[^}]*\}\}/.test(raw), 10_000, `a 503: ${JSON.stringify(raw)}`);
  sock.destroy();
  const second = parse(raw.slice(raw.indexOf('HTTP/1.1', 10)));
  assert.equal(second.status, 503, JSON.stringify(raw));
  secured(second.headers, '503 while closing');
  await closing;
});
