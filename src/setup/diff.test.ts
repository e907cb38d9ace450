import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unifiedDiff } from './diff.js';

test('equal texts give no diff', () => {
  assert.equal(unifiedDiff('a\n', 'a\n', 'x', 'y'), '');
  assert.equal(unifiedDiff(null, null, 'x', 'y'), '');
});

test('lines added at the end, with three lines of context', () => {
  assert.equal(unifiedDiff('1\n2\n3\n4\n5\n', '1\n2\n3\n4\n5\nnew\n', 'f', 'f'), [
    '--- f', '+++ f', '@@ -3,3 +3,4 @@', ' 3', ' 4', ' 5', '+new', '',
  ].join('\n'));
});

test('a new file and a removed file', () => {
  assert.equal(unifiedDiff(null, 'a\nb\n', 'f', 'f'), '--- /dev/null\n+++ f\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  assert.equal(unifiedDiff('a\n', null, 'f', 'f'), '--- f\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n');
});

test('a change in the middle', () => {
  assert.equal(unifiedDiff('a\nb\nc\nd\ne\nf\ng\nh\n', 'a\nb\nc\nd\nX\nf\ng\nh\n', 'f', 'f'), [
    '--- f', '+++ f', '@@ -2,7 +2,7 @@', ' b', ' c', ' d', '-e', '+X', ' f', ' g', ' h', '',
  ].join('\n'));
});

test('a missing final newline is shown', () => {
  assert.equal(unifiedDiff('a', 'a\nb\n', 'f', 'f'), '--- f\n+++ f\n@@ -1,1 +1,2 @@\n-a\n\\ No newline at end of file\n+a\n+b\n');
});

test('changes far apart are two hunks, each with its context; unchanged lines between are not shown', () => {
  const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n';
  const after = 'a\n#off b\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nblock\n';
  assert.equal(unifiedDiff(before, after, 'f', 'f'), [
    '--- f', '+++ f',
    '@@ -1,5 +1,5 @@', ' a', '-b', '+#off b', ' c', ' d', ' e',
    '@@ -10,3 +10,4 @@', ' j', ' k', ' l', '+block', '',
  ].join('\n'));
});
