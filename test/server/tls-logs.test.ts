import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tempUser } from '../helpers/server.js';
import { newSession } from '../../src/tmux/index.js';
import type { RouteArea } from '../../src/server/types.js';

test('under TLS: the cookie is Secure, HSTS is sent, terminals run over wss', async () => {
  const { dir } = tempUser('roost-tls-');
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  const s = await startServer({ tls: { cert: readFileSync(cert), key: readFileSync(key) } });
  assert.ok(s.daemon.url.startsWith('https://'));
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const r = await s.request('POST', '/api/login', { body: { token: s.daemon.loginUrl().url.split('#token=')[1] } });
  assert.equal(r.status, 204);
  const set = r.headers['set-cookie']![0]!;
  assert.match(set, /; Secure/);
  assert.match(set, /; HttpOnly/);
  assert.equal(r.headers['strict-transport-security'], 'max-age=31536000');
  const cookie = set.split(';')[0]!;
  assert.equal((await s.request('GET', '/healthz')).headers['strict-transport-security'], 'max-age=31536000');
  // The Origin a browser sends under TLS is https://...; http://... is another origin.
  assert.equal((await s.request('POST', '/api/sessions', { cookie, origin: `http://${s.host}`, body: { name: 'x' } })).status, 403);
  const t = await s.terminal('main', { cookie });
  await t.hello();
  t.type('echo tls-$((40+2))\r');
  await t.see('tls-42');
});

test('the log has no secrets even at its most verbose: login, token creation, a 500', async () => {
  const boom: RouteArea = {
    name: 'boom',
    register(app) {
      app.get('/api/boom', async () => {
        throw new Error('something broke inside');
      });
    },
  };
  const s = await startServer({ log: { level: 'trace', stacks: true }, extraRoutes: [boom] });
  const cookie = await s.login();
  const t = s.daemon.auth.createApiToken({ name: 'x', role: 'owner' });
  await s.daemon.auth.setPassword('a secret password');
  const pwCookie = await s.login({ password: 'a secret password' });
  const r = await s.request('GET', '/api/boom?token=in-the-query', { cookie, bearer: t.token, headers: { 'x-api-key': 'header-secret' } });
  assert.equal(r.status, 500);
  assert.deepEqual(r.json, { error: { code: 'internal', message: 'internal error (see the daemon log)' } });
  assert.equal((await s.request('POST', '/api/login', { body: { token: 'wrong-login-token' } })).status, 401);
  const log = s.logs.join('');
  assert.match(log, /GET \/api\/boom 500/);
  assert.match(log, /Error: something broke inside/);
  for (const secret of [cookie.split('=')[1]!, pwCookie.split('=')[1]!, t.token, t.token.slice(19), 'a secret password', 'in-the-query', 'header-secret', 'wrong-login-token', 'Bearer']) {
    assert.ok(!log.includes(secret), `the log contains ${secret.slice(0, 10)}`);
  }
});
