import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tempUser } from '../helpers/server.js';
import { newSession } from '../../src/tmux/index.js';
import { CSP } from '../../src/server/headers.js';

const upgrade = async (p: Promise<unknown>) => {
  try {
    const ws = await p;
    (ws as { close(): void }).close();
    return 101;
  } catch (e) {
    return Number(/HTTP (\d+)/.exec(String(e))?.[1] ?? 0);
  }
};

test('forged Origin on a WebSocket upgrade: 403, and no view session or pty is created', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const other = s.port === 65535 ? 65534 : s.port + 1;
  const forged = [
    'http://evil.example',
    'null',
    `http://127.0.0.1:${other}`,
    `http://localhost:${other}`,
    `http://127.0.0.1:${s.port}.evil.example`,
    `http://127.0.0.1.evil.example:${s.port}`,
    `https://127.0.0.1:${s.port}`,
    `http://localhost:${s.port}`, // a valid host, but not the one this request was sent to
  ];
  for (const origin of forged) {
    for (const path of ['/api/terminal?session=main', '/api/events']) {
      assert.equal(await upgrade(s.ws(path, { cookie, origin })), 403, `${origin} ${path}`);
    }
  }
  // A browser always sends Origin on an upgrade; a cookie without one is refused too.
  assert.equal(await upgrade(s.ws('/api/terminal?session=main', { cookie, origin: null })), 403);
  assert.equal(s.daemon.terminals.started, 0, 'no bridge started');
  assert.deepEqual((await s.tmuxSessions()).map((x) => x.name), ['main'], 'no view session');
  // The daemon's control connection (src/tmux/control.ts) is a client with no pty: not counted.
  assert.equal((await s.tmux.run('list-clients', '-F', '#{?client_control_mode,,#{client_name}}')).trim(), '', 'no tmux client (pty) attached');
  // The real origin works.
  assert.equal(await upgrade(s.ws('/api/events', { cookie })), 101);
});

test('a Host outside the allowlist is refused on every kind of request', async () => {
  const s = await startServer({ allowHosts: ['roost.example.net'] });
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  for (const host of ['evil.example', `evil.example:${s.port}`, `127.0.0.1:${s.port + 1}`, `127.0.0.1.nip.io:${s.port}`, `roost.example.net.evil:${s.port}`]) {
    for (const path of ['/healthz', '/login', '/api/sessions', '/assets/main.js']) {
      assert.equal((await s.request('GET', path, { host, cookie })).status, 403, `${host} ${path}`);
    }
    const origin = `http://${host}`;
    assert.equal((await s.request('POST', '/api/sessions', { host, origin, cookie, body: { name: 'x' } })).status, 403);
    assert.equal(await upgrade(s.ws('/api/terminal?session=main', { cookie, host, origin })), 403, host);
  }
  assert.equal(s.daemon.terminals.started, 0);
  for (const host of [`localhost:${s.port}`, `[::1]:${s.port}`, `roost.example.net:${s.port}`, `LOCALHOST:${s.port}`]) {
    assert.equal((await s.request('GET', '/healthz', { host })).status, 200, host);
  }
  // The allowed name works end to end with its own origin.
  const host = `roost.example.net:${s.port}`;
  assert.equal((await s.request('POST', '/api/sessions', { host, origin: `http://${host}`, cookie, body: { name: 'viahost', command: ['sh'] } })).status, 201);
});

test('state changes: foreign Origin 403, text/plain 415 (a cross-site form cannot POST), nothing created', async () => {
  const s = await startServer();
  const cookie = await s.login();
  const tries = [
    { origin: 'http://evil.example', contentType: 'text/plain', status: 403 },
    { origin: 'null', contentType: 'application/json', status: 403 },
    { origin: s.origin, contentType: 'text/plain', status: 415 },
    { origin: s.origin, contentType: 'application/x-www-form-urlencoded', status: 415 },
    { origin: s.origin, contentType: 'multipart/form-data; boundary=x', status: 415 },
    { origin: null, contentType: 'application/json', status: 403 }, // cookie without Origin
  ];
  for (const t of tries) {
    const r = await s.request('POST', '/api/sessions', { cookie, origin: t.origin, contentType: t.contentType, body: '{"name":"csrf"}' });
    assert.equal(r.status, t.status, JSON.stringify(t));
  }
  assert.equal((await s.request('DELETE', '/api/sessions/x', { cookie, contentType: null })).status, 415);
  assert.equal((await s.request('POST', '/api/logout', { cookie, origin: 'http://evil.example' })).status, 403);
  assert.equal((await s.request('GET', '/api/me', { cookie })).status, 200, 'the forged logout did nothing');
  assert.deepEqual(await s.tmuxSessions(), []);
});

test('the name rule on every route that takes a name: nothing runs, no file appears', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const marker = join(s.dir, 'pwned');
  for (const name of [`#(touch ${marker})`, `$(touch ${marker})`, '-flag', 'a:b', 'a.b', '', 'x'.repeat(65), '%1', '@2', '$3', 'main;kill-server', 5]) {
    const r = await s.request('POST', '/api/sessions', { cookie, body: { name } });
    assert.equal(r.status, 400, JSON.stringify(name));
    assert.equal((await s.request('PATCH', '/api/sessions/main', { cookie, body: { name } })).status, 400);
  }
  assert.equal((await s.request('PATCH', `/api/sessions/${encodeURIComponent('#(touch x)')}`, { cookie, body: { name: 'ok' } })).status, 400);
  assert.equal((await s.request('DELETE', `/api/sessions/${encodeURIComponent('-t')}`, { cookie })).status, 400);
  assert.equal((await s.request('POST', '/api/sessions', { cookie, body: { name: 'ok', cwd: 'relative/path' } })).status, 400);
  assert.equal((await s.request('POST', '/api/sessions', { cookie, body: { name: 'ok', cwd: '/no/such/dir' } })).status, 400);
  const notDir = await s.request('POST', '/api/sessions', { cookie, body: { name: 'ok', cwd: '/etc/passwd' } });
  assert.deepEqual([notDir.status, notDir.json], [400, { error: { code: 'bad-cwd', message: 'not a directory: /etc/passwd' } }]);
  // A program that is not there (a typo in the dashboard's form): refused as roost new refuses it, nothing made.
  const typo = await s.request('POST', '/api/sessions', { cookie, body: { name: 'typo', command: ['pyhton-roost-test', 'train.py'] } });
  assert.deepEqual([typo.status, typo.json], [400, { error: { code: 'no-program', message: 'no program "pyhton-roost-test" on PATH; nothing was created' } }]);
  assert.equal((await s.request('GET', '/api/sessions', { cookie })).text.includes('"typo"'), false);
  // A directory whose name is a tmux format: used as it is.
  const odd = join(s.dir, 'd#{session_name}#(true)##');
  mkdirSync(odd);
  const made = await s.request('POST', '/api/sessions', { cookie, body: { name: 'odd', cwd: odd, command: ['sh'] } });
  assert.equal(made.status, 201);
  const listed = (await s.request('GET', '/api/sessions', { cookie })).json as { name: string; windows: { panes: { cwd: string }[] }[] }[];
  assert.equal(listed.find((x) => x.name === 'odd')!.windows[0]!.panes[0]!.cwd, odd);
  assert.equal((await s.request('DELETE', '/api/sessions/odd', { cookie })).status, 204);
  assert.equal((await s.request('POST', '/api/sessions', { cookie, body: { name: 'ok', extra: 1 } })).status, 400);
  assert.equal(existsSync(marker), false);
  assert.deepEqual((await s.tmuxSessions()).map((x) => x.name), ['main']);
});

test('sessions API: create, rename, kill, conflicts', async () => {
  const s = await startServer();
  const cookie = await s.login();
  const c = await s.request('POST', '/api/sessions', { cookie, body: { name: 'work', cwd: s.dir, command: ['sh'] } });
  assert.equal(c.status, 201);
  const { id } = c.json as { id: string };
  assert.match(id, /^\$\d+$/);
  assert.equal((await s.request('POST', '/api/sessions', { cookie, body: { name: 'work' } })).status, 409);
  const list = (await s.request('GET', '/api/sessions', { cookie })).json as { id: string; name: string; windows: { panes: { cwd: string }[] }[] }[];
  assert.deepEqual(list.map((x) => x.name), ['work']);
  assert.equal(list[0]!.windows[0]!.panes[0]!.cwd, s.dir);
  const r = await s.request('PATCH', '/api/sessions/work', { cookie, body: { name: 'play' } });
  assert.deepEqual(r.json, { id, name: 'play' });
  assert.equal((await s.request('PATCH', '/api/sessions/work', { cookie, body: { name: 'x' } })).status, 404);
  await s.request('POST', '/api/sessions', { cookie, body: { name: 'other', command: ['sh'] } });
  assert.equal((await s.request('PATCH', '/api/sessions/play', { cookie, body: { name: 'other' } })).status, 409);
  assert.equal((await s.request('DELETE', '/api/sessions/play', { cookie })).status, 204);
  assert.equal((await s.request('DELETE', '/api/sessions/play', { cookie })).status, 404);
  // Per-device view sessions are invisible to the API.
  const t = await s.terminal('other', { cookie });
  await t.hello();
  const view = (await s.views())[0]!;
  assert.equal((await s.request('DELETE', `/api/sessions/${view.name}`, { cookie })).status, 404);
  assert.deepEqual(((await s.request('GET', '/api/sessions', { cookie })).json as { name: string }[]).map((x) => x.name), ['other']);
});

test('security headers on every response', async () => {
  const s = await startServer();
  assert.doesNotMatch(CSP, /unsafe-inline|unsafe-eval/);
  const cookie = await s.login();
  const replies = [
    await s.request('GET', '/healthz'),
    await s.request('GET', '/api/sessions'),
    await s.request('GET', '/api/sessions', { cookie }),
    await s.request('GET', '/'),
    await s.request('GET', '/login'),
    await s.request('GET', '/assets/nope.js'),
    await s.request('GET', '/healthz', { host: 'evil.example' }),
    await s.request('POST', '/api/sessions', { cookie, contentType: 'text/plain', body: 'x' }),
  ];
  for (const r of replies) {
    assert.equal(r.headers['content-security-policy'], "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
  }
});

test('static files: the web build is served, paths cannot leave it, and without a build the page says so', async () => {
  const bare = await startServer();
  const page = await bare.request('GET', '/login');
  assert.equal(page.status, 503);
  assert.match(page.text, /not built/);

  const { dir } = tempUser('roost-web-');
  const web = join(dir, 'web');
  mkdirSync(web);
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Roost</title><script type="module" src="/assets/main.js"></script>');
  writeFileSync(join(web, 'main.js'), 'console.log(1)');
  writeFileSync(join(web, 'main.css'), 'body{}');
  writeFileSync(join(web, 'sw.js'), '//sw');
  writeFileSync(join(web, 'manifest.webmanifest'), '{}');
  writeFileSync(join(dir, 'secret.txt'), 'SECRET');
  symlinkSync(join(dir, 'secret.txt'), join(web, 'link.txt'));
  const s = await startServer({ webRoot: web });
  const cookie = await s.login();
  const index = await s.request('GET', '/login');
  assert.equal(index.status, 200);
  assert.match(index.headers['content-type']!, /^text\/html/);
  assert.equal((await s.request('GET', '/')).status, 302);
  assert.equal((await s.request('GET', '/s/main/1')).status, 302);
  assert.equal((await s.request('GET', '/', { cookie })).text, index.text);
  assert.equal((await s.request('GET', '/s/main/1', { cookie })).text, index.text);
  const js = await s.request('GET', '/assets/main.js');
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type']!, /^text\/javascript/);
  assert.equal((await s.request('GET', '/assets/main.js', { headers: { 'if-none-match': js.headers.etag! } })).status, 304);
  assert.match((await s.request('GET', '/assets/main.css')).headers['content-type']!, /^text\/css/);
  assert.equal((await s.request('GET', '/sw.js')).status, 200);
  assert.match((await s.request('GET', '/manifest.webmanifest')).headers['content-type']!, /manifest\+json/);
  for (const p of ['/assets/../secret.txt', '/assets/%2e%2e/secret.txt', '/assets/..%2fsecret.txt', '/assets/%2e%2e%2fsecret.txt', '/assets/link.txt', '/assets/main.js%00', '/assets//etc/passwd', '/assets/.hidden', '/assets/']) {
    const r = await s.request('GET', p, { cookie });
    assert.ok([400, 404].includes(r.status), `${p}: ${r.status}`);
    assert.ok(!r.text.includes('SECRET'), p);
  }
});
