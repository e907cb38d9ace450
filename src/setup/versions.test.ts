import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atLeast, hasPopup, MIN_NODE, parseNodeVersion, parseTmuxVersion } from './versions.js';

test('tmux -V output', () => {
  assert.deepEqual(parseTmuxVersion('tmux 3.3a\n'), { major: 3, minor: 3, text: '3.3a' });
  assert.deepEqual(parseTmuxVersion('tmux 3.2-rc3'), { major: 3, minor: 2, text: '3.2-rc3' });
  assert.deepEqual(parseTmuxVersion('tmux next-3.4'), { major: 3, minor: 4, text: '3.4' });
  assert.deepEqual(parseTmuxVersion('tmux 2.9'), { major: 2, minor: 9, text: '2.9' });
  assert.equal(parseTmuxVersion('tmux openbsd-7.4'), null);
  assert.equal(parseTmuxVersion('tmux master'), null);
});

test('the popup needs tmux 3.2', () => {
  assert.equal(hasPopup(parseTmuxVersion('tmux 3.1c')), false);
  assert.equal(hasPopup(parseTmuxVersion('tmux 2.9a')), false);
  assert.equal(hasPopup(parseTmuxVersion('tmux 3.2')), true);
  assert.equal(hasPopup(parseTmuxVersion('tmux 3.5a')), true);
  assert.equal(hasPopup(parseTmuxVersion('tmux 10.0')), true);
  assert.equal(hasPopup(null), false);
});

test('Node versions', () => {
  assert.equal(atLeast(parseNodeVersion('v20.19.0')!, MIN_NODE), true);
  assert.equal(atLeast(parseNodeVersion('20.18.3')!, MIN_NODE), false);
  assert.equal(atLeast(parseNodeVersion('22.1.0')!, MIN_NODE), true);
  assert.equal(atLeast(parseNodeVersion('18.20.0')!, MIN_NODE), false);
  assert.equal(parseNodeVersion('x'), null);
});
