/**
 * TerminalOutput (src/server/terminal/output.ts) on its own: how pty reads
 * become OUTPUT frames. The socket is a stand-in that records what is sent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { TerminalOutput } from '../../src/server/terminal/output.js';
import { ServerType } from '../../src/shared/protocol.js';

/** A socket that is open and records each frame's payload (its type byte stripped) as text. */
function socket() {
  const frames: string[] = [];
  const ws = {
    OPEN: 1,
    readyState: 1,
    send(data: Buffer, _o: unknown, done: () => void) {
      assert.equal(data[0], ServerType.OUTPUT);
      frames.push(data.subarray(1).toString());
      done();
    },
  };
  return { frames, ws: ws as unknown as WebSocket };
}

const turn = () => new Promise((r) => setImmediate(r));

test('reads of one turn go out as one frame', async () => {
  const { frames, ws } = socket();
  const out = new TerminalOutput(ws, () => undefined);
  out.push(Buffer.from('a'));
  out.push(Buffer.from('b'));
  await turn();
  assert.deepEqual(frames, ['ab']);
});

test('output that keeps coming waits for the frame gap, then goes out joined; output after a pause goes out at once', async () => {
  const { frames, ws } = socket();
  // A gap no machine's turn takes, so the reads below surely fall inside it.
  const out = new TerminalOutput(ws, () => undefined, 300, 0);
  out.push(Buffer.from('first'));
  await turn();
  assert.deepEqual(frames, ['first'], 'the first read after a pause is not held');
  out.push(Buffer.from('x'));
  await turn();
  out.push(Buffer.from('y'));
  await turn();
  assert.deepEqual(frames, ['first'], 'reads within the gap wait');
  await new Promise((r) => setTimeout(r, 350));
  assert.deepEqual(frames, ['first', 'xy'], 'and go out in one frame');
  await new Promise((r) => setTimeout(r, 350));
  out.push(Buffer.from('later'));
  await turn();
  assert.deepEqual(frames, ['first', 'xy', 'later'], 'a read after the gap is sent at once');
});

test('output held for the gap is not sent once the connection stops', async () => {
  const { frames, ws } = socket();
  const out = new TerminalOutput(ws, () => undefined, 50, 0);
  out.push(Buffer.from('a'));
  await turn();
  out.push(Buffer.from('b'));
  out.stop();
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(frames, ['a']);
});

test('a terminal\'s start and first screen, read a moment apart, are not held apart; output that keeps coming after that is', async () => {
  const { frames, ws } = socket();
  const out = new TerminalOutput(ws, () => undefined, 300, 300);
  out.push(Buffer.from('init'));
  await turn();
  out.push(Buffer.from('screen'));
  await turn();
  assert.deepEqual(frames, ['init', 'screen'], 'the first screen is not held back');
  await new Promise((r) => setTimeout(r, 350));
  out.push(Buffer.from('a'));
  await turn();
  out.push(Buffer.from('b'));
  await turn();
  assert.deepEqual(frames, ['init', 'screen', 'a'], 'later output that keeps coming waits for the gap');
});
