import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkName, compareNames, isValidName, isWindowRef, suggestName } from '../../src/shared/names.js';

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

test('window references: an index or an @id, nothing else', () => {
  for (const ok of ['0', '1', '99999', '@1', '@123456789']) assert.equal(isWindowRef(ok), true, ok);
  for (const bad of ['', '-1', '100000', '@', '@x', '1.5', ' 1', '1 ', 'main', '%1', '$1', '@1234567890', 1, null]) assert.equal(isWindowRef(bad), false, String(bad));
});

test('compareNames orders names as localeCompare does in English', () => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';
  // A fixed pseudo-random sequence, so a failure repeats.
  let seed = 7;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const name = () => Array.from({ length: 1 + next(5) }, () => alphabet[next(next(2) ? 8 : alphabet.length)]).join('');
  const collator = new Intl.Collator('en');
  for (let i = 0; i < 20_000; i++) {
    const a = name();
    const b = name();
    assert.equal(Math.sign(compareNames(a, b)), Math.sign(collator.compare(a, b)), `${a} vs ${b}`);
  }
  assert.deepEqual(['b', 'B', '_x', '-x', '9', 'a', 'A', 'aB', 'Ab'].sort(compareNames), ['_x', '-x', '9', 'a', 'A', 'aB', 'Ab', 'b', 'B']);
  // Names made with tmux itself, outside Roost's rule: localeCompare's order.
  assert.deepEqual(['é', 'e', 'f', 'my session'].sort(compareNames), ['e', 'é', 'f', 'my session']);
});

test('suggestName makes a valid name from a refused one', () => {
  for (const [from, to] of [['my work', 'my-work'], ['  a  b!', 'a-b'], ['-x', 'x'], ['#(cmd)', 'cmd'], ['!!', 'session'], ['ünï', 'n'], [`a ${'b'.repeat(80)}`, `a-${'b'.repeat(62)}`]] as const) {
    assert.equal(suggestName(from), to, from);
    assert.ok(isValidName(suggestName(from)), from);
  }
});
