import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttemptLimiter } from './limiter.js';

test('max attempts per window per key, then a wait; other keys unaffected', () => {
  const clock = { now: 0 };
  const l = new AttemptLimiter({ max: 3, windowMs: 60_000, now: () => clock.now });
  assert.deepEqual([1, 2, 3].map(() => l.hit('a')), [0, 0, 0]);
  assert.equal(l.hit('a'), 60_000);
  assert.equal(l.hit('b'), 0);
  clock.now = 30_000;
  assert.equal(l.hit('a'), 30_000);
  clock.now = 60_000;
  assert.equal(l.hit('a'), 0, 'a new window');
});

test('memory stays bounded under many keys', () => {
  const l = new AttemptLimiter({ max: 1, windowMs: 60_000, maxKeys: 100 });
  for (let i = 0; i < 10_000; i++) l.hit(`k${i}`);
  assert.ok((l as unknown as { windows: Map<string, unknown> }).windows.size <= 100);
});
