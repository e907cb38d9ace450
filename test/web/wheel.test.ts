import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wheelRows } from '../../src/web/terminal/wheel.js';

const px = (deltaY: number) => ({ deltaY, deltaMode: 0 });

test('a wheel notch in pixels is rows of the screen; up is back into history', () => {
  const w = wheelRows();
  assert.equal(w.rows(px(-100), 20, 24), -5);
  assert.equal(w.rows(px(100), 20, 24), 5);
});

test('lines and pages as the browser gives them', () => {
  assert.equal(wheelRows().rows({ deltaY: -3, deltaMode: 1 }, 20, 24), -3);
  assert.equal(wheelRows().rows({ deltaY: 1, deltaMode: 2 }, 20, 24), 24);
});

test('a trackpad\'s small deltas add up to rows; a turn drops what was left of the other way', () => {
  const w = wheelRows();
  const got = [-6, -6, -6, -6].map((d) => w.rows(px(d), 20, 24));
  assert.deepEqual(got, [0, 0, 0, -1]);
  // 0.2 row left going up; going down starts afresh.
  assert.equal(w.rows(px(15), 20, 24), 0);
  assert.equal(w.rows(px(6), 20, 24), 1);
});

test('a row height not yet measured does not divide by zero', () => {
  assert.equal(wheelRows().rows(px(-3), 0, 24), -3);
});
