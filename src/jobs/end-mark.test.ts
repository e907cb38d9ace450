import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EndMarkScanner, endMark } from './end-mark.js';

test('the end mark is found across chunk borders and kept out of the log; output is never held back needlessly', () => {
  const mark = endMark('abc123');
  const s = new EndMarkScanner(mark);
  assert.deepEqual(s.push(Buffer.from('hello \x1b[1mbold\x1b[0m')), { data: Buffer.from('hello \x1b[1mbold\x1b[0m'), found: false }, 'an unrelated escape goes out at once');
  const split = 5;
  const a = s.push(Buffer.from(`tail${mark.slice(0, split)}`));
  assert.equal(a.data.toString(), 'tail', 'a possible start of the mark waits');
  const b = s.push(Buffer.from(`${mark.slice(split)}after`));
  assert.deepEqual(b, { data: Buffer.alloc(0), found: true });
});

test('a look-alike with another token is output, and held-back bytes come out at the end', () => {
  const s = new EndMarkScanner(endMark('right'));
  const fake = endMark('wrong');
  assert.equal(s.push(Buffer.from(fake)).data.toString(), fake);
  assert.equal(s.push(Buffer.from('x\x1b]73')).data.toString(), 'x');
  assert.equal(s.flush().toString(), '\x1b]73');
});
