/**
 * Flow control parts (src/server/terminal/flow.ts) on their own: the output
 * watermarks (drop while behind, redraw once caught up), and the input gate on a real pty
 * whose program does not read until told to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node-pty';
import { InputGate, OutputFlow } from '../../src/server/terminal/flow.js';
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
    const gate = new InputGate(pty, socket);
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 80; i++) { // 5 MiB, above the gate's 4 MiB
      pty.write(chunk);
      gate.check();
    }
    assert.deepEqual(socket.calls, ['pause'], 'reading stopped once 4 MiB waited');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(go, '');
    await waitFor(() => socket.calls.length === 2, 30_000, 'the socket read again');
    assert.deepEqual(socket.calls, ['pause', 'resume']);
    gate.stop();
  } finally {
    pty.kill();
  }
});
