/**
 * The program a schedule's command runs, as a person names it: what the
 * default guard looks for in the panes a person is at (guards.ts), and what
 * tells a headless Claude run (claude-result.ts). Wrappers are seen through
 * (`env K=V`, `nice`, `nohup`, `timeout 1h`, `exec`), and so is a shell's
 * one-line script (`sh -c 'cd ~/app && claude -p ...'` runs claude: the
 * first command of the last pipeline), since docs/cli.md tells people to
 * write `sh -c '...'` for shell syntax. A shell whose script is not read so
 * simply, or a shell alone, names no program: null, never "sh", which every
 * pane running a script would match.
 */
import { basename } from 'node:path';

const SHELLS = /^(sh|bash|dash|zsh|ksh)$/;
/** Commands that run the rest of their words as the program. */
const WRAPPERS = new Set(['env', 'exec', 'nice', 'nohup', 'command', 'time', 'stdbuf', 'ionice', 'timeout']);

/** Index of the program's word in `words`: past wrappers, their options and values (`-n 10`, `1h`) and K=V assignments. */
function programIndex(words: readonly string[]): number {
  let i = 0;
  for (;;) {
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++;
    if (!WRAPPERS.has(basename(words[i] ?? ''))) return i;
    i++;
    while (i < words.length && (words[i]!.startsWith('-') || /^\d[\w.]*$/.test(words[i]!))) i++;
  }
}

/** The first command of the last pipeline of a one-line script, split into words; quotes stripped. */
function lastCommand(script: string): string[] {
  const lists = script.split(/&&|\|\||;|\n/).map((s) => s.trim()).filter(Boolean);
  const first = (lists.at(-1) ?? '').split('|')[0] ?? '';
  return first.trim().split(/\s+/).filter(Boolean).map((w) => w.replace(/^["']|["']$/g, ''));
}

export function programOf(command: readonly string[]): string | null {
  let words = [...command];
  for (let depth = 0; depth < 3; depth++) {
    const i = programIndex(words);
    const word = words[i];
    if (word === undefined) return null;
    const name = basename(word);
    if (!SHELLS.test(name)) return name;
    // sh -c SCRIPT (also -lc, -ec ...): the script's program; any other use of a shell names none.
    const c = words.findIndex((w, k) => k > i && /^-[a-z]*c[a-z]*$/.test(w));
    if (c < 0 || words[c + 1] === undefined) return null;
    words = lastCommand(words[c + 1]!);
  }
  return null;
}
