import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRoostControlArgv, leftBehind } from './stale-control.js';

const roostArgv = ['tmux', '-L', 'x', '-u', '-C', 'attach-session', '-f', 'no-output,ignore-size', '-t', '$0'];

test('only Roost\'s control argv counts', () => {
  assert.equal(isRoostControlArgv(roostArgv), true);
  assert.equal(isRoostControlArgv(['/usr/bin/tmux', '-C', 'attach-session', '-f', 'no-output', '-t', '$4']), true, 'a size anchor');
  assert.equal(isRoostControlArgv(['tmux', '-CC', 'attach-session', '-t', 'main']), false, 'iTerm2');
  assert.equal(isRoostControlArgv(['tmux', '-C', 'attach-session', '-t', 'main']), false);
  assert.equal(isRoostControlArgv(['tmux', '-C', 'attach-session', '-f', 'no-output,ignore-size', '-t', '$0', 'extra']), false);
  assert.equal(isRoostControlArgv(['tmuxy', '-C', 'attach-session', '-f', 'no-output', '-t', '$0']), false);
});

test('left behind: its owner is no longer its parent; unmarked ones only when orphaned to pid 1', () => {
  assert.equal(leftBehind({ argv: roostArgv, ppid: 1, owner: 4242 }), true);
  assert.equal(leftBehind({ argv: roostArgv, ppid: 900, owner: 4242 }), true, 'reparented to a subreaper (systemd --user)');
  assert.equal(leftBehind({ argv: roostArgv, ppid: 4242, owner: 4242 }), false, 'its daemon runs');
  assert.equal(leftBehind({ argv: roostArgv, ppid: 1, owner: null }), true);
  assert.equal(leftBehind({ argv: roostArgv, ppid: 900, owner: null }), false, 'unmarked, with a live parent: not ours to judge');
  assert.equal(leftBehind({ argv: ['tmux', '-C', 'attach-session'], ppid: 1, owner: 4242 }), false);
});
