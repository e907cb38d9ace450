import { test } from 'node:test';
import { request as httpRequest } from 'node:http';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession } from '../../src/tmux/index.js';
import { PUBLIC_ROUTES, LOGIN_REDIRECT_ROUTES } from '../../src/server/access.js';

/** The documented allowlist (docs/api.md); the code's list must not drift from it. */
const ALLOWLIST = ['GET /healthz', 'GET /login', 'GET /assets/*', 'GET /manifest.webmanifest', 'GET /sw.js', 'POST /api/login'];
const REDIRECTS = ['GET /', 'GET /s/*', 'GET /jobs', 'GET /jobs/*', 'GET /schedules', 'GET /schedules/*'];

const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, 'x').replace('*', 'x');

async function upgradeStatus(s: TestServer, path: string, o: Parameters<TestServer['ws']>[1] = {}): Promise<number> {
  try {
    const ws = await s.ws(path, o);
    ws.close();
    return 101;
  } catch (e) {
    return Number(/HTTP (\d+)/.exec(String(e))?.[1] ?? 0);
  }
}

test('every route answers 401 without credentials, except the allowlist (routes listed from the router)', async () => {
  const s = await startServer();
  assert.deepEqual([...PUBLIC_ROUTES].sort(), [...ALLOWLIST].sort());
  assert.deepEqual([...LOGIN_REDIRECT_ROUTES].sort(), [...REDIRECTS].sort());
  const routes = s.daemon.tcp.routeList;
  assert.ok(routes.length >= 15, `routes found: ${routes.length}`);
  let checked = 0;
  for (const r of routes) {
    const key = `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;
    const path = concrete(r.url);
    if (r.websocket && r.method === 'GET') {
      assert.equal(await upgradeStatus(s, path), 401, `upgrade ${path}`);
      checked++;
      continue;
    }
    const res = await s.request(r.method, path, { body: ['POST', 'PATCH', 'PUT'].includes(r.method) ? {} : undefined });
    if (ALLOWLIST.includes(key)) assert.notEqual(res.status, 401, `${key} is public`);
    else if (REDIRECTS.includes(key)) {
      assert.equal(res.status, 302, key);
      // Back to the page asked for after logging in (a path of this site only).
      assert.equal(res.headers.location, path === '/' ? '/login' : `/login?next=${path}`);
    } else assert.equal(res.status, 401, `${r.method} ${path}: ${res.text}`);
    checked++;
  }
  assert.equal(checked, routes.length);
  // Unknown paths too, and a forged token never falls back to anything.
  assert.equal((await s.request('GET', '/api/nothing-here')).status, 401);
  assert.equal((await s.request('GET', '/api/sessions', { bearer: 'roost_000000000000_' + 'A'.repeat(43) })).status, 401);
  assert.equal((await s.request('GET', '/api/sessions', { headers: { authorization: 'Basic b3duZXI6eA==' } })).status, 401);
  // Internal routes exist only on the unix socket.
  assert.ok(!routes.some((r) => r.url.startsWith('/api/internal')));
});

test('a one-time login token works once; the cookie is HttpOnly, SameSite=Strict, Path=/ and not the token', async () => {
  const s = await startServer();
  const { url, expiresAt } = s.daemon.loginUrl();
  assert.ok(url.startsWith(`${s.origin}/login#token=`));
  assert.ok(expiresAt > Date.now() && expiresAt <= Date.now() + 10 * 60_000 + 1000);
  const token = url.split('#token=')[1]!;
  assert.ok(Buffer.from(token, 'base64url').length >= 16, 'at least 128 bits');
  const r = await s.request('POST', '/api/login', { body: { token } });
  assert.equal(r.status, 204);
  const cookie = r.headers['set-cookie']![0]!;
  assert.match(cookie, /^roost_session=[A-Za-z0-9_-]{43};/);
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Strict/);
  assert.match(cookie, /; Path=\//);
  assert.doesNotMatch(cookie, /Secure/, 'plain HTTP: no Secure flag (TLS is tested elsewhere)');
  assert.ok(!cookie.includes(token), 'the cookie is not the credential');
  const value = cookie.split(';')[0]!;
  assert.deepEqual((await s.request('GET', '/api/me', { cookie: value })).json, { role: 'owner', name: null });
  const again = await s.request('POST', '/api/login', { body: { token } });
  assert.equal(again.status, 401, 'second use refused');
  assert.equal((again.json as { error: { code: string } }).error.code, 'bad-credentials');
});

test('API tokens: Bearer for scripts, or traded for a browser login; read-only is read-only', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const owner = s.daemon.auth.createApiToken({ name: 'ci', role: 'owner' });
  assert.match(owner.token, /^roost_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  const row = s.daemon.auth.tokens.get(owner.id)!;
  assert.ok(!JSON.stringify(row).includes(owner.token.slice(19)), 'only a hash is stored');
  assert.deepEqual((await s.request('GET', '/api/me', { bearer: owner.token })).json, { role: 'owner', name: 'ci' });
  // Scripts need no Origin with a Bearer token.
  const created = await s.request('POST', '/api/sessions', { bearer: owner.token, origin: null, body: { name: 'made', command: ['sh'] } });
  assert.equal(created.status, 201);

  const ro = s.daemon.auth.createApiToken({ name: 'viewer', role: 'read-only' });
  const cookie = await s.login({ token: ro.token });
  assert.deepEqual((await s.request('GET', '/api/me', { cookie })).json, { role: 'read-only', name: 'viewer' });
  assert.equal((await s.request('GET', '/api/sessions', { cookie })).status, 200);
  for (const [m, p, body] of [['POST', '/api/sessions', { name: 'x' }], ['PATCH', '/api/sessions/main', { name: 'y' }], ['DELETE', '/api/sessions/main', undefined], ['POST', '/api/login-links', undefined]] as const) {
    const r = await s.request(m, p, { cookie, body });
    assert.equal(r.status, 403, `${m} ${p}`);
    const b = await s.request(m, p, { bearer: ro.token, body });
    assert.equal(b.status, 403, `${m} ${p} with Bearer`);
  }
  assert.deepEqual((await s.tmuxSessions()).map((x) => x.name).sort(), ['made', 'main'], 'nothing changed');
});

test('read-only terminals: INPUT, RESIZE and SELECT refused on the server, nothing reaches the pty', async () => {
  const s = await startServer();
  const id = await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  await s.tmux.run('new-window', '-d', '-t', `${id}:`, 'sh');
  const ro = s.daemon.auth.createApiToken({ role: 'read-only' });
  // Scripts may use Bearer on the upgrade, without an Origin.
  const viewer = await s.terminal('main', { bearer: ro.token, origin: null, cols: 60, rows: 20 });
  const viewerHello = await viewer.hello();
  assert.equal(viewerHello.readOnly, true);
  // A read-only device never sizes a window: it shows the window at the window's own size.
  assert.equal(viewerHello.size?.sizer, false);
  const ownerCookie = await s.login();
  const owner = await s.terminal('main', { cookie: ownerCookie });
  await owner.hello();
  viewer.type('echo VIEWER-$((1+1))\r');
  assert.equal((await viewer.frame('error')).code, 'read-only');
  viewer.frames.length = 0;
  viewer.send({ type: 'resize', cols: 200, rows: 60 });
  assert.equal((await viewer.frame('error')).code, 'read-only');
  viewer.frames.length = 0;
  viewer.send({ type: 'select', window: '1' });
  assert.equal((await viewer.frame('error')).code, 'read-only');
  owner.type('echo OWNER-$((2+2))\r');
  await owner.see('OWNER-4');
  await viewer.see('OWNER-4'); // it watches live
  const st = s.daemon.terminals.stats().find((x) => x.readOnly)!;
  assert.equal(st.inputBytes, 0);
  assert.equal(st.cols, viewerHello.size?.cols, 'the refused RESIZE changed nothing');
  assert.equal((await s.tmuxSessions()).find((x) => x.id === st.viewId)!.window, '0');
  assert.ok(!(await s.tmux.run('capture-pane', '-p', '-t', `${id}:0`)).includes('VIEWER-2'));
  // tmux agrees: the client is attached read-only.
  assert.match(await s.tmux.run('list-clients', '-F', '#{client_readonly}'), /1/);
  assert.equal(viewer.closed, null);
});

test('an unknown role reads as read-only', async () => {
  const s = await startServer();
  const t = s.daemon.auth.createApiToken({ role: 'owner' });
  s.daemon.db.prepare('UPDATE api_tokens SET role = ? WHERE id = ?').run('superuser', t.id);
  assert.deepEqual((await s.request('GET', '/api/me', { bearer: t.token })).json, { role: 'read-only', name: null });
  assert.equal((await s.request('POST', '/api/sessions', { bearer: t.token, body: { name: 'x' } })).status, 403);
});

test('logout ends that login and closes its WebSockets, not another login\'s', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const mine = await s.login();
  const other = await s.login();
  const ev = await s.ws('/api/events', { cookie: mine });
  const evClosed = new Promise<number>((r) => ev.on('close', (c) => r(c)));
  const term = await s.terminal('main', { cookie: mine });
  await term.hello();
  const keep = await s.terminal('main', { cookie: other });
  await keep.hello();
  const r = await s.request('POST', '/api/logout', { cookie: mine });
  assert.equal(r.status, 204);
  assert.match(r.headers['set-cookie']![0]!, /roost_session=;/);
  assert.equal(await evClosed, 4401);
  assert.equal((await term.waitClosed()).code, 4401);
  assert.equal((await s.request('GET', '/api/me', { cookie: mine })).status, 401);
  assert.equal((await s.request('GET', '/api/me', { cookie: other })).status, 200);
  assert.equal(keep.closed, null);
  await waitFor(async () => (await s.views()).length === 1, 15_000, 'the logged-out terminal\'s view is gone');
});

test('login attempts are rate-limited per socket address: 1000 wrong ones get 429s and then the right password fails too', async () => {
  const s = await startServer();
  await s.daemon.auth.setPassword('correct horse battery');
  const statuses = new Map<number, number>();
  for (let i = 0; i < 1000; i++) {
    // A forged X-Forwarded-For changes nothing: the key is the socket address.
    const body = i % 2 === 0 ? { token: `wrong-${i}` } : { password: `wrong-${i}` };
    const r = await s.request('POST', '/api/login', { body, headers: { 'x-forwarded-for': `10.0.${i % 250}.${i % 200}` } });
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  }
  assert.deepEqual([...statuses.keys()].sort(), [401, 429]);
  assert.equal(statuses.get(401), 10);
  const right = await s.request('POST', '/api/login', { body: { password: 'correct horse battery' } });
  assert.equal(right.status, 429);
  assert.ok(Number(right.headers['retry-after']) > 0);
  assert.equal(right.headers['set-cookie'], undefined);
  // Keyed per address, not one lock for everyone: the same right password from another loopback address logs in.
  const other = await new Promise<number>((resolve, reject) => {
    const body = JSON.stringify({ password: 'correct horse battery' });
    const r = httpRequest({ host: '127.0.0.1', port: s.port, localAddress: '127.0.0.2', method: 'POST', path: '/api/login',
      headers: { host: s.host, origin: s.origin, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    r.on('error', reject);
    r.end(body);
  });
  assert.equal(other, 204, 'another address is not locked out');
});

test('another local user flooding bad logins from 127.0.0.1 never locks the owner\'s tokens out', async () => {
  const s = await startServer();
  for (let i = 0; i < 50; i++) await s.request('POST', '/api/login', { body: { token: `wrong-${i}` } });
  assert.equal((await s.request('POST', '/api/login', { body: { token: 'wrong-again' } })).status, 429, 'the flood is limited');
  // A one-time login link and an API token still log in from the same address: 256 random bits cannot be guessed.
  const { url } = s.daemon.loginUrl();
  const link = await s.request('POST', '/api/login', { body: { token: url.split('#token=')[1] } });
  assert.equal(link.status, 204);
  assert.ok(link.headers['set-cookie'], 'the link logs in');
  const { token } = s.daemon.auth.createApiToken({ role: 'owner' });
  assert.equal((await s.request('POST', '/api/login', { body: { token } })).status, 204);
  // A used link is a failure again, and failures stay limited.
  assert.equal((await s.request('POST', '/api/login', { body: { token: url.split('#token=')[1] } })).status, 429);
});

test('password login; a password change ends every login', async () => {
  const s = await startServer();
  assert.equal((await s.request('POST', '/api/login', { body: { password: 'nothing-set' } })).status, 401);
  await s.daemon.auth.setPassword('correct horse battery');
  const cookie = await s.login({ password: 'correct horse battery' });
  assert.equal((await s.request('GET', '/api/me', { cookie })).status, 200);
  assert.equal((await s.request('POST', '/api/login', { body: { password: 'wrong password' } })).status, 401);
  const ev = await s.ws('/api/events', { cookie });
  const closed = new Promise<number>((r) => ev.on('close', (c) => r(c)));
  await s.daemon.auth.setPassword('another good one');
  assert.equal(await closed, 4401, 'the open socket closes on the next check');
  assert.equal((await s.request('GET', '/api/me', { cookie })).status, 401);
});

test('login links for another device: owner only, same origin, work once', async () => {
  const s = await startServer();
  const cookie = await s.login();
  const r = await s.request('POST', '/api/login-links', { cookie });
  assert.equal(r.status, 201);
  const { url, expiresAt } = r.json as { url: string; expiresAt: number };
  assert.ok(url.startsWith(`${s.origin}/login#token=`));
  assert.ok(expiresAt > Date.now());
  const token = url.split('#token=')[1]!;
  assert.equal((await s.request('POST', '/api/login', { body: { token } })).status, 204);
  assert.equal((await s.request('POST', '/api/login', { body: { token } })).status, 401);
  // Malformed login bodies are a 400, not a crash.
  assert.equal((await s.request('POST', '/api/login', { body: { token: 5 } })).status, 400);
  assert.equal((await s.request('POST', '/api/login', { body: '{"token": ' })).status, 400);
});
