import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findAll, HitCursor } from '../../src/web/terminal/text-search.js';

const lines = ['alpha Beta', 'beta beta', 'gamma', 'BETA'];

test('every hit with its line and offsets; case ignored unless the query has a capital', () => {
  assert.deepEqual(findAll(lines, 'beta').hits.map((h) => [h.line, h.start, h.end]), [[0, 6, 10], [1, 0, 4], [1, 5, 9], [3, 0, 4]]);
  assert.deepEqual(findAll(lines, 'Beta').hits.map((h) => h.line), [0], 'smart case');
  assert.deepEqual(findAll(lines, '').hits, []);
  assert.deepEqual(findAll(lines, 'zeta').hits, []);
  assert.deepEqual(findAll(['aaaa'], 'aa').hits.map((h) => h.start), [0, 2], 'hits do not overlap');
});

test('the number of hits is capped', () => {
  const many = Array.from({ length: 100 }, () => 'x x x');
  const r = findAll(many, 'x', 50);
  assert.equal(r.hits.length, 50);
  assert.equal(r.capped, true);
  assert.equal(findAll(many, 'x').capped, false);
});

test('the cursor starts at the newest hit, steps both ways and wraps', () => {
  const c = new HitCursor(findAll(lines, 'beta').hits);
  assert.equal(c.label(), '4 of 4');
  assert.equal(c.current?.line, 3);
  assert.equal(c.next()?.line, 0, 'wraps to the oldest');
  assert.equal(c.previous()?.line, 3);
  assert.equal(c.previous()?.start, 5);
  assert.equal(c.label(true), '3 of 4+');
  const none = new HitCursor([]);
  assert.equal(none.current, null);
  assert.equal(none.next(), null);
  assert.equal(none.label(), 'no matches');
});
