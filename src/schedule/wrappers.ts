/**
 * Commands that run the rest of their words as another program (`nice -n 5
 * claude`), and how to step over each one's own words: its options, the
 * options that take a value (`timeout -s KILL 1h claude`: KILL is -s's
 * value, 1h the duration, claude the program), and the words that stand
 * before the program (timeout's duration, taskset's mask, chrt's priority).
 * As GNU coreutils, util-linux and bash document them; these stop at their
 * first non-option word (getopt "+"), so options come first.
 */
import { basename } from 'node:path';

interface Wrapper {
  /** Short options that take a value, attached (`-sKILL`) or as the next word (`-s KILL`). */
  short?: string;
  /** Long options that take a value, as `--name=V` or `--name V`. */
  long?: readonly string[];
  /** Words between the options and the program. */
  positionals?: number;
  /** Short options that mean no program is run (`taskset -p MASK PID` acts on a running process; `command -v` prints). */
  noProgram?: string;
  /** An option whose value is itself the command line (`env -S 'claude -p x'`). */
  split?: { short: string; long: string };
}

const WRAPPERS: Readonly<Record<string, Wrapper>> = {
  env: { short: 'uCS', long: ['unset', 'chdir', 'split-string'], split: { short: 'S', long: 'split-string' } },
  exec: { short: 'a' },
  command: { noProgram: 'vV' },
  nice: { short: 'n', long: ['adjustment'] },
  nohup: {},
  setsid: {},
  time: { short: 'fo', long: ['format', 'output'] },
  timeout: { short: 'sk', long: ['signal', 'kill-after'], positionals: 1 },
  stdbuf: { short: 'ioe', long: ['input', 'output', 'error'] },
  ionice: { short: 'cnpPu', long: ['class', 'classdata', 'pid', 'pgid', 'uid'], noProgram: 'pPu' },
  taskset: { positionals: 1, noProgram: 'p' },
  chrt: { short: 'TPD', long: ['sched-runtime', 'sched-period', 'sched-deadline'], positionals: 1, noProgram: 'p' },
};

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * The words from the program on, past `K=V` assignments and wrappers; [] when none is run (a wrapper
 * alone, `command -v x`). `splitWords` splits an `env -S` string into words.
 */
export function pastWrappers(words: readonly string[], splitWords: (line: string) => string[]): string[] {
  let rest = [...words];
  // Each wrapper stepped over takes a word or more (an env -S string comes back shorter): a bound all the same.
  for (let depth = 0; depth < 32; depth++) {
    let i = 0;
    while (i < rest.length && ASSIGNMENT.test(rest[i]!)) i++;
    const name = basename(rest[i] ?? '');
    if (!Object.hasOwn(WRAPPERS, name)) return rest.slice(i);
    const after = afterOptions(rest, i + 1, WRAPPERS[name]!, splitWords);
    if (after === null) return [];
    rest = after;
  }
  return [];
}

/** The words after wrapper `w`'s options and positionals, from index `i`; null when it runs no program. */
function afterOptions(words: readonly string[], i: number, w: Wrapper, splitWords: (line: string) => string[]): string[] | null {
  const valued = w.short ?? '';
  while (i < words.length) {
    const word = words[i]!;
    if (word === '--') {
      i++;
      break;
    }
    if (word === '-') {
      i++; // env -: the same as -i
      continue;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = word.slice(2, eq < 0 ? undefined : eq);
      const takes = w.long?.includes(name) ?? false;
      const value = !takes ? null : eq >= 0 ? word.slice(eq + 1) : words[i + 1] ?? '';
      if (w.split && name === w.split.long && value !== null) return [...splitWords(value), ...words.slice(i + (eq >= 0 ? 1 : 2))];
      i += takes && eq < 0 ? 2 : 1;
      continue;
    }
    if (!word.startsWith('-')) break;
    // A cluster of short options (-vs KILL, -oL): the first that takes a value takes the rest of the word or the next one.
    let skip = 1;
    for (let k = 1; k < word.length; k++) {
      const c = word[k]!;
      if (w.noProgram?.includes(c)) return null;
      if (!valued.includes(c)) continue;
      const attached = word.slice(k + 1);
      const value = attached !== '' ? attached : words[i + 1] ?? '';
      if (w.split && c === w.split.short) return [...splitWords(value), ...words.slice(i + (attached !== '' ? 1 : 2))];
      if (attached === '') skip = 2;
      break;
    }
    i += skip;
  }
  i += w.positionals ?? 0;
  return words.slice(i);
}
