/**
 * One typed function per tmux command Roost uses. Targets are tmux ids
 * ($S, @W, %P) or exact names (`=name`), never bare names: tmux would
 * otherwise fall back to prefix and pattern matches. Names reaching here
 * have passed src/shared/names.ts, so they cannot carry `#` formats.
 */
import type { TmuxClient } from './client.js';
import { TmuxError } from './errors.js';
import type { SessionKind } from '../shared/api.js';
import { KIND_OPTION, VIEW_OPTION } from './options.js';
import { THEN, type TmuxArg } from './literal.js';
import { processRuns } from '../process/exists.js';

/** Exact-match target for a session name. */
export const exact = (name: string): string => `=${name}`;
/** Target for a window of a session given by name or id. */
export const windowOf = (session: string, window: string | number): string =>
  `${session.startsWith('$') ? session : exact(session)}:${window}`;

export async function hasSession(tmux: TmuxClient, name: string): Promise<boolean> {
  try {
    await tmux.run(['has-session', '-t', exact(name)]);
    return true;
  } catch (e) {
    if (e instanceof TmuxError && (e.kind === 'no-session' || e.kind === 'no-server')) return false;
    throw e;
  }
}

export interface NewSessionOptions {
  name: string;
  cwd?: string | undefined;
  windowName?: string | undefined;
  /** argv to run in the first window; one element runs through the shell (tmux's rule). */
  command?: readonly string[] | undefined;
  /** Extra environment for the session (tmux -e). */
  env?: Readonly<Record<string, string>> | undefined;
  width?: number | undefined;
  height?: number | undefined;
  /** Keep the pane if `command` fails (tmux ≥ 3.3: remain-on-exit failed); see supportsKeepIfFailed. */
  keepIfFailed?: boolean | undefined;
  /** Mark the session as made by a feature (job, node); plain when absent. */
  kind?: SessionKind | undefined;
  /** More tmux commands (argv each) for the same command list, run before anyone can see the session (src/tmux/pipe.ts). */
  then?: readonly (readonly TmuxArg[])[] | undefined;
}

/**
 * A pane whose program failed stays, dead, with its last output and exit
 * status (shown as `exited`); one that succeeded closes as usual. Set in
 * the same command list that starts the program, so even an instant failure
 * is kept: tmux handles the exit only after the list has run.
 */
const keepIfFailedArgs = (paneTarget: string): TmuxArg[] => [THEN, 'set-option', '-p', '-t', paneTarget, 'remain-on-exit', 'failed'];

const keepSupport = new WeakMap<TmuxClient, Promise<boolean>>();

/**
 * Whether this tmux has remain-on-exit "failed" (3.3 and later; "next-…" and
 * "master" builds too). Asked once per client: a long-running daemon creates
 * many sessions, and `tmux -V` is a process each time.
 */
export function supportsKeepIfFailed(tmux: TmuxClient): Promise<boolean> {
  let known = keepSupport.get(tmux);
  if (!known) {
    known = version(tmux).then((out) => {
      const v = /(\d+)\.(\d+)/.exec(out);
      return !v || Number(v[1]) > 3 || (Number(v[1]) === 3 && Number(v[2]) >= 3);
    }, () => false);
    keepSupport.set(tmux, known);
  }
  return known;
}


function sessionArgs(o: NewSessionOptions): string[] {
  const a = ['-s', o.name];
  if (o.cwd) a.push('-c', o.cwd);
  if (o.windowName) a.push('-n', o.windowName);
  if (o.width) a.push('-x', String(o.width));
  if (o.height) a.push('-y', String(o.height));
  for (const [k, v] of Object.entries(o.env ?? {})) a.push('-e', `${k}=${v}`);
  return a;
}

/** Create a detached session; resolves with its id ($N). */
export async function newSession(tmux: TmuxClient, o: NewSessionOptions): Promise<string> {
  const args: TmuxArg[] = ['new-session', '-d', '-P', '-F', '#{session_id}', ...sessionArgs(o)];
  if (o.command?.length) args.push('--', ...o.command);
  // set-option takes a pane target: "=name:" is the new session's only pane.
  if (o.command?.length && o.keepIfFailed) args.push(...keepIfFailedArgs(`${exact(o.name)}:`));
  // In the same command list: nobody can list the session before it carries its kind.
  if (o.kind && o.kind !== 'plain') args.push(THEN, ...kindArgs(`${exact(o.name)}:`, o.kind));
  for (const c of o.then ?? []) args.push(THEN, ...c);
  return (await tmux.run(args)).trim();
}

const kindArgs = (sessionTarget: string, kind: SessionKind) => ['set-option', '-t', sessionTarget, KIND_OPTION, kind];

/** Mark an existing session (id or exact name) as being of `kind`. */
export async function setSessionKind(tmux: TmuxClient, target: string, kind: SessionKind): Promise<void> {
  // set-option takes a pane target: tmux 3.3a reads "=name" there as no session, "=name:" as its current window's.
  const t = target.startsWith('$') ? target : `${exact(target)}:`;
  await tmux.run(kind === 'plain' ? ['set-option', '-u', '-t', t, KIND_OPTION] : kindArgs(t, kind));
}

/** argv (for TmuxClient.runOnTerminal) that attaches to `name`, creating it first if needed. */
export function attachOrCreateArgs(o: NewSessionOptions): TmuxArg[] {
  const args: TmuxArg[] = ['new-session', '-A', ...sessionArgs(o)];
  if (o.command?.length) args.push('--', ...o.command);
  return args;
}

/** argv that attaches a client to an existing session (by id or exact name). */
export function attachArgs(target: string, opts: { readOnly?: boolean } = {}): string[] {
  const args = ['attach-session', '-t', target.startsWith('$') ? target : exact(target)];
  if (opts.readOnly) args.push('-r');
  return args;
}

/**
 * Show session `name` on tmux client `client` (a client_name, its tty).
 * Always named: without -c, tmux picks "the current client", which for a
 * command run from a pane no terminal shows is any client, the daemon's
 * control-mode one included, or none at all ("no current client").
 */
export async function switchClient(tmux: TmuxClient, name: string, client: string): Promise<void> {
  await tmux.run(['switch-client', '-c', client, '-t', exact(name)]);
}

/** The session (id and name) of a pane (`%7`) or session id (`$3`); null when there is no such pane or session. */
export async function sessionOf(tmux: TmuxClient, target: string): Promise<{ id: string; name: string } | null> {
  let out: string;
  try {
    out = await tmux.run(['display-message', '-p', '-t', target, '#{session_id}\x1f#{session_name}']);
  } catch (e) {
    if (e instanceof TmuxError && ['no-pane', 'no-window', 'no-session', 'no-server'].includes(e.kind)) return null;
    throw e;
  }
  const [id, name] = out.replace(/\n$/, '').split('\x1f');
  return id && name !== undefined ? { id, name } : null;
}

export async function killSession(tmux: TmuxClient, target: string): Promise<void> {
  await tmux.run(['kill-session', '-t', target.startsWith('$') ? target : exact(target)]);
}

export async function renameSession(tmux: TmuxClient, target: string, newName: string): Promise<void> {
  await tmux.run(['rename-session', '-t', target.startsWith('$') ? target : exact(target), newName]);
}

export interface NewWindowOptions {
  /** Session id or name. */
  session: string;
  name?: string | undefined;
  cwd?: string | undefined;
  command?: readonly string[] | undefined;
  /** Do not make the new window current. */
  detached?: boolean;
  /** As NewSessionOptions.keepIfFailed; the window is then made current (its pane is named that way), whatever `detached` says. */
  keepIfFailed?: boolean | undefined;
}

/** Create a window at the end of a session; resolves with its id (@N). */
export async function newWindow(tmux: TmuxClient, o: NewWindowOptions): Promise<string> {
  const target = `${o.session.startsWith('$') ? o.session : exact(o.session)}:`;
  const args: TmuxArg[] = ['new-window', '-P', '-F', '#{window_id}', '-t', target];
  const keep = Boolean(o.keepIfFailed && o.command?.length);
  if (o.detached && !keep) args.push('-d');
  if (o.name) args.push('-n', o.name);
  if (o.cwd) args.push('-c', o.cwd);
  if (o.command?.length) args.push('--', ...o.command);
  // The new window is current: `SESSION:` names its pane.
  if (keep) args.push(...keepIfFailedArgs(target));
  return (await tmux.run(args)).trim();
}

/** The index of window `windowId` (@N), as the status line and C-b N show it. */
export async function windowIndex(tmux: TmuxClient, windowId: string): Promise<number> {
  return Number((await tmux.run(['display-message', '-p', '-t', windowId, '#{window_index}'])).trim());
}

export async function selectWindow(tmux: TmuxClient, target: string): Promise<void> {
  await tmux.run(['select-window', '-t', target]);
}

type OptionScope = 'server' | 'global' | 'session' | 'window' | 'pane';
const SCOPE_FLAG: Record<OptionScope, string[]> = { server: ['-s'], global: ['-g'], session: [], window: ['-w'], pane: ['-p'] };

/** Set an option; scope 'session' needs a session target, 'window' a window target, 'pane' a pane target. */
export async function setOption(tmux: TmuxClient, scope: OptionScope, target: string | null, name: string, value: string): Promise<void> {
  await tmux.run(['set-option', ...SCOPE_FLAG[scope], ...(target ? ['-t', target] : []), name, value]);
}

/** Unset an option (set-option -u): a user option is gone, a built-in one inherits again. */
export async function unsetOption(tmux: TmuxClient, scope: OptionScope, target: string | null, name: string): Promise<void> {
  await tmux.run(['set-option', '-u', ...SCOPE_FLAG[scope], ...(target ? ['-t', target] : []), name]);
}

export interface CaptureOptions {
  /** First line: negative numbers reach into history; '-' is the start of history. */
  start?: number | '-';
  end?: number | '-';
  /** Keep colour escapes (-e). */
  escapes?: boolean;
  /** Join wrapped lines (-J). */
  join?: boolean;
}

export async function capturePane(tmux: TmuxClient, target: string, o: CaptureOptions = {}): Promise<string> {
  const args = ['capture-pane', '-p', '-t', target];
  if (o.escapes) args.push('-e');
  if (o.join) args.push('-J');
  if (o.start !== undefined) args.push('-S', String(o.start));
  if (o.end !== undefined) args.push('-E', String(o.end));
  return tmux.run(args);
}

/** Where a pane's cursor is, and its row as drawn (with colours): to write a line above it and draw the row again. */
export interface CursorRow {
  /** Column and row (0-based) of the cursor on the visible screen. */
  x: number;
  y: number;
  /** A full-screen program holds the alternate screen (its drawing is not the shell's). */
  alternate: boolean;
  /** The cursor's row, with its escapes (capture-pane -e), trailing blanks trimmed. */
  row: string;
}

export async function cursorRow(tmux: TmuxClient, pane: string): Promise<CursorRow> {
  const [x, y, alt] = (await tmux.run(['display-message', '-p', '-t', pane, '#{cursor_x} #{cursor_y} #{alternate_on}'])).trim().split(' ').map(Number) as [number, number, number];
  const row = (await tmux.run(['capture-pane', '-p', '-e', '-t', pane, '-S', String(y), '-E', String(y)])).replace(/\n$/, '');
  return { x, y, alternate: alt === 1, row };
}

/** Type literal text into a pane (no key-name lookup, no flag parsing). */
export async function sendText(tmux: TmuxClient, target: string, text: string): Promise<void> {
  await tmux.run(['send-keys', '-t', target, '-l', '--', text]);
}

/** Press named keys (Enter, C-c, Escape...). */
export async function sendKeys(tmux: TmuxClient, target: string, ...keys: string[]): Promise<void> {
  await tmux.run(['send-keys', '-t', target, ...keys]);
}

export async function version(tmux: TmuxClient): Promise<string> {
  return (await tmux.run(['-V'])).trim();
}

/** End the tmux server, and resolve once it has exited (a server already gone is fine). */
export async function killServer(tmux: TmuxClient): Promise<void> {
  let pid = 0;
  try {
    pid = Number.parseInt((await tmux.run(['display-message', '-p', '#{pid}'])).trim(), 10);
  } catch (e) {
    // No server; or one with no session left, which has no target to ask (and still needs killing).
    if (!(e instanceof TmuxError && e.kind === 'no-server')) throw e;
  }
  try {
    await tmux.run(['kill-server']);
  } catch (e) {
    // Already gone is the outcome we wanted.
    if (!(e instanceof TmuxError && e.kind === 'no-server')) throw e;
  }
  // tmux answers kill-server before its server has exited; a client started meanwhile meets the dying
  // server ("server exited unexpectedly") instead of starting a new one. Wait for it (a few ms).
  for (let i = 0; i < SERVER_EXIT_CHECKS && pid > 0 && processRuns(pid); i++) await new Promise((r) => setTimeout(r, 25));
}

/** How many times (25 ms apart) killServer looks for its server to have exited: 5 s. */
const SERVER_EXIT_CHECKS = 200;

/**
 * Set a hook. `name` may carry an array index ('alert-bell[9137]') so a
 * user's own hook for the same event, at another index, is kept. `command`
 * is a tmux command string: tmux parses it when the hook fires.
 */
export async function setHook(tmux: TmuxClient, name: string, command: string, opts: { global?: boolean } = {}): Promise<void> {
  await tmux.run(['set-hook', ...(opts.global ? ['-g'] : []), name, command]);
}

/** Remove a hook (one array index when `name` carries one). */
export async function unsetHook(tmux: TmuxClient, name: string, opts: { global?: boolean } = {}): Promise<void> {
  await tmux.run(['set-hook', '-u', ...(opts.global ? ['-g'] : []), name]);
}

/** A hook's command, or null when it is not set (`name` may carry an array index). */
export async function showHook(tmux: TmuxClient, name: string, opts: { global?: boolean } = {}): Promise<string | null> {
  const out = (await tmux.run(['show-hooks', ...(opts.global ? ['-g'] : []), name])).trim();
  // tmux prints "NAME COMMAND", or just "NAME" for an unset array index.
  const cmd = out.startsWith(name) ? out.slice(name.length).trim() : '';
  return cmd === '' ? null : cmd;
}

/** list-sessions format read by sessionIdIn. */
export const SESSION_ID_FORMAT = `#{session_id}\x1f#{session_name}\x1f#{${VIEW_OPTION}}`;

/** In list-sessions output (SESSION_ID_FORMAT lines; other lines are skipped), the id of the session named exactly `name`. */
export function sessionIdIn(out: string, name: string): string | null {
  for (const line of out.split('\n')) {
    const [id, n, view] = line.split('\x1f');
    if (n === name && !view && id) return id;
  }
  return null;
}

/** The id of the session named exactly `name`, or null. Roost's per-device view sessions do not count. */
export async function findSession(tmux: TmuxClient, name: string): Promise<string | null> {
  try {
    return sessionIdIn(await tmux.run(['list-sessions', '-F', SESSION_ID_FORMAT]), name);
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return null;
    throw e;
  }
}

/** Names set in the server's global environment (show-environment -g); none when no server runs. */
export async function globalEnvironmentNames(tmux: TmuxClient): Promise<string[]> {
  let out: string;
  try {
    out = await tmux.run(['show-environment', '-g']);
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return [];
    throw e;
  }
  // "NAME=value" is set; "-NAME" marks one removed from the global environment.
  return out.split('\n').filter((l) => l && !l.startsWith('-')).map((l) => l.split('=')[0]!);
}

/** Remove variables from the server's global environment (one command list), so later panes do not get them. */
export async function unsetGlobalEnvironment(tmux: TmuxClient, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await tmux.run(names.flatMap((n, i) => [...(i ? [THEN] : []), 'set-environment', '-g', '-u', n]));
}

/** An option's value ('' when unset); scope 'global' reads the global value, 'session' the session's own. */
export async function showOption(tmux: TmuxClient, scope: 'global' | 'session', target: string | null, name: string): Promise<string> {
  const args = ['show-options', '-q', '-v', ...(scope === 'global' ? ['-g'] : []), ...(target ? ['-t', target] : []), name];
  return (await tmux.run(args)).replace(/\n$/, '');
}

/**
 * Have tmux name a window after its program again, now. tmux looks at a window's automatic name only when
 * its pane prints, so a program that renames itself (its process title) while quiet keeps the old name until
 * then. Setting the window's automatic-rename makes tmux look at once; the window's own value is put back as
 * it was. A window named by hand (automatic-rename off) is left alone.
 */
export async function renameAfterProgram(tmux: TmuxClient, pane: string): Promise<void> {
  const [effective, own] = await Promise.all([
    tmux.run(['display-message', '-p', '-t', pane, '#{automatic-rename}']),
    tmux.run(['show-options', '-q', '-w', '-v', '-t', pane, 'automatic-rename']),
  ]);
  if (effective.trim() !== '1') return;
  const set = ['set-option', '-w', '-t', pane, 'automatic-rename', 'on'];
  await tmux.run(own.trim() === '' ? [...set, THEN, 'set-option', '-w', '-u', '-t', pane, 'automatic-rename'] : set);
}
