/**
 * Whether a program can start: where execvp would find it on a PATH, and
 * why not in the words Roost's commands use (`roost run`, `roost new`, the
 * schedules, the dashboard's New session).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/**
 * Where `program` would be found by execvp with this PATH (relative to
 * `cwd` when it holds a "/"), or null: a job whose program does not exist
 * is refused before anything starts.
 */
export function findProgram(program: string, path: string | undefined, cwd: string): string | null {
  const runnable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (program.includes('/')) {
    const p = resolve(cwd, program);
    return runnable(p) ? p : null;
  }
  for (const dir of (path ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    const p = join(dir === '' ? cwd : resolve(cwd, dir), program);
    if (runnable(p)) return p;
  }
  return null;
}

/** Why `program` cannot start (findProgram), in the words `roost run` and `roost new` use; null when it can. */
export function missingProgram(program: string, path: string | undefined, cwd: string): string | null {
  if (findProgram(program, path, cwd)) return null;
  return `no program ${JSON.stringify(program)} ${program.includes('/') ? 'there (or it is not executable)' : 'on PATH'}`;
}

/** Anything a shell reads as more than a program's name: blanks, quotes, expansions, operators, globs, `~`, an assignment. */
const SHELL_SYNTAX = /[\s'"`$;&|<>(){}[\]*?~#!\\=]/;

/**
 * Why a session's command (`roost new|attach NAME -- CMD ARGS...`) cannot
 * start, or null. Several words run as given (no shell): their first is the
 * program. A single word is run by the user's shell, as tmux does: it is
 * checked only when it is a plain program name or path (`htop`,
 * `./train.sh`); a shell line (`'cd src && make'`) is left to the shell, since
 * its first word may be a builtin or a function this cannot see, and a typo
 * there still shows, in the kept dead pane.
 */
export function missingSessionProgram(command: readonly string[], path: string | undefined, cwd: string): string | null {
  const program = command[0];
  if (program === undefined) return null;
  if (command.length === 1 && SHELL_SYNTAX.test(program)) return null;
  return missingProgram(program, path, cwd);
}
