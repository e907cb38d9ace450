import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkName, isValidName } from '../../src/shared/names.js';

test('valid names', () => {
  for (const n of ['main', 'a', 'A_b-9', '_x', '0', 'x'.repeat(64)]) assert.equal(isValidName(n), true, n);
});

test('refused names, each with a one-line reason', () => {
  for (const n of ['', '-x', 'a:b', 'a.b', '$3', '%1', '@2', '#(touch /tmp/x)', 'a b', 'a\nb', 'x'.repeat(65), 'é', 'a;b', "a'b"]) {
    const c = checkName(n, 'session name');
    assert.equal(c.ok, false, JSON.stringify(n));
    if (!c.ok) {
      assert.match(c.error, /^invalid session name /);
      assert.ok(!c.error.includes('\n'), 'one line');
    }
  }
  assert.equal(checkName(3).ok, false);
});
