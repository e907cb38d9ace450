import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmuxBlock } from './tmux-block.js';
import { parseTmuxVersion } from './versions.js';

const block = (v: string | null) => tmuxBlock({ version: v ? parseTmuxVersion(v) : null, terminal: 'tmux-256color' });

test('tmux 3.2 and later get the popup and terminal-features', () => {
  const b = block('tmux 3.3a');
  assert.match(b, /^bind H display-popup /m);
  assert.match(b, /^set -s terminal-features\[73\] "xterm\*:RGB"$/m);
  // The prefix as tmux has it when it draws: Ctrl+B, or the user's own.
  assert.match(b, /Ctrl\+B,#\{s\/\^C-\/Ctrl\+\/:prefix\}\} H for help/);
  assert.match(b, /^bind s choose-tree -Zs -f '#\{\?@roost_view,0,1\}' -F '[^']+'$/m);
  assert.match(b, /^bind w choose-tree -Zw -f '#\{\?@roost_view,0,1\}' -F '[^']+'$/m);
});

test('older or unknown tmux: no popup, the old true-colour flag, and a note why', () => {
  for (const v of ['tmux 3.1c', 'tmux 2.9', null]) {
    const b = block(v);
    assert.doesNotMatch(b, /display-popup -E/);
    assert.doesNotMatch(b, /^bind H/m);
    assert.match(b, /^set -s terminal-overrides\[73\] "xterm\*:Tc"$/m);
    assert.match(b, /^# No prefix\+H popup: display-popup needs tmux 3\.2/m);
    assert.match(b, /:prefix\}\} \? for keys/);
  }
});

test('the guide\'s settings are all there', () => {
  const b = block('tmux 3.4');
  for (const line of [
    'set -g default-terminal "tmux-256color"', 'set -g mouse on', 'set -g base-index 1', 'set -g pane-base-index 1',
    'set -g renumber-windows on', 'set -g history-limit 10000', 'set -g monitor-silence 20', 'set -g visual-silence on',
    'set -g monitor-bell on', 'set -g bell-action any',
  ]) assert.ok(b.split('\n').includes(line), line);
  assert.match(b, /^set -g window-status-format ".*#\{\?window_silence_flag, ~,\}#\{\?window_bell_flag, !,\}.*"$/m);
  assert.match(b, /^set -g window-status-current-format ".*#\{\?window_silence_flag, ~,\}#\{\?window_bell_flag, !,\}.*"$/m);
  assert.equal(tmuxBlock({ version: parseTmuxVersion('tmux 3.4'), terminal: 'screen-256color' }).includes('default-terminal "screen-256color"'), true);
});

test('no line appends: sourcing the block again sets the same values, it adds no copies', () => {
  for (const v of ['tmux 3.3a', 'tmux 3.1c', null]) assert.doesNotMatch(block(v), /^(set|set-option|setw|set-window-option) +(-\w+ +)*-\w*a/m, String(v));
});
