/**
 * A saved command as the user typed it, from the argv its process runs with.
 * The kernel changes what a command looks like: a script is run through its
 * shebang, so `claude -c`, with `#!/usr/bin/env node`, runs as `node
 * /usr/local/bin/claude -c` (the shell passes the path it found on PATH, or
 * the path typed, `./train.sh`; the kernel puts the interpreter before it).
 *
 * The rule. Take the program file F and the arguments after it:
 *
 *  1. a script through its interpreter: argv is `INTERP [ARG] SCRIPT ...`
 *     where SCRIPT is a path (absolute, or relative with a "/": `./train.sh`,
 *     read from the directory the command was started in) to an executable
 *     file whose `#!` line gives exactly that prefix (`#!/usr/bin/env node`
 *     → `node`; `#!/bin/sh -e` → `/bin/sh -e`; the interpreter compared by
 *     its basename, as env finds it on PATH): F is SCRIPT;
 *  2. else a program run by an absolute path: F is argv[0];
 *  3. else (a bare name, a relative path): the argv is what was typed.
 *
 * F's basename N replaces everything up to F when N, looked up on the PATH
 * the process started with (its /proc environ), finds F itself (same file,
 * through symlinks). Otherwise a script stays as its path and arguments
 * (`/opt/x/bin/tool --flag`, `./train.sh --epochs 3`: what was typed, and it
 * runs the same when typed again), and a program as it ran (full path).
 *
 * A version manager's shim needs nothing more: pyenv's, rbenv's, asdf's
 * and mise's exec put the selected version's bin folder first on the PATH
 * of the program they run, so pyenv's `python3` (run as
 * `/root/.pyenv/versions/3.11.7/bin/python3`) finds itself by name there and
 * comes back as `python3`; `/root/.pyenv/versions/3.10.13/bin/python3` run
 * by its path does not (by name it is 3.11.7) and keeps its path.
 */
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';

/** Bytes of a script's first line the kernel reads for `#!` (BINPRM_BUF_SIZE on Linux 5.1+). */
const SHEBANG_BYTES = 256;
/** A shebang gives the interpreter and at most one argument; env -S a few more: the script is at most this far in. */
const MAX_SCRIPT_INDEX = 4;

function executableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false; // gone, unreadable or not executable: not a candidate
  }
}

/** The argv a script's `#!` line puts before the script's path; null when it has none. */
export function shebangPrefix(script: string): string[] | null {
  const buf = Buffer.alloc(SHEBANG_BYTES);
  let n: number;
  try {
    const fd = openSync(script, 'r');
    try {
      n = readSync(fd, buf, 0, SHEBANG_BYTES, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return null; // unreadable: nothing known about how it runs
  }
  const text = buf.subarray(0, n).toString('utf8');
  if (!text.startsWith('#!')) return null;
  const line = text.slice(2).split('\n')[0]!.trim();
  const m = /^(\S+)(?:[ \t]+(.*))?$/.exec(line);
  if (!m) return null;
  const [, interp, rest] = m as unknown as [string, string, string | undefined];
  const arg = rest?.trim();
  // The kernel passes the rest of the line as one argument; env finds the program in it (with -S, several words).
  if (basename(interp) === 'env' && arg) return arg.startsWith('-S') ? arg.slice(2).trim().split(/\s+/) : [arg];
  return arg ? [interp, arg] : [interp];
}

/** The first executable `name` on `path` (absolute folders only: a relative one depends on a directory long left). */
function lookup(name: string, path: string): string | null {
  for (const dir of path.split(':')) {
    if (!isAbsolute(dir)) continue;
    const f = join(dir, name);
    if (executableFile(f)) return f;
  }
  return null;
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * The program file of a command and the arguments after it (rules 1 and 2
 * above); null for rule 3. `shown`: the script as the command names it (the
 * path typed); `cwd`: the directory it was started in, for a relative one.
 */
function programFile(argv: readonly string[], cwd: string | undefined): { file: string; shown: string; script: boolean; rest: string[] } | null {
  for (let k = 1; k <= MAX_SCRIPT_INDEX && k < argv.length; k++) {
    const shown = argv[k]!;
    // A relative path without "/" is not how a shell passes a script it found (it passes a path): `python3 train.py` was typed so.
    if (!isAbsolute(shown) && (cwd === undefined || !shown.includes('/'))) continue;
    const script = resolve(cwd ?? '/', shown);
    if (!executableFile(script)) continue;
    const prefix = shebangPrefix(script);
    if (!prefix || prefix.length !== k) continue;
    if (basename(prefix[0]!) !== basename(argv[0]!) || prefix.slice(1).some((w, i) => w !== argv[i + 1])) continue;
    return { file: script, shown, script: true, rest: argv.slice(k + 1) };
  }
  if (argv[0] !== undefined && isAbsolute(argv[0])) return { file: argv[0], shown: argv[0], script: false, rest: argv.slice(1) };
  return null;
}

/**
 * One command as typed (the rule above); `path` is the PATH the process
 * started with, undefined when unknown (then nothing is changed); `cwd` the
 * directory it was started in (its shell's), undefined when unknown (then a
 * relative script path is left as it ran).
 */
export function typedCommand(argv: readonly string[], path: string | undefined, cwd?: string): string[] {
  if (path === undefined) return [...argv];
  const p = programFile(argv, cwd);
  if (!p) return [...argv];
  const name = basename(p.file);
  const asRan = p.script ? [p.shown, ...p.rest] : [...argv];
  if (name === '' || name.startsWith('-') || !isAbsolute(p.shown)) return asRan;
  const hit = lookup(name, path);
  return hit !== null && sameFile(hit, p.file) ? [name, ...p.rest] : asRan;
}
