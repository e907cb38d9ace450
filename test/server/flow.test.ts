/**
 * Flow control parts (src/server/terminal/flow.ts) on their own: the output
 * watermarks with a recording pausable, and the input gate on a real pty
 * whose program does not read until told to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node-pty';
import { InputGate, OutputFlow } from '../../src/server/terminal/flow.js';
import { HIGH_WATERMARK_BYTES, LOW_WATERMARK_BYTES } from '../../src/shared/protocol.js';
import { testEnv, waitFor } from '../helpers/tmux.js';

function recorder() {
  const calls: string[] = [];
  return { calls, pause: () => void calls.push('pause'), resume: () => void calls.push('resume') };
}

test('output: pause above the high watermark of unACKed bytes, resume below the low one', () => {
  const r = recorder();
  const f = new OutputFlow(r);
  f.sent(HIGH_WATERMARK_BYTES)();
  assert.deepEqual(r.calls, [], 'at the mark, not above it');
  f.sent(1)();
  assert.deepEqual(r.calls, ['pause']);
  f.acked(HIGH_WATERMARK_BYTES + 1 - LOW_WATERMARK_BYTES);
  assert.deepEqual(r.calls, ['pause'], 'at the low mark, not below it');
  f.acked(1);
  assert.deepEqual(r.calls, ['pause', 'resume']);
  f.acked(10 * HIGH_WATERMARK_BYTES);
  assert.equal(f.unacked, 0, 'an ACK never takes the count below zero');
});

test('output: bytes not yet written out count too, until their write completes', () => {
  const r = recorder();
  const f = new OutputFlow(r);
  const written = f.sent(HIGH_WATERMARK_BYTES + 1);
  f.acked(HIGH_WATERMARK_BYTES + 1);
  assert.deepEqual(r.calls, ['pause'], 'ACKed but still in the socket: stays paused');
  written();
  assert.deepEqual(r.calls, ['pause', 'resume']);
});

test('output: stop resumes a paused pty (so it can close) and pauses nothing after', () => {
  const r = recorder();
  const f = new OutputFlow(r);
  f.sent(HIGH_WATERMARK_BYTES + 1);
  f.stop();
  assert.deepEqual(r.calls, ['pause', 'resume']);
  f.sent(HIGH_WATERMARK_BYTES * 2);
  f.stop();
  assert.deepEqual(r.calls, ['pause', 'resume']);
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
