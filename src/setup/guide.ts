/**
 * The setup guide's own lines in a user's files, which people copied by hand
 * before Roost existed and which win over Roost's block: the guide's
 * auto-attach in ~/.bashrc (its `exec tmux` runs before Roost's block, at the
 * end of the file, so Roost's never runs) and the guide's status-right and
 * prefix+H popup in ~/.tmux.conf (they come after Roost's block, at the top,
 * so the bar says Ctrl+B whatever the prefix), and its `visual-bell on` and
 * `default-terminal "screen-256color"` there, which undo the block's bells
 * and terminal.
 *
 * Two kinds of finding: `guide` is text that is clearly the guide's snippet
 * (each line as the guide writes it, only spaces may differ), which
 * roost init turns off in place; `unsure` is a line that has the same effect
 * but is not the guide's text (another session name, an `exec tmux` of the
 * user's own), which init leaves alone and reports with its line and the fix.
 * Pure: text in, findings out; lines are counted from 0.
 */
import type { Block } from './markers.js';

export interface GuideSpan {
  /** First and last line of the snippet, the guide's comments above it included. */
  first: number;
  last: number;
  /** Its first line of code (after the guide's comments), for pointing at it. */
  at: number;
  /** What it is, for messages: "the guide's auto-attach". */
  what: string;
  /** What it does to Roost's block while it is on (for roost doctor). */
  problem: string;
}

export interface Unsure {
  line: number;
  /** The line as it is in the file, trimmed. */
  text: string;
  /** What it does to Roost's block, and what to do about it. */
  problem: string;
  fix: string;
}

export interface Findings {
  guide: GuideSpan[];
  unsure: Unsure[];
}

/** A file's lines, each with its "\n" (the last one may have none). */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Spaces (and a CR) do not matter when comparing with the guide; nothing else is forgiven. */
const norm = (line: string) => line.replace(/\s+/g, ' ').trim();

/** A line a shell or tmux ignores: blank or a comment. */
const isComment = (line: string) => /^\s*(#|$)/.test(line);

// ---- ~/.bashrc, ~/.zshrc ----------------------------------------------------

/** The comments the guide puts above its auto-attach, taken with it when directly above. */
const SHELL_COMMENTS = [
  '# Auto-attach to persistent tmux session in cockpit terminals.',
  '# XDG_SESSION_TYPE=web is set by cockpit, not SSH or a physical console.',
  "# new-session -A creates 'main' or attaches if it already exists.",
].map(norm);
const NOT_IN_TMUX = '[ -z "$TMUX" ]';
const WEB = '[ "$XDG_SESSION_TYPE" = "web" ]';
/** The guide: "Using SSH instead of Cockpit? Replace the condition with [ -n "$SSH_TTY" ]". */
const SSH = '[ -n "$SSH_TTY" ]';
const ATTACH = 'exec tmux new-session -A -s main';

/** The guide's conditions, as the guide writes them: Cockpit, or (its SSH variant) SSH logins. */
const CONDITIONS: Record<string, 'web' | 'ssh'> = {
  [`${NOT_IN_TMUX} && ${WEB}`]: 'web',
  [`${NOT_IN_TMUX} && ${SSH}`]: 'ssh',
};

/** The guide's auto-attach starting at line i (three lines, or the same on one line): its last line and its condition. */
function shellSnippetAt(lines: string[], i: number): { last: number; who: 'web' | 'ssh' } | null {
  const one = /^if (.+); then exec tmux new-session -A -s main; fi$/.exec(norm(lines[i]!));
  if (one && CONDITIONS[one[1]!]) return { last: i, who: CONDITIONS[one[1]!]! };
  const head = /^if (.+); then$/.exec(norm(lines[i]!));
  if (!head || !CONDITIONS[head[1]!] || i + 2 >= lines.length) return null;
  if (norm(lines[i + 1]!) !== ATTACH || norm(lines[i + 2]!) !== 'fi') return null;
  return { last: i + 2, who: CONDITIONS[head[1]!]! };
}

/** An `exec tmux` that runs when the shell starts: the shell is replaced by tmux, so nothing after it runs. */
const EXEC_TMUX = /(^\s*|[;&|({]\s*|\bthen\s+|\bdo\s+)exec\s+(\S*\/)?tmux\b/;

/**
 * The guide's auto-attach blocks that would run before Roost's block (lines
 * before `before`, the line Roost's block starts at, or the file's end), and
 * other `exec tmux` lines there that keep Roost's block from running.
 * `ssh`: Roost's block attaches SSH logins too, so it also replaces the
 * guide's SSH variant.
 */
export function findShellClashes(text: string, before: number, ssh: boolean): Findings {
  const lines = splitLines(text);
  const out: Findings = { guide: [], unsure: [] };
  for (let i = 0; i < Math.min(before, lines.length); i++) {
    const line = lines[i]!;
    if (isComment(line)) continue;
    const s = shellSnippetAt(lines, i);
    if (s && s.last < before && (s.who === 'web' || ssh)) {
      let first = i;
      while (first > 0 && SHELL_COMMENTS.includes(norm(lines[first - 1]!))) first--;
      out.guide.push({ first, last: s.last, at: i, what: "the guide's auto-attach", problem: "the guide's auto-attach (exec tmux) runs before roost's block and keeps it from running: main comes up without roost's layout" });
      i = s.last;
      continue;
    }
    if (s) {
      out.unsure.push({
        line: i,
        text: line.trim(),
        problem: "the guide's auto-attach for SSH logins: roost's block (without --ssh) leaves SSH logins to it, and a main it creates has no roost layout",
        fix: 'roost init --ssh (comments it out: roost\'s block then attaches SSH logins too), or leave it',
      });
      i = s.last;
      continue;
    }
    if (EXEC_TMUX.test(line)) {
      out.unsure.push({
        line: i,
        text: line.trim(),
        problem: "this exec tmux runs before roost's block and keeps it from running",
        fix: 'comment it out or delete it (roost\'s block attaches to "main"), or move it below roost\'s block',
      });
    }
  }
  return out;
}

// ---- ~/.tmux.conf -----------------------------------------------------------

/** The guide's status bar's right side: "Ctrl+B H for help" whatever the prefix is. */
const STATUS_RIGHT = norm('set -g status-right "#[fg=#484f58]Ctrl+B H for help  #[fg=#3fb950]%H:%M #[fg=#484f58]%b %d"');
const POPUP_COMMENT = norm('# Ctrl+B H — quick reference popup (requires tmux 3.2+)');
/** The guide's prefix+H popup: Ctrl+B written in, and `read -n1`, which only bash has. */
const POPUP = [
  'bind H display-popup -E -w 62 -h 26 "cat << \'EOF\'',
  '',
  '  tmux quick reference',
  '',
  '  Ctrl+B C       new window',
  '  Ctrl+B ,       rename window',
  '  Ctrl+B W       list all windows',
  '  Ctrl+B 1-9     switch to window',
  '  Ctrl+B N / P   next / previous window',
  '  Ctrl+B %       split left/right',
  '  Ctrl+B \\"       split top/bottom',
  '  Ctrl+B arrows  move between panes',
  '  Ctrl+B Z       zoom pane (toggle)',
  '  Ctrl+B [       scroll mode (Q to exit)',
  '  Ctrl+B D       detach (session keeps running)',
  '  Ctrl+B H       this help',
  '',
  'EOF',
  'read -n1 -s -r -p \'  press any key to close\'"',
].map(norm);

const STATUS_RIGHT_SET = /^(set|set-option)\s+(-\w*\s+)*status-right\b/;
/** bind-key [-r] [-T prefix] [-N note] H: a binding of prefix+H (not -n or another table: those are other keys). */
const BIND_H = /^(bind|bind-key)\s+(-r\s+|-T\s*prefix\s+|-N\s*("[^"]*"|'[^']*'|\S+)\s+)*H\b/;

/** `set[-option]|setw|set-window-option [flags] OPTION VALUE`: the option and its value, unquoted (null: not such a line). */
function setOption(n: string): { option: string; value: string } | null {
  const m = /^(?:set|set-option|setw|set-window-option)\s+(?:-\w+\s+)*([\w-]+)\s+("[^"]*"|'[^']*'|[^\s#]+)/.exec(n);
  if (!m) return null;
  return { option: m[1]!, value: m[2]!.replace(/^(["'])(.*)\1$/, '$2') };
}

/**
 * Settings of the guide's (and look-alikes) that win over the block's when
 * they come after it. Warned about, never rewritten: unlike the status-right
 * and popup, they say nothing wrong about the keys, and a user may want them.
 * `terminal` is the default-terminal the block sets.
 */
function overriddenSetting(n: string, terminal: string): Pick<Unsure, 'problem' | 'fix'> | null {
  const s = setOption(n);
  if (s?.option === 'visual-bell' && s.value === 'on') {
    return {
      problem: "this visual-bell comes after roost's block and wins: tmux shows a message instead of passing bells on to your terminal or browser (roost's block leaves it off)",
      fix: 'comment it out or delete it (the window still gets its !)',
    };
  }
  if (s?.option === 'default-terminal' && s.value !== terminal) {
    return {
      problem: `this default-terminal comes after roost's block and wins over its ${terminal}: programs in tmux get TERM=${s.value}${/^screen/.test(s.value) && terminal === 'tmux-256color' ? ', without italics and the other things screen lacks' : ''}`,
      fix: `comment it out or delete it, unless you want TERM=${s.value} (roost's block sets ${terminal})`,
    };
  }
  return null;
}

/**
 * The guide's status-right and prefix+H popup after Roost's block (from line
 * `after`, the line after its end marker), where they win over it; and, left
 * by init, other status-right lines naming Ctrl+B, bindings of H, a
 * `visual-bell on`, and a default-terminal other than `terminal` (the one
 * the block sets) there.
 */
export function findTmuxClashes(text: string, after: number, terminal: string): Findings {
  const lines = splitLines(text);
  const out: Findings = { guide: [], unsure: [] };
  for (let i = after; i < lines.length; i++) {
    const line = lines[i]!;
    if (isComment(line)) continue;
    const n = norm(line);
    if (n === STATUS_RIGHT) {
      out.guide.push({ first: i, last: i, at: i, what: "the guide's status-right", problem: "the guide's status-right comes after roost's block and wins: the bar says Ctrl+B H for help whatever your prefix is" });
      continue;
    }
    if (n === POPUP[0] && POPUP.every((p, k) => i + k < lines.length && norm(lines[i + k]!) === p)) {
      const first = i > 0 && norm(lines[i - 1]!) === POPUP_COMMENT ? i - 1 : i;
      out.guide.push({ first, last: i + POPUP.length - 1, at: i, what: "the guide's prefix+H popup", problem: "the guide's prefix+H popup comes after roost's block and replaces its quick reference (Ctrl+B written in whatever your prefix is)" });
      i += POPUP.length - 1;
      continue;
    }
    if (STATUS_RIGHT_SET.test(n) && /Ctrl\+B/i.test(n)) {
      out.unsure.push({ line: i, text: line.trim(), problem: "this status-right comes after roost's block and wins: the bar names Ctrl+B whatever your prefix is", fix: 'comment it out or delete it (roost\'s block sets the status bar)' });
    } else if (BIND_H.test(n)) {
      out.unsure.push({ line: i, text: line.trim(), problem: "this binding of H comes after roost's block and replaces its prefix+H quick reference", fix: 'comment it out or delete it, unless you want your own prefix+H' });
    } else {
      const setting = overriddenSetting(n, terminal);
      if (setting) out.unsure.push({ line: i, text: line.trim(), ...setting });
    }
  }
  return out;
}

/**
 * The line Roost's block starts at and the line after its end. Without a
 * block, where init will put it: start at the file's end (shell files), end
 * at 0 (the top of the tmux config).
 */
export function blockLines(text: string, block: Block | null): { start: number; end: number } {
  if (!block) {
    const n = splitLines(text).length;
    return { start: n, end: 0 };
  }
  return { start: splitLines(text.slice(0, block.start)).length, end: splitLines(text.slice(0, block.end)).length };
}
