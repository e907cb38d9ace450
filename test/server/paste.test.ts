/**
 * A big paste arrives whole, in INPUT frames, through the real daemon, its
 * WebSocket, node-pty and tmux, and no event-loop turn of the daemon's main
 * thread holds it for long meanwhile.
 *
 * Why it is built this way (an earlier version hung a loaded run for 8 minutes):
 * - The program in the pane says READY only after `stty raw -echo`, and the
 *   paste starts only once READY is on the screen: a paste that beats `stty`
 *   meets a canonical line discipline, which keeps 4,095 bytes of a line
 *   without a newline and drops the rest, so the reader waited for bytes
 *   that never came. Seeing READY through the terminal also means tmux's
 *   client has put the daemon's pty in raw mode.
 * - The reader is bounded (`timeout --foreground`), its output is a file, and
 *   the test fails as soon as that file stops growing for a while, saying
 *   how much arrived, instead of waiting for the end of a long deadline.
 * - The bytes are printable ASCII from a seeded generator, so nothing in them
 *   is a tmux key binding or a terminal control, and any lost, doubled or
 *   reordered frame shows in a byte-for-byte comparison.
 * - Wall-clock event-loop delay on a loaded 2-core machine also counts the
 *   time the OS gave the process no CPU, so it is only reported
 *   (monitorEventLoopDelay). What is bounded is the main thread's own CPU
 *   time (/proc/self/task/PID/schedstat, nanoseconds, kept up to date at each
 *   scheduler tick) between two turns of a 5 ms timer: time the thread spent
 *   working in one stretch without coming back to its timers. The daemon runs
 *   in this process, as in every server test, so the sending client counts
 *   too; it yields after each frame, which only makes the bound stricter.
 * - The pane's process group is killed by pid afterwards, before the private
 *   tmux server goes.
 *
 * ROOST_PASTE_MB=50 pastes 50 MB (minutes through tmux on a busy machine); 2 MB by default.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '../helpers/server.js';
import { stretch, waitFor } from '../helpers/tmux.js';
import { newSession } from '../../src/tmux/index.js';
import { INPUT_CHUNK_BYTES } from '../../src/shared/protocol.js';

const MB = Number(process.env['ROOST_PASTE_MB'] ?? '2');
/** No stretch of the main thread's own CPU time between two timer turns may reach this (ms). */
const TURN_BOUND_MS = 50;
/** The paste fails when the reader's file has not grown for this long (ms, stretched). */
const STALL_MS = 30_000;
/** The client stops sending while its socket holds more than this. */
const CLIENT_BUFFER_BYTES = 1024 * 1024;

/** CPU time (ms) this process's main thread has used: schedstat's first field is nanoseconds on the CPU. */
const mainThreadCpuMs = () => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;

/** `n` printable ASCII bytes (letters and digits) from a seeded generator. */
function pasteBytes(n: number): Buffer {
  const alphabet = Buffer.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
  const b = Buffer.alloc(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; // xorshift32
    b[i] = alphabet[(x >>> 0) % alphabet.length]!;
  }
  return b;
}

const sizeOf = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0; // not created yet
  }
};

test(`a ${MB} MB paste arrives whole through daemon, WebSocket and tmux, and no event-loop turn holds the main thread ${TURN_BOUND_MS} ms`, { timeout: stretch(600_000) }, async () => {
  const s = await startServer();
  const total = Math.round(MB * 1024 * 1024);
  const file = join(s.dir, 'paste.bin');
  const readerSeconds = String(stretch(300_000) / 1000);
  // sh's positional parameters carry the file, the size and the bound; nothing is spliced into the script.
  const script = 'stty raw -echo && echo READY; timeout --foreground "$3" head -c "$2" > "$1"; echo "DONE $?"; exec sleep 600';
  await newSession(s.tmux.client, { name: 'p', command: ['sh', '-c', script, 'sh', file, String(total), readerSeconds] });
  const panePid = Number((await s.tmux.run('display-message', '-p', '-t', '=p:', '#{pane_pid}')).trim());
  after(() => {
    try {
      process.kill(-panePid, 'SIGKILL'); // sh leads the pane's process group: head, timeout and sleep go with it
    } catch {
      // already gone with its pane
    }
  });

  const cookie = await s.login();
  const t = await s.terminal('p', { cookie });
  await t.hello();
  await t.see('READY', 30_000);
  const bytes = pasteBytes(total); // before the sampler starts: making them is the test's own long turn

  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let worstCpu = 0;
  let worstWall = 0;
  let running = true;
  const sampler = (async () => {
    let lastCpu = mainThreadCpuMs();
    let lastWall = performance.now();
    while (running) {
      await new Promise((r) => setTimeout(r, 5));
      const cpu = mainThreadCpuMs();
      const wall = performance.now();
      worstCpu = Math.max(worstCpu, cpu - lastCpu);
      worstWall = Math.max(worstWall, wall - lastWall);
      lastCpu = cpu;
      lastWall = wall;
    }
  })();

  try {
    for (let sent = 0; sent < total; sent += INPUT_CHUNK_BYTES) {
      t.send({ type: 'input', data: bytes.subarray(sent, Math.min(sent + INPUT_CHUNK_BYTES, total)) });
      await new Promise((r) => setImmediate(r));
      if (t.ws.bufferedAmount > CLIENT_BUFFER_BYTES) {
        await waitFor(() => t.ws.bufferedAmount <= CLIENT_BUFFER_BYTES, STALL_MS, `the daemon to read the socket (${sent} bytes sent)`);
      }
    }
    // Wait while the file grows; fail once it stops growing short of the end.
    for (let got = sizeOf(file); got < total;) {
      const before = got;
      got = await waitFor(() => {
        const n = sizeOf(file);
        return n > before ? n : 0;
      }, STALL_MS, `more of the paste to arrive (${before} of ${total} bytes after the last growth)`);
    }
    await t.see('DONE 0', STALL_MS);
  } finally {
    running = false;
    await sampler;
    delay.disable();
  }

  assert.equal(s.daemon.terminals.stats()[0]!.inputBytes, total, 'every byte came in as INPUT');
  const got = readFileSync(file);
  assert.equal(got.length, total, 'as many bytes reached the program as were pasted');
  assert.ok(got.equals(bytes), `the paste arrived changed: first difference at byte ${got.findIndex((b, i) => b !== bytes[i])}`);
  const report = `(wall clock between timer turns: max ${worstWall.toFixed(0)} ms; monitorEventLoopDelay max ${(delay.max / 1e6).toFixed(0)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms)`;
  assert.ok(worstCpu < TURN_BOUND_MS, `one stretch between timer turns held the main thread ${worstCpu.toFixed(1)} ms of CPU ${report}`);
  console.log(`# paste: ${total} bytes; worst main-thread CPU between timer turns ${worstCpu.toFixed(1)} ms ${report}`);
});
