import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OSC52_MAX_BYTES, parseOsc52 } from '../../src/web/terminal/osc52.js';
import { ACK_STEP_BYTES, HIGH_WATERMARK_BYTES } from '../../src/shared/protocol.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

test('OSC 52 writes decode as UTF-8 text', () => {
  assert.deepEqual(parseOsc52(`c;${b64('héllo ✓')}`), { kind: 'write', text: 'héllo ✓' });
  assert.deepEqual(parseOsc52('c;'), { kind: 'write', text: '' });
});

test('OSC 52 reads are recognised (and never answered by the caller)', () => {
  assert.deepEqual(parseOsc52('c;?'), { kind: 'read' });
  assert.deepEqual(parseOsc52('p;?'), { kind: 'read' });
});

test('OSC 52 refuses big, malformed and non-UTF-8 payloads', () => {
  assert.equal(parseOsc52(`c;${b64('x'.repeat(101))}`, 100).kind, 'refused');
  assert.equal(parseOsc52(`c;${b64('x'.repeat(100))}`, 100).kind, 'write');
  assert.equal(parseOsc52('c;!!!!').kind, 'refused');
  assert.equal(parseOsc52('nosemicolon').kind, 'refused');
  assert.equal(parseOsc52(`c;${Buffer.from([0xff, 0xfe]).toString('base64')}`).kind, 'refused');
});

test('the largest write accepted fits, as one sequence, under the daemon\'s flow-control mark', () => {
  const text = 'x'.repeat(OSC52_MAX_BYTES);
  const sequence = `\x1b]52;c;${b64(text)}\x07`;
  assert.equal(parseOsc52(sequence.slice(5, -1)).kind, 'write');
  assert.equal(parseOsc52(`c;${b64(`${text}x`)}`).kind, 'refused');
  // The page acknowledges in steps: up to one step may still be counted against it when the sequence starts.
  assert.ok(sequence.length + ACK_STEP_BYTES < HIGH_WATERMARK_BYTES, `${sequence.length} + ${ACK_STEP_BYTES} < ${HIGH_WATERMARK_BYTES}`);
});
