import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asWritten, planInstall, type Plan } from './plan.js';
import { renderBlock } from './markers.js';
import { OFF_PREFIX } from './turn-off.js';

const STATUS_RIGHT = 'set -g status-right "#[fg=#484f58]Ctrl+B H for help  #[fg=#3fb950]%H:%M #[fg=#484f58]%b %d"\n';
const AUTO_ATTACH = 'if [ -z "$TMUX" ] && [ "$XDG_SESSION_TYPE" = "web" ]; then\n    exec tmux new-session -A -s main\nfi\n';
const FILES = { home: '/h', tmuxConf: '/h/.tmux.conf', tmuxConfs: ['/h/.tmux.conf'], bashrc: '/h/.bashrc', zshrc: '/h/.zshrc', zsh: false, configFile: '/h/config.toml', cockpitConf: '/h/cockpit.conf' };

function plan(files: Record<string, string>): Plan {
  return planInstall({
    files: FILES,
    tmux: { version: { major: 3, minor: 3, text: '3.3a' }, terminal: 'tmux-256color' },
    ssh: false,
    layout: false,
    logs: null,
    cockpit: false,
    read: (p) => files[p] ?? null,
  });
}

/** Each warning's line in `after` is the line it quotes; each turned-off span's lines are turned off there. */
function assertNamesAfter(p: Plan): void {
  for (const c of p.changes) {
    const lines = (c.after ?? '').split('\n');
    for (const w of p.warnings.filter((x) => x.path === c.path)) assert.equal(lines[w.line]!.trim(), w.text, `${c.path}:${w.line}`);
    for (const s of c.turnedOff ?? []) {
      for (let k = s.first; k <= s.last; k++) assert.ok(lines[k]!.startsWith(OFF_PREFIX), `${c.path}:${k}: ${lines[k]}`);
      assert.match(lines[s.first - 1]!, /^# roost init turned off /);
    }
  }
}

test('asWritten counts lines in the files as written: block added at the top, notes above turned-off snippets', () => {
  const p = plan({
    '/h/.tmux.conf': `set -g mouse on\n${STATUS_RIGHT}set -g visual-bell on\n${STATUS_RIGHT}set -g default-terminal "screen-256color"\n`,
    '/h/.bashrc': `x=1\n${AUTO_ATTACH}exec tmux attach\n${AUTO_ATTACH}`,
  });
  assert.deepEqual(p.warnings.map((w) => w.line), [2, 4, 4], 'the plan counts lines of the files as they are');
  assertNamesAfter(asWritten(p));
});

test('asWritten: an old block of another length is replaced; lines before it stay, lines after it move by the difference', () => {
  const old = renderBlock('set -g mouse on\n', 'existing');
  const p = plan({
    '/h/.tmux.conf': `set -g visual-bell on\n${old}${STATUS_RIGHT}set -g visual-bell on\n`,
    '/h/.bashrc': `${AUTO_ATTACH}exec tmux attach\n${renderBlock('old\nlonger\nthan\nnow\n'.repeat(20), 'existing')}x=1\n`,
  });
  const w = asWritten(p);
  assertNamesAfter(w);
  assert.equal(w.warnings.find((x) => x.path === '/h/.bashrc')!.line, 4, 'the note above the auto-attach moves it down by one');
});
