/**
 * What a job is asked to be, checked in one place for the CLI, the HTTP API
 * and the scheduler: its name (the one name rule, src/shared/names.ts), its
 * directory (absolute, exists, a folder), its command (an argv array, never
 * a shell string, its program found), its extra environment (KEY=VALUE with
 * a proper key). A refusal is a JobInputError with one line for a person;
 * nothing has been started or written when it is thrown.
 */
import { statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { checkName, NAME_MAX } from '../shared/names.js';

export class JobInputError extends Error {
  override name = 'JobInputError';
}

/** Most arguments and bytes per argument a command may have (as the sessions API allows). */
export const MAX_ARGS = 256;
export const MAX_ARG_BYTES = 16_384;
const ENV_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export function checkJobName(value: unknown): string {
  const c = checkName(value, 'job name');
  if (!c.ok) throw new JobInputError(c.error);
  return c.name;
}

/** An absolute path to an existing folder, or a JobInputError that says which. */
export function checkDirectory(dir: unknown, base?: string): string {
  if (typeof dir !== 'string' || dir === '' || dir.includes('\0')) throw new JobInputError('the directory must be a non-empty path');
  if (!isAbsolute(dir) && base === undefined) throw new JobInputError(`the directory must be an absolute path: ${dir}`);
  const abs = base === undefined ? dir : resolve(base, dir);
  let isDir: boolean | null = null;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    // Missing or unreadable: one message below.
  }
  if (isDir === false) throw new JobInputError(`not a directory: ${abs}`);
  if (!isDir) throw new JobInputError(`no such directory: ${abs}`);
  return abs;
}

export function checkCommand(argv: unknown): string[] {
  if (!Array.isArray(argv) || argv.length === 0) throw new JobInputError('missing command: give it after --, e.g. roost run -- python train.py');
  if (argv.length > MAX_ARGS) throw new JobInputError(`a command may have at most ${MAX_ARGS} arguments`);
  for (const a of argv) {
    if (typeof a !== 'string') throw new JobInputError('command arguments must be strings');
    if (a.includes('\0')) throw new JobInputError('command arguments must not contain NUL');
    if (Buffer.byteLength(a) > MAX_ARG_BYTES) throw new JobInputError(`a command argument is longer than ${MAX_ARG_BYTES} bytes`);
  }
  if (argv[0] === '') throw new JobInputError('the program name is empty');
  return argv as string[];
}

/** KEY=VALUE pairs (`--env`) as an object; the first bad one is refused. */
export function parseEnvPairs(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq < 0) throw new JobInputError(`--env needs KEY=VALUE, got ${JSON.stringify(p)}`);
    const key = p.slice(0, eq);
    if (!ENV_KEY_RE.test(key)) throw new JobInputError(`invalid environment variable name ${JSON.stringify(key)}: use letters, digits and "_", not starting with a digit`);
    if (p.includes('\0')) throw new JobInputError('--env values must not contain NUL');
    env[key] = p.slice(eq + 1);
  }
  return env;
}

/** The stem of a job's automatic name (python-1, python-2, ...): the program's base name without its extension, fit for the name rule ("train" for ./train.py). */
export function nameBase(program: string): string {
  let b = basename(program).replace(/\.[A-Za-z0-9]{1,8}$/, '');
  b = b.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-]+/, '').replace(/-+$/, '');
  // Room for "-" and a number within the name rule's limit.
  b = b.slice(0, NAME_MAX - 8);
  return b === '' ? 'job' : b;
}
