/**
 * Session names given to attach, kill and rename, for sessions that exist
 * already. The rule itself is src/shared/names.ts; this adds what only a
 * look at the tmux server can tell: that a refused name is the exact name of
 * a session made with tmux itself (`tmux new -s "my work"`), which `roost ls`
 * lists. Such a session is reached by its id ($3), never by its name, which
 * tmux would read as a target (`a:b` is window b of session a).
 */
import { commandLine } from '../shared/jobs.js';
import { checkName, NAME_MAX, suggestName } from '../shared/names.js';
import { findSession, listSessions, TmuxError } from '../tmux/index.js';
import { roostCmd, UsageError, UserError, type Context } from './command.js';

/**
 * `value` as a session name, or a user error; when a session has exactly
 * that refused name, the error says so and gives the `roost rename` that
 * makes it usable.
 */
export async function requireSessionName(ctx: Context, value: string | undefined, what = 'session name'): Promise<string> {
  const found = await existingSession(ctx, value, what);
  if (found.valid) return found.name;
  throw new UserError(`${found.error}; a session has this name (made outside Roost): rename it first: ${await renameHint(ctx, found.name)}`);
}

/** The session to rename: a valid name (a target tmux matches exactly), or the id of the session a refused name belongs to. */
export async function sessionToRename(ctx: Context, value: string | undefined): Promise<{ name: string; target: string }> {
  const found = await existingSession(ctx, value, 'session name');
  return found.valid ? { name: found.name, target: found.name } : { name: found.name, target: found.id };
}

type Found = { valid: true; name: string } | { valid: false; name: string; id: string; error: string };

/** A valid name; or a refused one that is an existing session's exact name; else the rule's error. */
async function existingSession(ctx: Context, value: string | undefined, what: string): Promise<Found> {
  if (value === undefined) throw new UsageError(`missing ${what}`);
  const c = checkName(value, what);
  if (c.ok) return { valid: true, name: c.name };
  const id = await sessionIdOf(ctx, value);
  if (id === null) throw new UserError(c.error);
  return { valid: false, name: value, id, error: c.error };
}

async function sessionIdOf(ctx: Context, name: string): Promise<string | null> {
  // A name with a newline cannot be told apart in list-sessions' lines; such a name is refused as it is.
  if (name.includes('\n')) return null;
  try {
    return await findSession(ctx.tmux, name);
  } catch (e) {
    // tmux cannot be asked (not installed, a stuck server): the name is refused by the rule alone, as before this look.
    if (e instanceof TmuxError) return null;
    throw e;
  }
}

/** `roost rename 'my work' my-work`, with a new name no session has yet (my-work-2, ...). */
async function renameHint(ctx: Context, name: string): Promise<string> {
  const base = suggestName(name);
  // One listing for every candidate name: a tmux call each would be up to a hundred.
  const taken = new Set((await listSessions(ctx.tmux).catch(() => [])).map((s) => s.name));
  let to = base;
  for (let n = 2; n < 100 && taken.has(to); n++) {
    const tail = `-${n}`;
    to = base.slice(0, NAME_MAX - tail.length) + tail;
  }
  // A name that starts with '-' would read as an option: after `--` it is an argument.
  return `${roostCmd(ctx)} ${commandLine(['rename', ...(name.startsWith('-') ? ['--'] : []), name, to])}`;
}
