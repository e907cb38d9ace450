/**
 * The tmux settings `roost init` puts in ~/.tmux.conf: the setup guide's
 * configuration (colours, mouse, numbering, scrollback, status bar, silence
 * and bell monitoring, the prefix+H quick reference) adapted to the tmux
 * that is installed, and the session trees without Roost's browser views.
 * Pure: the caller supplies the version and terminal.
 */
import { hasPopup, type Version } from './versions.js';
import { VIEW_OPTION } from '../tmux/options.js';

export interface TmuxBlockOptions {
  /** The installed tmux; null when unknown (no tmux, or an unparsable -V). */
  version: Version | null;
  /** Value of default-terminal: tmux-256color where terminfo has it, else screen-256color. */
  terminal: 'tmux-256color' | 'screen-256color';
}

/**
 * The array index Roost's true-colour entry takes in terminal-features (or
 * terminal-overrides). Appending (`set -as`) adds another copy each time the
 * file is sourced, and init tells users to `tmux source-file` it; setting a
 * fixed index replaces the same entry instead (tmux 3.3a, checked on a
 * private server). Far above tmux's own entries (0, 1) and the first free
 * indexes that other lines' appends take.
 */
export const TRUE_COLOUR_INDEX = 73;

/** tmux 3.2 replaced terminal-overrides' Tc flag with terminal-features' RGB. */
function trueColour(o: TmuxBlockOptions): string {
  return hasPopup(o.version)
    ? `set -s terminal-features[${TRUE_COLOUR_INDEX}] "xterm*:RGB"`
    : `set -s terminal-overrides[${TRUE_COLOUR_INDEX}] "xterm*:Tc"`;
}

/** The keys the popup lists: the guide's quick reference. */
const KEYS: [string, string][] = [
  ['Ctrl+B C', 'new window'],
  ['Ctrl+B ,', 'rename window'],
  ['Ctrl+B W', 'list all windows'],
  ['Ctrl+B 1-9', 'switch to window'],
  ['Ctrl+B N / P', 'next / previous window'],
  ['Ctrl+B %', 'split left/right'],
  ['Ctrl+B "', 'split top/bottom'],
  ['Ctrl+B arrows', 'move between panes'],
  ['Ctrl+B Z', 'zoom pane (toggle)'],
  ['Ctrl+B [', 'scroll mode (Q to exit)'],
  ['Ctrl+B D', 'detach (session keeps running)'],
  ['Ctrl+B H', 'this help'],
];

/**
 * The user's prefix as the guide writes it (Ctrl+B), read by tmux when it
 * draws: a `set -g prefix C-a` anywhere in the user's config, before or after
 * this block, shows as Ctrl+a.
 */
const PREFIX = '#{?#{==:#{prefix},C-b},Ctrl+B,#{s/^C-/Ctrl+/:prefix}}';

/**
 * The same for the popup, whose command tmux does not expand as a format:
 * sh asks tmux (the popup runs inside it) and sed writes it over the text's
 * Ctrl+B. `\$` keeps tmux's config parser from expanding it as a variable.
 */
const POPUP_PREFIX = 'p=\\$(tmux show-options -gv prefix | sed \\"s/^C-b\\$/Ctrl+B/;s/^C-/Ctrl+/\\"); ';

/**
 * prefix+H: the quick-reference popup. The command runs through POSIX sh
 * whatever the user's shell is (the guide's `read -n1` is bash-only, and
 * tmux starts popups with default-shell). Each help line is one config line
 * ending in `\n\` so tmux keeps its indentation; the text holds no `#`
 * (tmux would expand it), no `'` and no `\` (it sits in sh single quotes).
 */
function popup(): string {
  const text = ['', '  tmux quick reference', '', ...KEYS.map(([k, what]) => `  ${k.padEnd(14)} ${what}`), ''];
  const esc = (s: string) => s.replace(/"/g, '\\"');
  return [
    '# prefix+H: quick reference (display-popup needs tmux 3.2).',
    `bind H display-popup -E -w 62 -h 20 "exec sh -c '${POPUP_PREFIX}sed \\"s/Ctrl+B/\\$p/\\" <<\\"EOF\\"\\n\\`,
    ...text.map((l) => `${esc(l)}\\n\\`),
    'EOF\\n\\',
    'printf \\"  press any key to close\\"; stty -icanon -echo; dd bs=1 count=1 >/dev/null 2>&1\'"',
  ].join('\n');
}

/** A choose-tree filter: true for everything but Roost's per-device view sessions (src/tmux/views.ts). */
const NOT_A_VIEW = `#{?${VIEW_OPTION},0,1}`;

/**
 * choose-tree's own line format (tmux 3.2, 3.3), but a grouped session shows
 * "(group NAME)" as tmux ls does, not the group's members: those are the
 * views the filter hides.
 */
const TREE_FORMAT = '#{?pane_format,'
  + '#{?pane_marked,#[reverse],}#{pane_current_command}#{?pane_active,*,}#{?pane_marked,M,}'
  + '#{?#{&&:#{pane_title},#{!=:#{pane_title},#{host_short}}},: "#{pane_title}",}'
  + ',#{?window_format,'
  + '#{?window_marked_flag,#[reverse],}#{window_name}#{window_flags}'
  + '#{?#{&&:#{==:#{window_panes},1},#{&&:#{pane_title},#{!=:#{pane_title},#{host_short}}}},: "#{pane_title}",}'
  + ',#{session_windows} windows#{?session_grouped, (group #{session_group}),}#{?session_attached, (attached),}}}';

export function tmuxBlock(o: TmuxBlockOptions): string {
  const popupOk = hasPopup(o.version);
  const help = popupOk ? `${PREFIX} H for help` : `${PREFIX} ? for keys`;
  const lines = [
    '# Added by roost init; roost init --uninstall removes it. Your own',
    '# settings after this block win over these.',
    '',
    '# True colour and 256 colours, mouse support',
    `set -g default-terminal "${o.terminal}"`,
    trueColour(o),
    'set -g mouse on',
    '',
    '# Windows and panes numbered from 1; renumbered when one closes',
    'set -g base-index 1',
    'set -g pane-base-index 1',
    'set -g renumber-windows on',
    '',
    '# 10,000 lines of scrollback',
    'set -g history-limit 10000',
    '',
    '# A readable status bar',
    'set -g status-style "bg=#0d1117,fg=#8b949e"',
    'set -g status-left "#[fg=#3fb950,bold] [#S] "',
    `set -g status-right "#[fg=#484f58]${help}  #[fg=#3fb950]%H:%M #[fg=#484f58]%b %d"`,
    'set -g window-status-current-style "fg=#3fb950,bold"',
    'set -g pane-active-border-style "fg=#3fb950"',
    '',
    '# Light up windows that went quiet (likely waiting for input) and bells;',
    '# bells still reach your terminal (no visual-bell).',
    'set -g monitor-silence 20',
    'set -g visual-silence on',
    'set -g monitor-bell on',
    'set -g bell-action any',
    '',
    '# " ~" after a silent window\'s name, " !" after one that rang the bell',
    'set -g window-status-format "  #I:#W#{?window_silence_flag, ~,}#{?window_bell_flag, !,}  "',
    'set -g window-status-current-format "  #I:#W#{?window_silence_flag, ~,}#{?window_bell_flag, !,}  "',
  ];
  if (popupOk) {
    lines.push(
      '',
      '# Each browser showing a session has its own hidden view of it (a grouped',
      '# session marked @roost_view, gone when the page closes): keep them out of',
      '# the session and window trees. These are tmux 3.2+\'s own bindings, filtered.',
      `bind s choose-tree -Zs -f '${NOT_A_VIEW}' -F '${TREE_FORMAT}'`,
      `bind w choose-tree -Zw -f '${NOT_A_VIEW}' -F '${TREE_FORMAT}'`,
    );
    lines.push('', popup());
  }
  else lines.push('', `# No prefix+H popup: display-popup needs tmux 3.2 (this is ${o.version ? `tmux ${o.version.text}` : 'an unknown tmux'}); use Ctrl+B ? instead.`);
  return `${lines.join('\n')}\n`;
}
