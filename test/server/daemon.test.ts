import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { runCli, spawnServe, tempUser, plain } from '../helpers/server.js';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { decodeServer, encodeClient, PROTOCOL_VERSION } from '../../src/shared/protocol.js';

interface Base {
  url: string;
  loginUrl: string;
}

async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base, ...headers }, body: JSON.stringify(body) });
}

async function login(b: Base): Promise<string> {
  const r = await post(b.url, '/api/login', { token: b.loginUrl.split('#token=')[1] });
  assert.equal(r.status, 204);
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

/** Open a terminal on `session`, type `input`, resolve when `expect` shows; returns the socket. */
async function typeAndSee(base: string, cookie: string, session: string, input: string, expect: string): Promise<WebSocket> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/terminal?session=${session}`, { headers: { cookie, origin: base } });
  let out = '';
  ws.on('message', (d: Buffer) => {
    const m = decodeServer(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    if (m.type === 'output') out += Buffer.from(m.data).toString('utf8');
    if (m.type === 'hello') ws.send(encodeClient({ type: 'input', data: new TextEncoder().encode(input) }));
  });
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  ws.send(encodeClient({ type: 'hello', v: PROTOCOL_VERSION, cols: 80, rows: 24 }));
  await waitFor(() => plain(out).includes(expect), 20_000, `terminal output ${expect}`);
  return ws;
}

test('kill -9 of the daemon: tmux sessions survive, a restarted daemon serves them, the database is intact', async () => {
  const { dir, env } = tempUser();
  const t = privateTmux(env);
  const args = ['-L', t.socket, 'serve', '--port', '0'];
  const first = spawnServe(args, env);
  const b1 = await first.ready();
  assert.match(b1.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const cookie = await login(b1);
  const token = JSON.parse((await runCli(['token', 'create', '--json'], env)).stdout) as { token: string };
  assert.equal((await post(b1.url, '/api/sessions', { name: 'work', command: ['sh'] }, { cookie })).status, 201);
  const ws = await typeAndSee(b1.url, cookie, 'work', 'echo before-$((40+2))\r', 'before-42');

  first.child.kill('SIGKILL');
  await first.exited;
  ws.terminate();
  assert.match(await t.run('list-sessions', '-F', '#{session_name}'), /^work$/m, 'the session survived');
  // Its view session goes with the dead daemon's tmux client (destroy-unattached); a spare view it made has no client.
  await waitFor(async () => !(await t.run('list-sessions', '-F', '#{?@roost_spare,,#{@roost_view}}')).trim(), 20_000, 'view session gone');

  const second = spawnServe(args, env);
  const b2 = await second.ready();
  assert.equal((await t.run('list-sessions', '-F', '#{@roost_view}')).trim(), '', 'the dead daemon\'s spare view was swept');
  assert.notEqual(b2.loginUrl, b1.loginUrl, 'a fresh login link each start');
  const cookie2 = await login(b2);
  const list = (await (await fetch(`${b2.url}/api/sessions`, { headers: { cookie: cookie2 } })).json()) as { name: string }[];
  assert.deepEqual(list.map((s) => s.name), ['work']);
  const ws2 = await typeAndSee(b2.url, cookie2, 'work', 'echo after-$((6*7))\r', 'after-42');
  ws2.close();
  // The token made before the crash still works: the database is intact.
  assert.equal((await fetch(`${b2.url}/api/me`, { headers: { authorization: `Bearer ${token.token}` } })).status, 200);
  // Logins live in the database, not in the process: the browser's cookie still works after the restart.
  assert.equal((await fetch(`${b2.url}/api/me`, { headers: { cookie } })).status, 200);

  // A second daemon for the same user refuses to start while this one answers.
  const third = await runCli(['-L', t.socket, 'serve', '--port', '0'], env);
  assert.equal(third.code, 1);
  assert.match(third.stderr, /^roost serve: a roost daemon is already running/);
  assert.equal(third.stderr.trim().split('\n').length, 1);

  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
  assert.match(await t.run('list-sessions', '-F', '#{session_name}'), /^work$/m, 'a clean stop leaves sessions too');
  void dir;
});

test('files 0600 in 0700 folders; the unix socket is private; no secret in /proc/PID/cmdline or environ', async () => {
  const { env } = tempUser();
  const t = privateTmux(env);
  const d = spawnServe(['-L', t.socket, 'serve', '--port', '0'], env);
  const b = await d.ready();
  await login(b);
  const state = join(env['XDG_STATE_HOME']!, 'roost');
  const run = join(env['XDG_RUNTIME_DIR']!, 'roost');
  const mode = (p: string) => statSync(p).mode & 0o777;
  assert.equal(mode(state), 0o700);
  assert.equal(mode(run), 0o700);
  for (const f of ['roost.db', 'roost.db-wal', 'roost.db-shm']) assert.equal(mode(join(state, f)), 0o600, f);
  assert.equal(mode(join(run, 'roost.sock')), 0o600);
  assert.ok(statSync(join(run, 'roost.sock')).isSocket());
  // No secret where another local user could read it: the process's command line and environment.
  const token = b.loginUrl.split('#token=')[1]!;
  for (const f of ['cmdline', 'environ']) {
    const text = readFileSync(`/proc/${d.child.pid}/${f}`, 'utf8');
    assert.ok(!text.includes(token) && !text.includes('roost_'), f);
  }
  d.child.kill('SIGTERM');
  await d.exited;
  assert.equal(d.stderr(), '', 'a normal run prints nothing on stderr');
});

test('a non-loopback address without TLS: exit 1, one line, nothing served', async () => {
  const { env } = tempUser();
  const t = privateTmux(env);
  for (const host of ['0.0.0.0', '192.0.2.7']) {
    const r = await runCli(['-L', t.socket, 'serve', '--host', host, '--port', '0'], env);
    assert.equal(r.code, 1, host);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^roost serve: refusing to serve .* without TLS.*--insecure-no-tls/);
    assert.equal(r.stdout, '');
  }
  const half = await runCli(['-L', t.socket, 'serve', '--tls-cert', '/nonexistent'], env);
  assert.equal(half.code, 2);
});

test('[server] host = "[::1]" serves on ::1; other text in brackets is one line, exit 1', async () => {
  const { dir, env } = tempUser();
  const t = privateTmux(env);
  const config = join(dir, 'config', 'roost', 'config.toml');
  mkdirSync(join(dir, 'config', 'roost'), { recursive: true });
  writeFileSync(config, '[server]\nhost = "[::1]"\nport = 0\n');
  const d = spawnServe(['-L', t.socket, 'serve'], env);
  const b = await d.ready();
  assert.match(b.url, /^http:\/\/\[::1\]:\d+$/);
  assert.equal((await fetch(`${b.url}/healthz`)).status, 200);
  d.child.kill('SIGTERM');
  await d.exited;
  writeFileSync(config, '[server]\nhost = "[localhost]"\nport = 0\n');
  const bad = await runCli(['-L', t.socket, 'serve'], env);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, `roost serve: invalid [server] host "[localhost]" in ${config}: brackets hold an IPv6 address only (e.g. [::1] or ::1)\n`);
  const flag = await runCli(['-L', t.socket, 'serve', '--host', '[nope]'], env);
  assert.equal(flag.code, 2);
  assert.equal(flag.stderr, 'roost serve: invalid --host "[nope]": brackets hold an IPv6 address only (e.g. [::1] or ::1) (see roost serve --help)\n');
});

test('`roost serve` logs no token, cookie or password: after a login, a token creation and a 500', async () => {
  const { env } = tempUser();
  const t = privateTmux(env);
  const d = spawnServe(['-L', t.socket, 'serve', '--port', '0', '--verbose'], env);
  const b = await d.ready();
  const cookie = await login(b);
  const created = JSON.parse((await runCli(['token', 'create', '--json'], env)).stdout) as { token: string };
  assert.equal((await runCli(['passwd'], env, 'hunter2-hunter2\n')).code, 0);
  const pw = await post(b.url, '/api/login', { password: 'hunter2-hunter2' });
  assert.equal(pw.status, 204);
  const cookie2 = pw.headers.get('set-cookie')!.split(';')[0]!;
  // A config.toml that cannot be read (a folder in its place; a typo would leave the daemon on its last good
  // config) makes creating a session fail inside the daemon: a 500 with credentials attached.
  mkdirSync(join(env['XDG_CONFIG_HOME']!, 'roost', 'config.toml'), { recursive: true });
  const r500 = await post(b.url, '/api/sessions', { name: 'boom' }, { cookie: cookie2, authorization: `Bearer ${created.token}` });
  assert.equal(r500.status, 500);
  const body = await r500.text();
  assert.ok(!body.includes('config.toml'), 'a 500 tells the client nothing about internals');
  const bad = await post(b.url, '/api/login', { token: 'a-wrong-token-value' });
  assert.equal(bad.status, 401);
  await waitFor(() => d.stderr().includes('500'), 15_000, 'the 500 in the log');
  d.child.kill('SIGTERM');
  await d.exited;
  const log = d.stdout() + d.stderr();
  assert.match(log, /POST \/api\/login/);
  assert.match(log, /config\.toml/, 'the log explains the 500');
  for (const secret of [cookie.split('=')[1]!, cookie2.split('=')[1]!, created.token, created.token.slice(19), 'hunter2', 'a-wrong-token-value']) {
    assert.ok(!log.includes(secret), `log contains ${secret.slice(0, 8)}...`);
  }
  // Only the login link printed at start carries a token, and that one is used up.
  assert.equal(log.split('#token=').length, 2);
});
