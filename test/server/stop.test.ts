/**
 * Stopping `roost serve` while a browser has stopped reading: the daemon is
 * dropping that terminal's output (flow control), and must still exit on SIGTERM,
 * leaving the session and no view behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { spawnServe, tempUser } from '../helpers/server.js';
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
