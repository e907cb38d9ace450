import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TmuxClient } from './client.js';

test('serverName: the -L name, or the name of the socket $TMUX names in tmux\'s folder; none for the default server or a socket elsewhere', () => {
  const uid = process.getuid?.() ?? 0;
  assert.equal(new TmuxClient({ socket: 'work', env: {} }).serverName(), 'work');
  assert.equal(new TmuxClient({ env: {} }).serverName(), undefined);
  assert.equal(new TmuxClient({ env: { TMUX: `/tmp/tmux-${uid}/work,123,0` } }).serverName(), 'work');
  assert.equal(new TmuxClient({ env: { TMUX: `/run/t/tmux-${uid}/work,123,0`, TMUX_TMPDIR: '/run/t/' } }).serverName(), 'work');
  assert.equal(new TmuxClient({ env: { TMUX: `/tmp/tmux-${uid}/default,123,0` } }).serverName(), undefined);
  assert.equal(new TmuxClient({ env: { TMUX: '/home/me/my.sock,123,0' } }).serverName(), undefined, 'tmux -S: -L cannot name it');
});
