import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findShellClashes, findTmuxClashes } from './guide.js';
import { turnBackOn, turnOff } from './turn-off.js';

const GUIDE = 'if [ -z "$TMUX" ] && [ "$XDG_SESSION_TYPE" = "web" ]; then\n    exec tmux new-session -A -s main\nfi\n';
const END = Number.MAX_SAFE_INTEGER;
const spans = (text: string, ssh = false) => findShellClashes(text, END, ssh).guide.map((g) => [g.first, g.last]);
const unsure = (text: string, ssh = false) => findShellClashes(text, END, ssh).unsure.map((u) => u.line);

test('the guide\'s auto-attach: as printed, on one line, with other spacing or CRLF line ends', () => {
  assert.deepEqual(spans(`x=1\n${GUIDE}`), [[1, 3]]);
  assert.deepEqual(spans('if [ -z "$TMUX" ] && [ "$XDG_SESSION_TYPE" = "web" ]; then exec tmux new-session -A -s main; fi'), [[0, 0]]);
  assert.deepEqual(spans('if [ -z "$TMUX" ]  &&  [ "$XDG_SESSION_TYPE" = "web" ];  then\n\texec tmux new-session -A -s main\nfi'), [[0, 2]]);
  assert.deepEqual(spans(GUIDE.replace(/\n/g, '\r\n')), [[0, 2]]);
  // The guide's comments directly above go with it.
  assert.deepEqual(spans(`# Auto-attach to persistent tmux session in cockpit terminals.\n${GUIDE}`), [[0, 3]]);
});

test('only lines before roost\'s block count; the SSH variant only when roost\'s block attaches SSH logins', () => {
  assert.deepEqual(findShellClashes(`a\n${GUIDE}`, 2, false).guide, [], 'the snippet runs past the block start: not before it');
  const ssh = GUIDE.replace('[ "$XDG_SESSION_TYPE" = "web" ]', '[ -n "$SSH_TTY" ]');
  assert.deepEqual(spans(ssh, true), [[0, 2]]);
  assert.deepEqual(spans(ssh, false), []);
  assert.deepEqual(unsure(ssh, false), [0]);
});

test('not the guide\'s: another session or an exec tmux of the user\'s own is a warning; comments, functions and text are nothing', () => {
  assert.deepEqual(spans(GUIDE.replace('-s main', '-s work')), []);
  assert.deepEqual(unsure(GUIDE.replace('-s main', '-s work')), [1]);
  assert.deepEqual(unsure('[ -n "$PS1" ] && exec /usr/bin/tmux attach\n'), [0]);
  assert.deepEqual(unsure('# exec tmux\n  # if x; then exec tmux; fi\necho "exec tmux to start"\n'), []);
  assert.deepEqual(unsure('livenode() {\n  if tmux has-session -t "$s"; then\n    tmux attach -t "$s"\n  fi\n}\n'), []);
});

test('tmux: the guide\'s status-right and popup after the block; other Ctrl+B status bars and H bindings are warnings', () => {
  const sr = 'set -g status-right "#[fg=#484f58]Ctrl+B H for help  #[fg=#3fb950]%H:%M #[fg=#484f58]%b %d"\n';
  assert.deepEqual(findTmuxClashes(sr, 0, 'tmux-256color').guide.map((g) => g.first), [0]);
  assert.deepEqual(findTmuxClashes(sr, 1, 'tmux-256color').guide, [], 'before the block: the block wins already');
  const f = findTmuxClashes('set -g status-right "Ctrl+B H"\nbind-key -r H resize-pane -L 5\nbind h select-pane -L\nbind -T prefix -N "help" H list-keys\nbind -n H send-keys x\n', 0, 'tmux-256color');
  assert.deepEqual([f.guide.length, f.unsure.map((u) => u.line)], [0, [0, 1, 3]]);
});

test('tmux: a visual-bell on and a default-terminal other than the block\'s, after it, are warnings (never rewritten)', () => {
  const lines = (text: string, terminal = 'tmux-256color', after = 0) => findTmuxClashes(text, after, terminal);
  const guide = 'set -g default-terminal "screen-256color"\nset -g mouse on\nset -g monitor-bell on\nset -g visual-bell on\nset -g bell-action any\n';
  const f = lines(guide);
  assert.deepEqual([f.guide, f.unsure.map((u) => [u.line, u.text])], [[], [[0, 'set -g default-terminal "screen-256color"'], [3, 'set -g visual-bell on']]]);
  assert.match(f.unsure[0]!.problem, /wins over its tmux-256color: programs in tmux get TERM=screen-256color, without italics/);
  assert.match(f.unsure[1]!.problem, /instead of passing bells on/);
  // Look-alikes: other spellings of the same setting.
  assert.deepEqual(lines("set-option -g visual-bell 'on'\nsetw -g visual-bell on\nset -g default-terminal xterm-256color # mine\n").unsure.map((u) => u.line), [0, 1, 2]);
  // What does not undo the block: bells passed on as well, its own terminal, the block's choice where terminfo lacks tmux-256color, comments, before the block.
  assert.deepEqual(lines('set -g visual-bell both\nset -g visual-bell off\nset -g default-terminal "tmux-256color"\n# set -g visual-bell on\n').unsure, []);
  assert.deepEqual(lines('set -g default-terminal "screen-256color"\n', 'screen-256color').unsure, []);
  assert.deepEqual(lines(guide, 'tmux-256color', 5).unsure, [], 'before the block: the block wins');
});

test('turning off and back on gives the text back byte for byte', () => {
  for (const text of [`a\n${GUIDE}b\n`, `a\n${GUIDE.slice(0, -1)}`, GUIDE.replace(/\n/g, '\r\n'), `${GUIDE}${GUIDE}`]) {
    const found = findShellClashes(text, END, false).guide;
    assert.ok(found.length > 0);
    const off = turnOff(text, found, 'below');
    assert.deepEqual(findShellClashes(off, END, false), { guide: [], unsure: [] }, 'nothing left to turn off');
    assert.equal(turnBackOn(off), text);
  }
  const mine = '# roost init turned off my thoughts\nnot ours\n#roost#x\n';
  assert.equal(turnBackOn(mine), mine, 'a look-alike note without turned-off lines after it stays');
});
