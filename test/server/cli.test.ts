import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServer, runCli, tempUser, CLI } from '../helpers/server.js';
import { spawnTerm, within } from '../helpers/cli.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession } from '../../src/tmux/index.js';

/** GET/POST over the daemon's unix socket, as the CLI does. */
function unixCall(socketPath: string, method: string, path: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const r = request({ socketPath, method, path, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    r.on('error', reject);
    r.end();
  });
}

test('the unix socket answers the owner, and `roost open` gets a login link through it', async () => {
  const s = await startServer();
  const me = await unixCall(s.daemon.paths.socket, 'GET', '/api/me');
  assert.deepEqual(me, { status: 200, json: { role: 'owner', name: null } });
  const open = await runCli(['open'], s.env);
  assert.equal(open.code, 0, open.stderr);
  const url = open.stdout.trim();
  assert.ok(url.startsWith(`${s.origin}/login#token=`), url);
  assert.equal((await s.request('POST', '/api/login', { body: { token: url.split('#token=')[1] } })).status, 204);
  const qr = await runCli(['open', '--qr'], s.env);
  assert.equal(qr.code, 0);
  assert.ok(qr.stdout.split('\n').length > 10, 'a QR code drawn in the terminal');
  assert.match(qr.stdout, /[▀▄█]/);
});

test('`roost open --qr` in a terminal, for a daemon on 127.0.0.1: the code, the link, and that a phone cannot open it', async () => {
  const s = await startServer();
  const term = spawnTerm(process.execPath, [CLI, 'open', '--qr'], { env: s.env, cols: 100, rows: 60 });
  const end = await within(term.exited, 20_000, 'roost open to finish');
  assert.equal(end.exitCode, 0, term.text());
  const text = term.text();
  assert.match(text, /[▀▄█]/, 'a QR code');
  const link = new RegExp(`^${s.origin.replace(/\./g, '\\.')}/login#token=\\S+$`, 'm');
  assert.match(text, link);
  const lines = text.trimEnd().split(/\r?\n/);
  assert.equal(lines.at(-2), 'roost open: 127.0.0.1 reaches only this computer: a phone cannot open this link.');
  assert.match(lines.at(-1)!, /^roost open: For a phone, serve Roost on an address the phone can reach \(roost serve --host ADDR --tls-cert FILE --tls-key FILE; see roost serve --help\), then run roost open --qr again\.$/);
  // Without --qr the link is all: a script reading it gets one line.
  const plain = await runCli(['open'], s.env);
  assert.equal(plain.stderr, '');
});

test('`roost open` without a daemon: one line, exit 1', async () => {
  const { env } = tempUser();
  const r = await runCli(['open'], env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^roost open: the roost daemon is not running .*roost serve\n$/);
});

test('`roost token revoke` closes the token\'s open sockets and logins within seconds', async () => {
  const s = await startServer({ recheckMs: 60_000 }); // only the CLI's poke can close them quickly
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const created = await runCli(['token', 'create', '--name', 'laptop', '--json'], s.env);
  assert.equal(created.code, 0, created.stderr);
  const t = JSON.parse(created.stdout) as { id: string; token: string; role: string; name: string };
  assert.equal(t.role, 'owner');
  assert.equal(t.name, 'laptop');
  const cookie = await s.login({ token: t.token });
  const viaBearer = await s.terminal('main', { bearer: t.token, origin: null });
  await viaBearer.hello();
  const viaCookie = await s.terminal('main', { cookie });
  await viaCookie.hello();
  const ls = await runCli(['token', 'ls'], s.env);
  assert.match(ls.stdout, new RegExp(`${t.id}\\s+laptop\\s+owner`));
  assert.ok(!ls.stdout.includes(t.token.slice(19)), 'ls never shows the secret');

  const r = await runCli(['token', 'revoke', t.id], s.env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await viaBearer.waitClosed(15_000)).code, 4401);
  assert.equal((await viaCookie.waitClosed(15_000)).code, 4401);
  assert.equal((await s.request('GET', '/api/me', { bearer: t.token })).status, 401);
  assert.equal((await s.request('GET', '/api/me', { cookie })).status, 401);
  await waitFor(async () => (await s.views()).length === 0, 15_000, 'views gone');
  const again = await runCli(['token', 'revoke', t.id], s.env);
  assert.match(again.stdout, /already revoked/);
  const unknown = await runCli(['token', 'revoke', '0123456789ab'], s.env);
  assert.equal(unknown.code, 1, unknown.stderr);
  const bad = await runCli(['token', 'revoke', '../x'], s.env);
  assert.equal(bad.code, 1, bad.stderr);
  assert.equal(bad.stderr.split('\n').filter(Boolean).length, 1, bad.stderr);
});

test('a revoke made while the daemon cannot be poked still closes sockets on the next check', async () => {
  const s = await startServer({ recheckMs: 200 });
  const t = s.daemon.auth.createApiToken({ role: 'read-only' });
  const ev = await s.ws('/api/events', { bearer: t.token, origin: null });
  const closed = new Promise<number>((r) => ev.on('close', (c) => r(c)));
  // Another process writing the database, no poke.
  const { openRoostDb } = await import('../../src/daemon/schemas.js');
  const { Auth } = await import('../../src/auth/auth.js');
  const db = openRoostDb(s.daemon.paths.stateDir);
  new Auth(db).revokeApiToken(t.id);
  db.close();
  assert.equal(await closed, 4401);
});

test('`roost token create --read-only` and the text output: the token, and the login link with the daemon\'s address', async () => {
  const s = await startServer();
  const r = await runCli(['token', 'create', '--read-only'], s.env);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
  const lines = r.stdout.trim().split('\n');
  const token = lines[1]!;
  assert.match(token, /^roost_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  assert.deepEqual((await s.request('GET', '/api/me', { bearer: token })).json, { role: 'read-only', name: null });
  assert.match(lines[2]!, /^Login link, reusable until you revoke the token \(roost token revoke [0-9a-f]{12}\):$/);
  assert.equal(lines[3], `${s.origin}/login#token=${token}`);
  assert.equal(lines.length, 4);
  // The link is what a person opens: its token logs a browser in, and again (it is not a one-time link).
  const fromLink = new URL(lines[3]!).hash.replace('#token=', '');
  for (let i = 0; i < 2; i++) assert.equal((await s.request('POST', '/api/login', { body: { token: fromLink } })).status, 204);
  assert.ok(!s.logs.join('').includes(token.slice(19)), 'the daemon logs no token');

  const json = await runCli(['token', 'create', '--name', 'viewer', '--read-only', '--json'], s.env);
  assert.equal(json.code, 0, json.stderr);
  const t = JSON.parse(json.stdout) as { token: string; url: string | null };
  assert.equal(t.url, `${s.origin}/login#token=${t.token}`);
  assert.equal((await runCli(['token', 'create', '--name', '#(x)'], s.env)).code, 1);
});

test('`roost token create` without a daemon: the link\'s path, to follow the dashboard\'s address; --json url null', async () => {
  const { env } = tempUser();
  const r = await runCli(['token', 'create', '--read-only'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.trim().split('\n');
  const token = lines[1]!;
  assert.match(token, /^roost_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  assert.equal(lines[3], `/login#token=${token}`);
  assert.match(lines[4]!, /^No daemon runs to say its address: put the address you reach the dashboard at in front/);
  const json = await runCli(['token', 'create', '--json'], env);
  assert.equal(json.code, 0, json.stderr);
  assert.equal((JSON.parse(json.stdout) as { url: string | null }).url, null);
});

test('`roost passwd` reads stdin (never argv), stores scrypt, ends every browser login', async () => {
  const s = await startServer({ recheckMs: 60_000 });
  const cookie = await s.login();
  const ev = await s.ws('/api/events', { cookie });
  const closed = new Promise<number>((r) => ev.on('close', (c) => r(c)));
  const short = await runCli(['passwd'], s.env, 'short\n');
  assert.equal(short.code, 1);
  assert.match(short.stderr, /at least 8 characters; nothing changed/);
  const r = await runCli(['passwd'], s.env, 'a long enough password\n');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await closed, 4401);
  assert.equal((await s.request('GET', '/api/me', { cookie })).status, 401);
  const stored = s.daemon.auth.settings.get('password')!;
  assert.match(stored, /^scrypt\$\d+\$\d+\$\d+\$/);
  assert.ok(!stored.includes('a long enough password'));
  await s.login({ password: 'a long enough password' });
  assert.equal((await runCli(['passwd', 'argv-password'], s.env)).code, 2, 'no password on the command line');
  assert.equal((await runCli(['passwd', '--clear'], s.env)).code, 0);
  assert.equal((await s.request('POST', '/api/login', { body: { password: 'a long enough password' } })).status, 401);
});
