/**
 * Creating a session the Roost way, for the CLI and the HTTP API alike:
 * from a template in config.toml when one names the session and no command
 * was given, else plainly. The name is checked here too, whatever the caller
 * did, because tmux would format-expand an unchecked one.
 *
 * Every starting directory (given, or from the template) is checked before
 * anything is created: tmux given one that is missing, or not a directory,
 * starts the window in the home folder instead and says nothing.
 *
 * A window started with a command keeps its pane if the command fails
 * (where tmux can), so a crash at night leaves its last output and exit
 * status to read in the morning instead of a vanished window.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { checkName } from '../shared/names.js';
import { newSession, newWindow, selectWindow, supportsKeepIfFailed, type TmuxClient } from '../tmux/index.js';
import { expandHome, type SessionTemplate } from '../config/config.js';
import { isShellName } from '../process/foreground.js';

export interface CreateRequest {
  name: string;
  cwd?: string | undefined;
  /** argv; one element runs through the shell. */
  command?: readonly string[] | undefined;
  template?: SessionTemplate | undefined;
  home: string;
}

export class InvalidNameError extends Error {
  override name = 'InvalidNameError';
}

/** A starting directory that is not absolute, does not exist, is not a directory, or cannot be entered. */
export class InvalidDirectoryError extends Error {
  override name = 'InvalidDirectoryError';
}

/**
 * The one check of a starting directory, for the CLI and the HTTP API alike:
 * returns `path` when tmux can start a window there, else throws
 * InvalidDirectoryError (one line; `where` says whose directory it was).
 */
export function checkDirectory(path: string, where?: string): string {
  const fail = (what: string) => new InvalidDirectoryError(`${what}: ${path}${where ? ` (${where})` : ''}`);
  if (path.includes('\0')) throw fail('invalid directory');
  if (!isAbsolute(path)) throw fail('not an absolute path');
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' || code === 'ENOTDIR' ? 'no such directory' : `cannot use directory (${code ?? (e as Error).message})`);
  }
  if (!isDir) throw fail('not a directory');
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw fail('no permission to enter directory');
  }
  return path;
}

/**
 * The name for a window that runs `command` and was given none: its program's
 * basename (`python3` for `/usr/bin/python3 -c ...`, for `env A=1 python3` and
 * for the shell line "python3 train.py"). tmux would name it after the
 * process in front at the moment it looks, which for a wrapper script (a
 * pyenv shim, a launcher in sh) is the interpreter, and looks again only
 * after output: a quiet program kept "bash" for good. Given with -n, the name
 * stays (tmux's automatic-rename is off for the window), fitting a window
 * whose program is its whole life. A shell gets no name: tmux names it after
 * what it runs. Null: leave it to tmux.
 */
export function programWindowName(command: readonly string[] | undefined): string | null {
  // One word is a shell line (tmux runs it with sh -c): only a plain "prog args" one names its program.
  if (command?.length === 1 && /[;&|<>()$`\\\n'"]/.test(command[0]!)) return null;
  let words = command?.length === 1 ? command[0]!.trim().split(/\s+/) : [...(command ?? [])];
  // `env -i A=1 prog` only starts prog: skip env, its flags and its assignments (an option's own argument, `-u NAME`, is not known).
  if (words[0] !== undefined && basename(words[0]) === 'env') {
    words = words.slice(1);
    while (words[0] !== undefined && (words[0].startsWith('-') || words[0].includes('='))) words = words.slice(1);
  }
  const name = words[0] === undefined ? '' : basename(words[0]);
  // A shell's window is tmux's to name after whatever it runs, as for a window opened by hand.
  return name === '' || isShellName(name) || name.includes('=') ? null : name;
}

const toArgv = (c: string | string[] | undefined): string[] | undefined => (c === undefined ? undefined : typeof c === 'string' ? [c] : c);

/** Create a detached session; resolves with its id. Rejects with TmuxError (kind 'duplicate') if it exists. */
export async function createSession(tmux: TmuxClient, req: CreateRequest): Promise<string> {
  const c = checkName(req.name, 'session name');
  if (!c.ok) throw new InvalidNameError(c.error);
  const t = req.command?.length ? undefined : req.template;
  const inConfig = (window?: string) => `the cwd of ${window === undefined ? '' : `window "${window}" of `}session "${c.name}" in config.toml`;
  const cwd = req.cwd !== undefined ? checkDirectory(req.cwd) : t?.cwd !== undefined ? checkDirectory(expandHome(t.cwd, req.home), inConfig()) : undefined;
  const windows = (t?.windows ?? []).map((w) => ({ ...w, cwd: w.cwd !== undefined ? checkDirectory(expandHome(w.cwd, req.home), inConfig(w.name)) : cwd }));
  const first = windows[0];
  const keepIfFailed = [req.command, ...windows.map((w) => w.command)].some((c) => c?.length) && await supportsKeepIfFailed(tmux);
  const id = await newSession(tmux, {
    keepIfFailed,
    name: c.name,
    cwd: first ? first.cwd : cwd,
    windowName: first ? first.name : programWindowName(req.command) ?? undefined,
    command: first ? toArgv(first.command) : req.command,
  });
  for (const w of windows.slice(1)) {
    await newWindow(tmux, { session: id, name: w.name, cwd: w.cwd, command: toArgv(w.command), detached: true, keepIfFailed });
  }
  // The first window is current, whichever windows were made current on the way.
  if (windows.length > 1) await selectWindow(tmux, `${id}:^`);
  return id;
}
