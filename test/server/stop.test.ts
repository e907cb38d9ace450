/**
 * Stopping `roost serve`: while a browser has stopped reading (the daemon is
 * dropping that terminal's output) it must still exit on SIGTERM, leaving
 * the session and no view behind; open pages are told to come back (1001),
 * a kept-alive browser connection does not hold the stop up, and a daemon
 * started at once keeps its socket.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { WebSocket } from 'ws';
import { runCli, spawnServe, tempUser } from '../helpers/server.js';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { decodeServer, encodeClient, HIGH_WATERMARK_BYTES, PROTOCOL_VERSION } from '../../src/shared/protocol.js';

test('SIGTERM while a client has stalled on a flooding session: exit 0, the session stays, its view goes', async () => {
  const { env } = tempUser();
  const t = privateTmux(env);
  const d = spawnServe(['-L', t.socket, 'serve', '--port', '0'], env);
  const b = await d.ready();
  const headers = { 'content-type': 'application/json', origin: b.url };
  const login = await fetch(`${b.url}/api/login`, { method: 'POST', headers, body: JSON.stringify({ token: b.loginUrl.split('#token=')[1] }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const made = await fetch(`${b.url}/api/sessions`, { method: 'POST', headers: { ...headers, cookie }, body: JSON.stringify({ name: 'flood', command: ['yes'] }) });
  assert.equal(made.status, 201);

  const ws = new WebSocket(`${b.url.replace('http', 'ws')}/api/terminal?session=flood`, { headers: { cookie, origin: b.url } });
  let got = 0;
  ws.on('message', (m: Buffer) => {
    const f = decodeServer(new Uint8Array(m.buffer, m.byteOffset, m.byteLength));
    if (f.type === 'output') got += f.data.byteLength;
  });
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  ws.send(encodeClient({ type: 'hello', v: PROTOCOL_VERSION, cols: 80, rows: 24 }));
  await waitFor(() => got > HIGH_WATERMARK_BYTES / 2, 20_000, 'output');
  // Stop reading, and never ACK: the daemon's writes back up and it drops the output.
  (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  await new Promise((r) => setTimeout(r, 2000));
  await waitFor(async () => (await t.run('list-sessions', '-F', '#{@roost_view}')).includes('$'), 10_000, 'the view session');

  d.child.kill('SIGTERM');
  const code = await waitFor(async () => {
    const c = await Promise.race([d.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 100))]);
    return c === 'running' ? null : { c };
  }, 30_000, 'roost serve to exit after SIGTERM');
  ws.terminate();
  assert.equal(code.c, 0, d.stderr());
  const left = await t.run('list-sessions', '-F', '#{session_name} #{@roost_view}');
  assert.deepEqual(left.trim().split('\n').map((l) => l.trimEnd()), ['flood'], `the session stays, the view is gone: ${left}`);
});

test('SIGTERM, then roost serve at once: terminals close with 1001 and no EXIT (pages reconnect), a kept-alive browser does not hold the stop up, and the new daemon keeps its socket', async () => {
  const { env } = tempUser();
  const t = privateTmux(env);
  await t.run('new-session', '-d', '-s', 'work');
  const a = spawnServe(['-L', t.socket, 'serve', '--port', '0'], env);
  const b = await a.ready();
  const headers = { 'content-type': 'application/json', origin: b.url };
  const login = await fetch(`${b.url}/api/login`, { method: 'POST', headers, body: JSON.stringify({ token: b.loginUrl.split('#token=')[1] }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const wsUrl = b.url.replace('http', 'ws');

  // A terminal that reads: what does it get when the daemon stops?
  const term = new WebSocket(`${wsUrl}/api/terminal?session=work`, { headers: { cookie, origin: b.url } });
  const frames: string[] = [];
  term.on('message', (m: Buffer) => frames.push(decodeServer(new Uint8Array(m.buffer, m.byteOffset, m.byteLength)).type));
  const termClosed = new Promise<number>((r) => term.once('close', (code) => r(code)));
  await new Promise((r, j) => { term.once('open', r); term.once('error', j); });
  term.send(encodeClient({ type: 'hello', v: PROTOCOL_VERSION, cols: 80, rows: 24 }));
  await waitFor(() => frames.includes('output'), 20_000, 'the terminal\'s first output');
  // An events socket that stops reading holds the stop in its close handshake for a moment (CLOSE_GRACE_MS).
  const events = new WebSocket(`${wsUrl}/api/events`, { headers: { cookie, origin: b.url } });
  await new Promise((r, j) => { events.once('open', r); events.once('error', j); });
  (events as unknown as { _socket: { pause(): void } })._socket.pause();
  // A browser's kept-alive connection, used once before the stop and once during it.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = () => new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
    http.get(`${b.url}/api/sessions`, { agent, headers: { cookie, origin: b.url } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
    }).on('error', reject);
  });
  assert.equal((await get()).status, 200);

  a.child.kill('SIGTERM');
  assert.equal(await termClosed, 1001, 'going away: come back later');
  assert.ok(!frames.includes('exit'), `no EXIT: the session did not end (${frames.join(',')})`);
  assert.deepEqual(await get(), { status: 503, connection: 'close' }, 'a request during the stop, not kept alive');
  // As a user restarting by hand does: the new daemon waits for the stopping one to let go of the socket.
  const next = spawnServe(['-L', t.socket, 'serve', '--port', '0'], env);
  const code = await waitFor(async () => {
    const c = await Promise.race([a.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 100))]);
    return c === 'running' ? null : { c };
  }, 15_000, 'the old daemon to exit though a browser kept its connection');
  assert.equal(code.c, 0, a.stderr());
  events.terminate();
  agent.destroy();
  await next.ready();
  const open = await runCli(['-L', t.socket, 'open'], env);
  assert.equal(open.code, 0, `the CLI reaches the new daemon on its socket: ${open.stderr}`);
  assert.match(open.stdout, /\/login#token=/);
});
