/**
 * Flow control parts (src/server/terminal/flow.ts) on their own: the output
 * watermarks (drop while behind, redraw once caught up), and the input gate on a real pty
 * whose program does not read until told to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node-pty';
import { readFileSync, writeFileSync } from 'node:fs';
import { InputGate, OutputFlow, PtyInput } from '../../src/server/terminal/flow.js';
import { HIGH_WATERMARK_BYTES, LOW_WATERMARK_BYTES } from '../../src/shared/protocol.js';
import { testEnv, waitFor } from '../helpers/tmux.js';

/** A socket that records pause() and resume(). */
function recorder() {
  const calls: string[] = [];
  return { calls, pause: () => void calls.push('pause'), resume: () => void calls.push('resume') };
}

/** An OutputFlow that records when its client caught up. */
function output() {
  const calls: string[] = [];
  const f = new OutputFlow(() => void calls.push('caught up'));
  return { f, calls };
}

test('output: above the high watermark of unACKed bytes output is dropped, below the low one the client is redrawn', () => {
  const { f, calls } = output();
  assert.equal(f.admit(HIGH_WATERMARK_BYTES), true);
  f.sent(HIGH_WATERMARK_BYTES)();
  assert.equal(f.admit(1), true, 'at the mark, not above it');
  f.sent(1)();
  assert.equal(f.behind, true);
  assert.equal(f.admit(500), false, 'dropped while behind');
  assert.equal(f.admit(700), false);
  assert.equal(f.dropped, 1200);
  f.acked(HIGH_WATERMARK_BYTES + 1 - LOW_WATERMARK_BYTES);
  assert.deepEqual(calls, [], 'at the low mark, not below it');
  assert.equal(f.admit(1), false);
  f.acked(1);
  assert.deepEqual(calls, ['caught up']);
  assert.equal(f.behind, false);
  assert.equal(f.admit(1), true, 'output flows again');
  f.acked(10 * HIGH_WATERMARK_BYTES);
  assert.equal(f.unacked, 0, 'an ACK never takes the count below zero');
  assert.deepEqual(calls, ['caught up'], 'told once per stall');
});

test('output: bytes not yet written out count too, until their write completes', () => {
  const { f, calls } = output();
  const written = f.sent(HIGH_WATERMARK_BYTES + 1);
  f.acked(HIGH_WATERMARK_BYTES + 1);
  assert.equal(f.behind, true, 'ACKed but still in the socket: still behind');
  assert.deepEqual(calls, []);
  written();
  assert.deepEqual(calls, ['caught up']);
});

test('output: once stopped, a client that catches up is not redrawn', () => {
  const { f, calls } = output();
  f.sent(HIGH_WATERMARK_BYTES + 1);
  f.stop();
  f.acked(HIGH_WATERMARK_BYTES + 1);
  assert.deepEqual(calls, []);
});

test('input: a flood the program does not read stops the socket, which reads again once the pty drains', async () => {
  // The program reads nothing until the file `go` appears, then everything.
  const dir = testEnv()['HOME']!;
  const go = `${dir}/go-${process.pid}`;
  const pty = spawn('sh', ['-c', `stty raw -echo; while [ ! -e '${go}' ]; do sleep 0.05; done; exec cat >/dev/null`], { cols: 80, rows: 24, env: testEnv() as Record<string, string> });
  try {
    const socket = recorder();
    const input = new PtyInput(pty);
    const gate = new InputGate(input, socket);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (let i = 0; i < 80; i++) { // 5 MiB, above the gate's 4 MiB
      input.write(chunk);
      gate.check();
    }
    assert.deepEqual(socket.calls, ['pause'], 'reading stopped once 4 MiB waited');
    writeFileSync(go, '');
    await waitFor(() => socket.calls.length === 2, 30_000, 'the socket read again');
    assert.deepEqual(socket.calls, ['pause', 'resume']);
    await waitFor(() => input.queued === 0, 30_000, 'all of it written');
    gate.stop();
  } finally {
    pty.kill();
  }
});

test('input: PtyInput writes whole and in order through a full pty, on a non-blocking descriptor, and nothing once closed', async () => {
  const dir = testEnv()['HOME']!;
  const go = `${dir}/go-order-${process.pid}`;
  const out = `${dir}/out-${process.pid}`;
  const pty = spawn('sh', ['-c', `stty raw -echo; echo raw; while [ ! -e '${go}' ]; do sleep 0.05; done; exec cat >'${out}'`], { cols: 80, rows: 24, env: testEnv() as Record<string, string> });
  let shown = '';
  pty.onData((d) => (shown += d));
  try {
    // Written before stty, the bytes would meet canonical mode, which keeps one line of 4 KiB.
    await waitFor(() => shown.includes('raw'), 10_000, 'the terminal in raw mode');
    const fd = (pty as unknown as { _fd: number })._fd;
    // O_NONBLOCK (04000 in fdinfo's octal flags): a full pty answers EAGAIN instead of stopping the main thread.
    const flags = Number.parseInt(/^flags:\s*(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1]!, 8);
    assert.ok(flags & 0o4000, `the pty's descriptor is non-blocking (flags ${flags.toString(8)})`);
    const input = new PtyInput(pty);
    const parts = Array.from({ length: 40 }, (_, i) => Buffer.alloc(16 * 1024, 0x41 + (i % 26)));
    for (const p of parts) input.write(p);
    assert.ok(input.queued > 0, 'the program reads nothing yet: most of it waits');
    writeFileSync(go, '');
    await waitFor(() => input.queued === 0, 30_000, 'all of it written');
    const want = Buffer.concat(parts);
    await waitFor(() => readFileSync(out).length === want.length, 30_000, 'all of it read');
    assert.ok(readFileSync(out).equals(want), 'in order, byte for byte');
    input.close();
    input.write(Buffer.from('after close'));
    assert.equal(input.queued, 0);
    input.resize(100, 30); // a no-op once closed: no ioctl
  } finally {
    pty.kill();
  }
});
