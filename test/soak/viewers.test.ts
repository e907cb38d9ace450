/**
 * A soak: 50 browser terminals on 10 sessions that print all the time, for
 * ROOST_SOAK_SECONDS (15 here; scripts/soak.mjs runs it for minutes), against
 * `roost serve` as its own process so its memory (/proc/PID/status VmRSS)
 * and descriptors (/proc/PID/fd) can be counted. It must not crash, its
 * memory must stay within a bound once warmed up, and once every viewer has
 * left it must hold no more descriptors, tmux clients or view sessions than
 * before they came.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { WebSocket } from 'ws';
import { spawnServe, tempUser } from '../helpers/server.js';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { decodeServer, encodeClient, PROTOCOL_VERSION } from '../../src/shared/protocol.js';
import { newSession } from '../../src/tmux/index.js';

const SECONDS = Number(process.env['ROOST_SOAK_SECONDS'] ?? '10');
const SESSIONS = 10;
const VIEWERS = 50;
/** How far (bytes) the daemon's memory may grow past its size once all viewers are streaming. */
const GROWTH_BOUND = 64 * 1024 * 1024;

const fds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
const ptys = (pid: number) => readdirSync(`/proc/${pid}/fd`).filter((fd) => {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`) === '/dev/ptmx';
  } catch {
    return false; // closed between the listing and the look
  }
}).length;
const rss = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

interface Viewer {
  ws: WebSocket;
  bytes: number;
  closed: boolean;
}

function view(base: string, cookie: string, session: string, cols: number): Viewer {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/terminal?session=${session}`, { headers: { cookie, origin: base } });
  const v: Viewer = { ws, bytes: 0, closed: false };
  ws.on('open', () => ws.send(encodeClient({ type: 'hello', v: PROTOCOL_VERSION, cols, rows: 24 })));
  ws.on('message', (d: Buffer) => {
    const m = decodeServer(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    if (m.type !== 'output') return;
    v.bytes += m.data.byteLength;
    ws.send(encodeClient({ type: 'ack', bytes: m.data.byteLength }));
  });
  ws.on('close', () => (v.closed = true));
  ws.on('error', () => undefined); // reported through `closed`
  return v;
}

test(`soak: ${VIEWERS} viewers on ${SESSIONS} printing sessions for ${SECONDS} s — no crash, bounded memory, no descriptor left behind`, async (t) => {
  const { env } = tempUser();
  const tmux = privateTmux(env);
  for (let i = 0; i < SESSIONS; i++) {
    await newSession(tmux.client, { name: `s${i}`, command: ['sh', '-c', `while :; do echo "session ${i} $(date +%s%N) ................................................"; sleep 0.01; done`] });
  }
  const serve = spawnServe(['-L', tmux.socket, 'serve', '--port', '0'], env);
  const { url, loginUrl } = await serve.ready();
  const pid = serve.child.pid!;
  const login = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ token: loginUrl.split('#token=')[1] }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const fdsBefore = fds(pid);

  const viewers: Viewer[] = [];
  // A failed assertion must not leave 50 sockets and the daemon holding the test file open: they go as soon as this test ends.
  t.after(() => {
    for (const v of viewers) v.ws.terminate();
    if (serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill('SIGKILL');
  });
  // Devices arrive in waves, not all in one millisecond: 50 sockets opened at once from one address are,
  // until their upgrade requests are read, more unproven connections than the daemon keeps per address
  // (src/server/connection-limit.ts), and on a loaded machine the oldest were evicted before they could log in.
  for (let i = 0; i < VIEWERS; i += 10) {
    const wave = Array.from({ length: Math.min(10, VIEWERS - i) }, (_, k) => view(url, cookie, `s${(i + k) % SESSIONS}`, 60 + ((i + k) % 5) * 20));
    viewers.push(...wave);
    await waitFor(() => wave.every((v) => v.ws.readyState === WebSocket.OPEN || v.closed), 60_000, 'a wave of viewers connected');
  }
  // 50 attaches on a busy 2-core machine can take a while: a deadline says when it is broken, not how fast it must be.
  await waitFor(() => viewers.every((v) => v.bytes > 0 || v.closed), 150_000, 'every viewer streaming');
  assert.deepEqual(viewers.filter((v) => v.closed).length, 0, 'no viewer was closed while attaching');
  const warm = rss(pid);
  let peak = warm;
  const deadline = Date.now() + SECONDS * 1000;
  const samples: number[] = [];
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(serve.child.exitCode, null, `the daemon exited: ${serve.stderr()}`);
    const now = rss(pid);
    samples.push(now);
    peak = Math.max(peak, now);
  }
  assert.ok(viewers.every((v) => !v.closed), 'no viewer was dropped');
  const flowing = viewers.map((v) => v.bytes);
  await waitFor(() => viewers.every((v, i) => v.bytes > flowing[i]!), 30_000, 'output still flowing to every viewer');
  assert.ok(peak - warm < GROWTH_BOUND, `memory grew ${((peak - warm) / 1e6).toFixed(1)} MB past ${(warm / 1e6).toFixed(1)} MB (samples ${samples.map((x) => (x / 1e6).toFixed(0)).join(' ')})`);

  for (const v of viewers) v.ws.close();
  await waitFor(async () => !(await tmux.run('list-sessions', '-F', '#{?@roost_spare,,#{@roost_view}}')).trim(), 30_000, 'every device\'s view session gone');
  // The daemon's control connection (src/tmux/control.ts) is no viewer's client, nor is a spare view's client
  // attached ahead for the next terminal (src/server/terminal/warm-client.ts): not counted.
  await waitFor(async () => (await tmux.run('list-clients', '-F', '#{?client_control_mode,,#{?@roost_spare,,#{client_name}}}')).trim() === '', 30_000, 'every tmux client gone');
  // Each client attached ahead keeps its pty open in the daemon, one descriptor (/dev/ptmx): those are counted apart.
  const warmClients = async () => (await tmux.run('list-clients', '-F', '#{?@roost_spare,#{client_name},}')).split('\n').filter(Boolean).length;
  await waitFor(async () => fds(pid) - ptys(pid) <= fdsBefore && ptys(pid) === await warmClients(), 30_000,
    `descriptors back to ${fdsBefore} (now ${fds(pid)}, ${ptys(pid)} of them ptys, for ${await warmClients()} clients attached ahead)`);
  assert.equal(serve.child.exitCode, null);
  serve.child.kill('SIGTERM');
  assert.equal(await serve.exited, 0, serve.stderr());
});
