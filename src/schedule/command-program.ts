/**
 * The program a schedule's command runs, as a person names it: what the
 * default guard looks for in the panes a person is at (guards.ts), and what
 * tells a headless Claude run (claude-result.ts). Seen through:
 *  - wrappers (`env -u HOME`, `nice -n 5`, `timeout -s KILL 1h`, `nohup`,
 *    `exec`, ...: wrappers.ts, with the options of each that take a value);
 *  - an interpreter's script (`node /usr/bin/claude` is claude, as
 *    runsProgram names what runs in a pane: the same rule both ways);
 *  - a shell's script (`sh -c 'cd ~/app && claude -p ...'` runs claude: the
 *    first command of the last pipeline, shell-script.ts), since docs/cli.md
 *    tells people to write `sh -c '...'` for shell syntax. Pipelines whose
 *    command is a shell builtin or keyword (`|| echo failed`, `; exit 0`)
 *    are passed over: a builtin runs inside the shell, never as a pane's
 *    program, so the pipeline before it names the program.
 * A shell running a script file, or a shell alone, names no program: null,
 * never "sh", which every pane running a script would match.
 */
import { basename } from 'node:path';
import { parse } from 'shell-quote';
import { pastWrappers } from './wrappers.js';
import { pipelines } from './shell-script.js';

const SHELLS = /^(sh|bash|dash|zsh|ksh)$/;
/** Programs that run a script named in their arguments: the script is the program a person names. */
const INTERPRETERS = /^(node|nodejs|bun|deno|python[0-9.]*|perl|ruby)$/;

/** Options of an interpreter that run code given inline or a module: no script file is the program. */
const INLINE_CODE = new Set(['-c', '-e', '-E', '-p', '-m', '--eval', '--print']);
/** Options of an interpreter that take the next word as their value (python -W, -X; node -r, --import ...; a shell's -o). */
const VALUED = new Set(['-W', '-X', '-o', '-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--input-type']);

/**
 * Builtins and keywords of sh and bash that name no program of their own (`exec`, `command` and `time`
 * are wrappers instead). `kill`, `test` and `printf` exist as files too, but in a script the shell runs them.
 */
const BUILTINS = new Set([
  ':', '.', 'source', 'alias', 'bg', 'break', 'builtin', 'cd', 'continue', 'declare', 'echo', 'eval', 'exit', 'export',
  'false', 'fg', 'getopts', 'hash', 'jobs', 'kill', 'let', 'local', 'printf', 'pwd', 'read', 'readonly', 'return', 'set',
  'shift', 'shopt', 'test', '[', '[[', 'times', 'trap', 'true', 'type', 'typeset', 'ulimit', 'umask', 'unalias', 'unset', 'wait',
  'fi', 'done', 'esac', '}', 'for', 'case', 'select', 'function',
]);
/** Keywords a command may start with, the command proper following (`then claude -p x`, `if ! claude`). */
const LEADING_KEYWORDS = new Set(['if', 'then', 'elif', 'else', 'do', 'while', 'until', '!', '{']);

/** How deep shells within shells are read (`sh -c "bash -c '...'"`). */
const MAX_DEPTH = 3;

const splitWords = (line: string): string[] => parse(line, (key) => `$${key}`).filter((t): t is string => typeof t === 'string');

export function programOf(command: readonly string[]): string | null {
  return programCommand(command)?.name ?? null;
}

/** The program (as programOf names it) with the words of the command that runs it (past wrappers, inside `sh -c`). */
export function programCommand(command: readonly string[]): { name: string; words: readonly string[] } | null {
  return programIn(command, 0);
}

function programIn(command: readonly string[], depth: number): { name: string; words: readonly string[] } | null {
  const words = pastWrappers(command, splitWords);
  const word = words[0];
  if (word === undefined) return null;
  const name = basename(word);
  if (INTERPRETERS.test(name)) return { name: scriptOf(words) ?? name, words };
  if (!SHELLS.test(name)) return { name, words };
  // sh -c SCRIPT (also -lc, -ec ...): the script's program; any other use of a shell names none.
  const c = words.findIndex((w, k) => k > 0 && /^-[a-z]*c[a-z]*$/.test(w));
  const script = c < 0 ? undefined : words[c + 1];
  if (script === undefined || depth >= MAX_DEPTH) return null;
  for (const cmd of pipelines(script).reverse()) {
    let k = 0;
    while (k < cmd.length && LEADING_KEYWORDS.has(cmd[k]!)) k++;
    const rest = cmd.slice(k);
    const first = pastWrappers(rest, splitWords)[0];
    if (first === undefined || BUILTINS.has(first)) continue;
    return programIn(rest, depth + 1);
  }
  return null;
}

/**
 * The script an interpreter runs, by its file name (`node /usr/bin/claude --resume x` → claude), or null
 * when `argv` is no interpreter's or runs no script file (a REPL, `python -c CODE`, `python -m MODULE`).
 * Shells and `env` count here too, for what runs in a pane: a script's `#!/usr/bin/env node` line makes
 * its argv `node /path/script`, and a shell script's `bash ./claude`.
 */
export function scriptOf(argv: readonly string[]): string | null {
  const name = basename((argv[0] ?? '').replace(/^-/, ''));
  if (!INTERPRETERS.test(name) && !SHELLS.test(name) && name !== 'env') return null;
  let subcommand = name === 'deno' || name === 'bun';
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return argv[i + 1] === undefined ? null : basename(argv[i + 1]!);
    if (INLINE_CODE.has(a)) return null;
    if (VALUED.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) continue;
    // `deno run x.ts`, `bun run x.ts`: the subcommand is not the script.
    if (subcommand && a === 'run') {
      subcommand = false;
      continue;
    }
    return basename(a);
  }
  return null;
}
