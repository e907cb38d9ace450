import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOsc52 } from '../../src/web/terminal/osc52.js';

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
