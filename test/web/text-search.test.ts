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

test('matches in context: newest first, one per line with all its hits, the lines around it, long lines cut but never before a hit', async () => {
  const { matchesInContext } = await import('../../src/shared/text-search.js');
  const text = ['one', 'two needle', 'three', 'four', 'needle and needle', 'six', `${'x'.repeat(50)}needle${'y'.repeat(50)}`];
  const m = matchesInContext(text, findAll(text, 'needle').hits, { context: 1, max: 10, width: 20 });
  assert.deepEqual(m.map((x) => [x.line, x.fromEnd]), [[6, 1], [4, 3], [1, 6]]);
  assert.deepEqual(m[1], { line: 4, fromEnd: 3, text: 'needle and needle', ranges: [[0, 6], [11, 17]], before: ['four'], after: ['six'] });
  assert.equal(m[0]!.text.slice(50, 56), 'needle', 'the hit stays in the cut line');
  assert.ok(m[0]!.text.endsWith('…'));
  assert.deepEqual(m[0]!.after, []);
  assert.deepEqual(matchesInContext(text, findAll(text, 'needle').hits, { context: 0, max: 1, width: 20 }).map((x) => x.line), [6]);
});

test('a cursor moves to the first hit on or after a line (a reader opened at a match)', () => {
  const c = new HitCursor(findAll(lines, 'beta').hits);
  assert.deepEqual(c.moveTo(1), { line: 1, start: 0, end: 4 });
  assert.deepEqual(c.moveTo(3), { line: 3, start: 0, end: 4 });
  assert.deepEqual(c.moveTo(99), { line: 3, start: 0, end: 4 }, 'past the end: the last');
});
