/**
 * The daemon's web server core (src/server/http/) as a client meets it:
 * request bodies, HEAD, the query, routes' own body limits, WebSocket
 * routes asked for in plain HTTP and plain routes asked to upgrade, and a
 * handler that fails half way through its answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { startServer } from '../helpers/server.js';
import { CSP } from '../../src/server/headers.js';
import type { RouteArea } from '../../src/server/types.js';

/** A request over the daemon's unix socket (the owner's CLI and hooks use it). */
function unixRequest(socketPath: string, method: string, path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const r = httpRequest({ socketPath, method, path, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    r.on('error', reject);
    r.end(body);
  });
}

test('bodies: over the limit is a 413; not JSON a 400; empty reads as none; a route may take less', async () => {
  const s = await startServer();
  const cookie = await s.login();
  const big = await s.request('POST', '/api/sessions', { cookie, body: JSON.stringify({ name: 'x', cwd: 'a'.repeat(70 * 1024) }) });
  assert.equal(big.status, 413, big.text);
  assert.equal((big.json as { error: { code: string } }).error.code, 'too-large');
  assert.equal(big.headers['content-security-policy'], CSP, 'the usual headers on a refused body');

  const bad = await s.request('POST', '/api/sessions', { cookie, body: '{"name": ' });
  assert.equal(bad.status, 400);
  assert.equal((bad.json as { error: { code: string } }).error.code, 'bad-json');
  assert.ok(!bad.text.includes('name'), 'the body is not echoed');

  // Logging out with no body at all: read as none, not as bad JSON.
  const out = await s.request('POST', '/api/logout', { cookie, body: '' });
  assert.equal(out.status, 204, out.text);

  // A Claude hook report has its own, smaller limit (16 KiB) on the unix socket.
  const report = JSON.stringify({ hook_event_name: 'Notification', session_id: 's', message: 'm'.repeat(20 * 1024) });
  const hook = await unixRequest(s.daemon.paths.socket, 'POST', '/api/hooks/claude', report);
  assert.equal(hook.status, 413, hook.text);
  const small = await unixRequest(s.daemon.paths.socket, 'POST', '/api/hooks/claude', '{}');
  assert.notEqual(small.status, 413, 'a small report is read');
});

test('HEAD answers as GET without a body; a repeated query field is refused, not half read', async () => {
  const s = await startServer();
  const cookie = await s.login();
  const get = await s.request('GET', '/api/sessions', { cookie });
  const head = await s.request('HEAD', '/api/sessions', { cookie });
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
  assert.equal(head.headers['content-type'], get.headers['content-type']);
  assert.equal(head.headers['content-security-policy'], CSP);
  assert.equal((await s.request('HEAD', '/api/sessions')).status, 401, 'HEAD needs the same credential as GET');

  await s.tmux.run('new-session', '-d', '-s', 'main');
  const twice = await s.request('GET', '/api/sessions/main/windows/0/history?lines=5&lines=6', { cookie });
  assert.equal(twice.status, 400, twice.text);
  const once = await s.request('GET', '/api/sessions/main/windows/0/history?lines=5', { cookie });
  assert.equal(once.status, 200, once.text);
});

test('a WebSocket route asked for in plain HTTP is a 426; a plain route asked to upgrade is a 404, and nothing upgrades', async () => {
  const s = await startServer();
  const cookie = await s.login();
  const plain = await s.request('GET', '/api/events', { cookie });
  assert.equal(plain.status, 426, plain.text);
  assert.equal(plain.headers.upgrade, 'websocket');
  await assert.rejects(s.ws('/api/sessions', { cookie }), /HTTP 404/);
  await assert.rejects(s.ws('/api/nothing-here', { cookie }), /HTTP 404/);
  const ws = await s.ws('/api/events', { cookie });
  ws.close();
});

test('a handler that fails before answering is a 500 that says nothing of it; one that fails half way cuts the connection', async () => {
  const failing: RouteArea = {
    name: 'failing',
    register(app) {
      app.get('/api/fails', () => {
        throw new Error('secret detail');
      });
      app.get('/api/fails-later', (_req, reply) => reply.send(Readable.from((async function* () {
        yield 'first part\n';
        throw new Error('the stream failed');
      })())));
    },
  };
  const s = await startServer({ extraRoutes: [failing] });
  const cookie = await s.login();
  const early = await s.request('GET', '/api/fails', { cookie });
  assert.equal(early.status, 500);
  assert.ok(!early.text.includes('secret'), early.text);
  assert.equal(early.headers['content-security-policy'], CSP);
  // The status went out with the first part: the client must see the answer is cut, not take it as whole.
  const cut = await new Promise<{ status: number; complete: boolean; text: string }>((resolve, reject) => {
    const r = httpRequest({ host: '127.0.0.1', port: s.port, path: '/api/fails-later', headers: { host: s.host, cookie } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('error', () => undefined);
      res.on('close', () => resolve({ status: res.statusCode ?? 0, complete: res.complete, text }));
    });
    r.on('error', reject);
    r.end();
  });
  assert.equal(cut.status, 200);
  assert.equal(cut.text, 'first part\n');
  assert.equal(cut.complete, false, 'the answer is cut, not ended as if whole');
  assert.equal((await s.request('GET', '/healthz')).status, 200, 'the daemon serves on');
});
