import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogText, logLines, MAX_LINE_CHARS } from '../../src/shared/log-text.js';

test('escapes are removed: colours, titles, charsets, DCS', () => {
  assert.deepEqual(logLines('\x1b[1;31mred\x1b[0m plain\r\n\x1b]0;title\x07after\x1b(B!\r\n\x1bPq#0;2\x1b\\x\n'), ['red plain', 'after!', 'x']);
});

test('carriage returns redraw the line: a progress bar ends in its last state', () => {
  assert.deepEqual(logLines('10%\r50%\r100%\r\ndone\r\n'), ['100%', 'done']);
  assert.deepEqual(logLines('downloading 10 MB\rok\n'), ['okwnloading 10 MB'], 'as a terminal leaves it');
  assert.deepEqual(logLines('downloading 10 MB\r\x1b[Kok\n'), ['ok'], 'ESC[K erases the rest');
  assert.deepEqual(logLines('abc\bX\n'), ['abX']);
  assert.deepEqual(logLines('a\tb\n'), ['a       b']);
});

test('streaming: any split gives the same lines; pending shows the unfinished line', () => {
  const input = '\x1b[32mok\x1b[0m 1\r\nbar 10%\rbar 90%\r\nlast';
  for (let cut = 0; cut <= input.length; cut++) {
    const t = new LogText();
    const lines = [...t.push(input.slice(0, cut)), ...t.push(input.slice(cut)), ...t.end()];
    assert.deepEqual(lines, ['ok 1', 'bar 90%', 'last'], `cut at ${cut}`);
  }
  const t = new LogText();
  t.push('loading 5%\rloading 7%');
  assert.equal(t.pending(), 'loading 7%');
});

test('a line without end is broken at MAX_LINE_CHARS, never grown without bound', () => {
  const lines = logLines('x'.repeat(MAX_LINE_CHARS * 2 + 5));
  assert.deepEqual(lines.map((l) => l.length), [MAX_LINE_CHARS, MAX_LINE_CHARS, 5]);
});
