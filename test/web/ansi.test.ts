import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySgr, nearest256, paletteColour, parseLine, PLAIN, stripAnsi, styleClasses } from '../../src/web/terminal/ansi.js';

const runs = (line: string) => parseLine(line).runs.map((r) => [r.text, styleClasses(r.style).join(' ')]);

test('SGR colours and attributes become runs with palette classes', () => {
  assert.deepEqual(runs('\x1b[31mred-\x1b[1mbold\x1b[0m plain'), [['red-', 'fg-1'], ['bold', 'fg-1 sgr-b'], [' plain', '']]);
  assert.deepEqual(runs('\x1b[38;5;208morange\x1b[39m'), [['orange', 'fg-208']]);
  assert.deepEqual(runs('\x1b[48;5;17;97mx'), [['x', 'fg-15 bg-17']]);
  assert.deepEqual(runs('\x1b[3;4;9mfancy\x1b[23;24;29m'), [['fancy', 'sgr-i sgr-u sgr-s']]);
  assert.deepEqual(runs('\x1b[2mdim\x1b[22mnormal'), [['dim', 'sgr-d'], ['normal', '']]);
  assert.deepEqual(runs('\x1b[7minverse'), [['inverse', 'fg-bg bg-fg']]);
  assert.deepEqual(runs('\x1b[31;42;7mswap'), [['swap', 'fg-2 bg-1']]);
});

test('true colour maps to the nearest 256-colour entry; both 38;2 and 38:2:: forms', () => {
  assert.equal(nearest256(255, 0, 0), 196);
  assert.equal(nearest256(0, 0, 0), 16);
  assert.equal(nearest256(128, 128, 128), 244);
  assert.equal(applySgr(PLAIN, '38;2;255;0;0').fg, 196);
  assert.equal(applySgr(PLAIN, '38:2::255:0:0').fg, 196);
  assert.equal(applySgr(PLAIN, '38:2:255:0:0').fg, 196);
  assert.equal(applySgr(PLAIN, '48:5:21').bg, 21);
  assert.deepEqual(applySgr(PLAIN, '38;2;0;0;255;1'), { ...PLAIN, fg: 21, bold: true }, 'parameters after a colour still count');
});

test('other escapes and controls are dropped, text stays', () => {
  assert.equal(stripAnsi('a\x1b[2Kb\x1b]0;title\x07c\x1b]8;;http://x\x1b\\d\x1b(Be\x07f\tg'), 'abcdef\tg');
  assert.deepEqual(runs('\x1b[?25lhidden-cursor'), [['hidden-cursor', '']], 'private modes are not colours');
  assert.deepEqual(runs('<b>not markup</b>'), [['<b>not markup</b>', '']]);
});

test('a style carries over to the next line, as in the terminal', () => {
  const first = parseLine('\x1b[32mgreen starts');
  const second = parseLine('and goes on\x1b[0m', first.style);
  assert.deepEqual(second.runs.map((r) => styleClasses(r.style)), [['fg-2']]);
  assert.equal(second.style, second.style);
  assert.deepEqual(parseLine('after', second.style).runs[0]!.style, PLAIN);
});

test('the palette: xterm.js\'s 16 colours, the cube and the greys', () => {
  assert.equal(paletteColour(1), '#cc0000');
  assert.equal(paletteColour(16), '#000000');
  assert.equal(paletteColour(196), '#ff0000');
  assert.equal(paletteColour(231), '#ffffff');
  assert.equal(paletteColour(232), '#080808');
  assert.equal(paletteColour(255), '#eeeeee');
});
