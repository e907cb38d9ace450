/**
 * Creating a session the Roost way, for the CLI and the HTTP API alike:
 * from a template in config.toml when one names the session and no command
 * was given, else plainly. The name is checked here too, whatever the caller
 * did, because tmux would format-expand an unchecked one.
 *
 * A window started with a command keeps its pane if the command fails
 * (where tmux can), so a crash at night leaves its last output and exit
 * status to read in the morning instead of a vanished window.
 */
import { checkName } from '../shared/names.js';
import { newSession, newWindow, selectWindow, supportsKeepIfFailed, type TmuxClient } from '../tmux/index.js';
import { expandHome, type SessionTemplate } from '../config/config.js';

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

const toArgv = (c: string | string[] | undefined): string[] | undefined => (c === undefined ? undefined : typeof c === 'string' ? [c] : c);

/** Create a detached session; resolves with its id. Rejects with TmuxError (kind 'duplicate') if it exists. */
export async function createSession(tmux: TmuxClient, req: CreateRequest): Promise<string> {
  const c = checkName(req.name, 'session name');
  if (!c.ok) throw new InvalidNameError(c.error);
  const t = req.command?.length ? undefined : req.template;
  const cwd = req.cwd ?? (t?.cwd !== undefined ? expandHome(t.cwd, req.home) : undefined);
  const windows = t?.windows ?? [];
  const first = windows[0];
  const keepIfFailed = [req.command, ...windows.map((w) => w.command)].some((c) => c?.length) && await supportsKeepIfFailed(tmux);
  const id = await newSession(tmux, {
    keepIfFailed,
    name: c.name,
    cwd: first?.cwd !== undefined ? expandHome(first.cwd, req.home) : cwd,
    windowName: first?.name,
    command: first ? toArgv(first.command) : req.command,
  });
  for (const w of windows.slice(1)) {
    await newWindow(tmux, { session: id, name: w.name, cwd: w.cwd !== undefined ? expandHome(w.cwd, req.home) : cwd, command: toArgv(w.command), detached: true, keepIfFailed });
  }
  // The first window is current, whichever windows were made current on the way.
  if (windows.length > 1) await selectWindow(tmux, `${id}:^`);
  return id;
}
