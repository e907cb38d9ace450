/**
 * One typed function per tmux command Roost uses. Targets are tmux ids
 * ($S, @W, %P) or exact names (`=name`), never bare names: tmux would
 * otherwise fall back to prefix and pattern matches. Names reaching here
 * have passed src/shared/names.ts, so they cannot carry `#` formats.
 */
import type { TmuxClient } from './client.js';
import { TmuxError } from './errors.js';
import { VIEW_OPTION } from './list.js';

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
  const args = ['new-session', '-d', '-P', '-F', '#{session_id}', ...sessionArgs(o)];
  if (o.command?.length) args.push('--', ...o.command);
  return (await tmux.run(args)).trim();
}

/** argv (for TmuxClient.spawn) that attaches to `name`, creating it first if needed. */
export function attachOrCreateArgs(o: NewSessionOptions): string[] {
  const args = ['new-session', '-A', ...sessionArgs(o)];
  if (o.command?.length) args.push('--', ...o.command);
  return args;
}

/** argv that attaches a client to an existing session (by id or exact name). */
export function attachArgs(target: string, opts: { readOnly?: boolean } = {}): string[] {
  const args = ['attach-session', '-t', target.startsWith('$') ? target : exact(target)];
  if (opts.readOnly) args.push('-r');
  return args;
}

export async function switchClient(tmux: TmuxClient, name: string): Promise<void> {
  await tmux.run(['switch-client', '-t', exact(name)]);
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
}

/** Create a window at the end of a session; resolves with its id (@N). */
export async function newWindow(tmux: TmuxClient, o: NewWindowOptions): Promise<string> {
  const target = `${o.session.startsWith('$') ? o.session : exact(o.session)}:`;
  const args = ['new-window', '-P', '-F', '#{window_id}', '-t', target];
  if (o.detached) args.push('-d');
  if (o.name) args.push('-n', o.name);
  if (o.cwd) args.push('-c', o.cwd);
  if (o.command?.length) args.push('--', ...o.command);
  return (await tmux.run(args)).trim();
}

export async function selectWindow(tmux: TmuxClient, target: string): Promise<void> {
  await tmux.run(['select-window', '-t', target]);
}

/** Set an option; scope 'session' needs a session target, 'window' a window target. */
export async function setOption(tmux: TmuxClient, scope: 'server' | 'global' | 'session' | 'window', target: string | null, name: string, value: string): Promise<void> {
  const args = ['set-option'];
  if (scope === 'server') args.push('-s');
  else if (scope === 'global') args.push('-g');
  else if (scope === 'window') args.push('-w');
  if (target) args.push('-t', target);
  args.push(name, value);
  await tmux.run(args);
}

/**
 * Create a per-device view of a session: a grouped session sharing its
 * windows with its own current window, marked with VIEW_OPTION so lists hide
 * it. Attach to it with viewAttachArgs(), which makes tmux destroy it when its
 * client leaves: tmux 3.3a destroys an unattached session the moment
 * destroy-unattached is set, so only the attached client may set it.
 */
export async function newViewSession(tmux: TmuxClient, sessionId: string, viewName: string): Promise<string> {
  const id = (await tmux.run(['new-session', '-d', '-P', '-F', '#{session_id}', '-t', sessionId, '-s', viewName])).trim();
  await tmux.run(['set-option', '-t', id, VIEW_OPTION, sessionId]);
  return id;
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

export async function killServer(tmux: TmuxClient): Promise<void> {
  try {
    await tmux.run(['kill-server']);
  } catch (e) {
    // Already gone is the outcome we wanted.
    if (!(e instanceof TmuxError && e.kind === 'no-server')) throw e;
  }
}

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

/** The id of the session named exactly `name`, or null. Roost's per-device view sessions do not count. */
export async function findSession(tmux: TmuxClient, name: string): Promise<string | null> {
  let out: string;
  try {
    out = await tmux.run(['list-sessions', '-F', `#{session_id}\x1f#{session_name}\x1f#{${VIEW_OPTION}}`]);
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return null;
    throw e;
  }
  for (const line of out.split('\n')) {
    const [id, n, view] = line.split('\x1f');
    if (n === name && !view && id) return id;
  }
  return null;
}

/**
 * In a view session (by id), make `window` (an index or @id; null keeps the
 * current one) current, and size that window for several devices: with
 * window-size latest and aggressive-resize on, a shared window takes the size
 * of the latest active client among those VIEWING it, so a phone on another
 * window never shrinks the desktop's. One tmux call; resolves with the
 * current window's id and index.
 */
export async function selectViewWindow(tmux: TmuxClient, viewId: string, window: string | null): Promise<{ id: string; index: number }> {
  const cur = `${viewId}:`;
  const args = window === null ? [] : ['select-window', '-t', `${viewId}:${window}`, ';'];
  args.push(
    'set-option', '-w', '-t', cur, 'window-size', 'latest', ';',
    'set-option', '-w', '-t', cur, 'aggressive-resize', 'on', ';',
    'display-message', '-p', '-t', cur, '#{window_id} #{window_index}',
  );
  const [id = '', index = ''] = (await tmux.run(args)).trim().split(' ');
  return { id, index: Number.parseInt(index, 10) };
}

/** argv that attaches to a view session (by id) and, once attached, sets destroy-unattached on it (see newViewSession). */
export function viewAttachArgs(viewId: string, opts: { readOnly?: boolean } = {}): string[] {
  return [...attachArgs(viewId, opts), ';', 'set-option', '-t', viewId, 'destroy-unattached', 'on'];
}

/** Where a per-device view is: its current window and whether that window's active pane is in a mode (copy mode: scrolled back). */
export interface ViewPlace {
  windowId: string;
  windowIndex: number;
  inMode: boolean;
}

const PLACE_FORMAT = '#{window_id} #{window_index} #{pane_in_mode}';

function parsePlace(line: string): ViewPlace {
  const [windowId = '', index = '', mode = ''] = line.trim().split(' ');
  return { windowId, windowIndex: Number.parseInt(index, 10), inMode: mode === '1' };
}

/**
 * Scroll a view's current pane through its history: `lines` < 0 goes back
 * (entering copy mode with -e, so scrolling down to the bottom leaves it),
 * > 0 goes forward (only while in a mode). One tmux call; resolves with
 * where the view is afterwards.
 */
export async function scrollView(tmux: TmuxClient, viewId: string, lines: number): Promise<ViewPlace> {
  const t = `${viewId}:`;
  const n = String(Math.abs(Math.trunc(lines)));
  const args = lines < 0
    ? ['copy-mode', '-e', '-t', t, ';', 'send-keys', '-X', '-N', n, '-t', t, 'scroll-up', ';']
    // if-shell parses its command: the target in single quotes, so "$3" is not read as a variable.
    : ['if-shell', '-F', '-t', t, '#{pane_in_mode}', `send-keys -X -N ${n} -t '${t}' scroll-down`, ';'];
  return parsePlace(await tmux.run([...args, 'display-message', '-p', '-t', t, PLACE_FORMAT]));
}

/** Leave copy mode (and any other mode) in a view's current pane: back to live output. */
export async function leaveViewMode(tmux: TmuxClient, viewId: string): Promise<ViewPlace> {
  const t = `${viewId}:`;
  return parsePlace(await tmux.run(['copy-mode', '-q', '-t', t, ';', 'display-message', '-p', '-t', t, PLACE_FORMAT]));
}

/** Every session's id, name, VIEW_OPTION (empty for real sessions) and place, in one call. */
export async function listSessionPlaces(tmux: TmuxClient): Promise<({ id: string; name: string; view: string } & ViewPlace)[]> {
  let out: string;
  try {
    out = await tmux.run(['list-sessions', '-F', `#{session_id}\x1f#{session_name}\x1f#{${VIEW_OPTION}}\x1f${PLACE_FORMAT}`]);
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return [];
    throw e;
  }
  return out.split('\n').filter((l) => l.includes('\x1f')).map((line) => {
    const [id = '', name = '', view = '', place = ''] = line.split('\x1f');
    return { id, name, view, ...parsePlace(place) };
  });
}

/** The session option holding the name a view's status line shows. */
export const VIEW_NAME_OPTION = '@roost_name';

/**
 * A status-left format with the session's own name replaced by the view's
 * VIEW_NAME_OPTION: `#S` and `session_name` inside `#{...}` (e.g.
 * `#{=10:session_name}`); an escaped `##S` stays.
 */
export function viewStatusFormat(format: string): string {
  return format
    .replace(/(^|[^#])((?:##)*)#S/g, `$1$2#{${VIEW_NAME_OPTION}}`)
    .replace(/\bsession_name\b/g, VIEW_NAME_OPTION);
}

/**
 * Make a view's status line show the session it views (`name`) instead of
 * its own hidden name: the name goes in VIEW_NAME_OPTION (with `#` doubled,
 * as the status line reads `#[...]` in what formats expand to), and the
 * view's status-left is the server's with the session name pointed at it.
 * With `statusLeft: false` only the name is updated (after a rename).
 */
export async function labelView(tmux: TmuxClient, viewId: string, name: string, opts: { statusLeft?: boolean } = {}): Promise<void> {
  const args = ['set-option', '-t', viewId, VIEW_NAME_OPTION, name.replaceAll('#', '##')];
  if (opts.statusLeft !== false) {
    const global = await tmux.run(['show-options', '-gv', 'status-left']);
    args.push(';', 'set-option', '-t', viewId, 'status-left', viewStatusFormat(global.replace(/\n$/, '')));
  }
  await tmux.run(args);
}
