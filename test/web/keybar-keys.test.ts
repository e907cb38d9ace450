import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAIN, KEYS, MAX_MAIN, mainRow, moreRow, moveKey } from '../../src/web/terminal/keybar-keys.js';

test('the main row: the stored choice, cleaned (known keys, once, at most MAX_MAIN), else the default', () => {
  assert.deepEqual(mainRow(null), DEFAULT_MAIN);
  assert.deepEqual(mainRow([]), DEFAULT_MAIN);
  assert.deepEqual(mainRow(['Tab', 'nope', 'Tab', 'ctrl']), ['Tab', 'ctrl']);
  assert.equal(mainRow(KEYS.map((k) => k.id)).length, MAX_MAIN);
  assert.deepEqual(DEFAULT_MAIN, ['Enter', 'y', 'n', '^C', 'Escape', 'Up', 'Down', 'Left', 'Right', 'Tab']);
});

test('the other row holds every key the main row does not, in catalogue order; moving clamps at the ends', () => {
  const more = moreRow(DEFAULT_MAIN).map((k) => k.id);
  assert.deepEqual(more, ['ctrl', 'alt', '|', '/', '~', '-', 'Home', 'End', 'PageUp', 'PageDown', '^B']);
  assert.equal(more.length + DEFAULT_MAIN.length, KEYS.length);
  assert.deepEqual(moveKey(['a', 'b', 'c'], 'c', -1), ['a', 'c', 'b']);
  assert.deepEqual(moveKey(['a', 'b', 'c'], 'a', -1), ['a', 'b', 'c']);
  assert.deepEqual(moveKey(['a', 'b', 'c'], 'a', 5), ['b', 'c', 'a']);
  assert.deepEqual(moveKey(['a'], 'x', 1), ['a']);
});
