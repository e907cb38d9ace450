/**
 * Typed tmux commands that read a server's windows in full and build them
 * again, for snapshots and restore (src/restore): the structural listing
 * (layouts, titles, history sizes, the server's start time), a whole session
 * built in one command list (windows at their indexes, panes split in
 * layout order), applying a saved layout, and the ready/go handshake with
 * the panes being restored.
 *
 * Every argument reaches tmux literally (literal.ts, applied by TmuxClient:
 * a final ";" escaped, "#" doubled where tmux format-expands); commands of
 * one list are separated by THEN.
 */
import type { TmuxClient } from './client.js';
import { TmuxError } from './errors.js';
import { KIND_OPTION, RESTORE_NAME_OPTION, RESTORE_PENDING_OPTION, RESTORE_READY_OPTION, VIEW_OPTION } from './options.js';
import { bool, int, str, type Row } from './format.js';
import { listAllPanes } from './list.js';
import type { SessionKind } from '../shared/api.js';
import { exact } from './commands.js';
import { THEN, type TmuxArg } from './literal.js';

/** Everything a snapshot records of each pane, in one `list-panes -a`. */
export const STRUCTURE_FORMAT = {
  serverPid: ['pid', int],
  serverStarted: ['start_time', int],
  sessionId: ['session_id', str],
  sessionName: ['session_name', str],
  sessionCreated: ['session_created', int],
  view: [VIEW_OPTION, str],
  kind: [KIND_OPTION, str],
  windowId: ['window_id', str],
  windowIndex: ['window_index', int],
  windowName: ['window_name', str],
  windowAutoName: ['automatic-rename', bool],
  windowActive: ['window_active', bool],
  windowZoomed: ['window_zoomed_flag', bool],
  windowLayout: ['window_layout', str],
  windowActivity: ['window_activity', int],
  paneId: ['pane_id', str],
  paneIndex: ['pane_index', int],
  paneActive: ['pane_active', bool],
  panePid: ['pane_pid', int],
  paneCommand: ['pane_current_command', str],
  paneDead: ['pane_dead', bool],
  alternate: ['alternate_on', bool],
  historySize: ['history_size', int],
  cursorX: ['cursor_x', int],
  cursorY: ['cursor_y', int],
  paneTitle: ['pane_title', str],
  /** What restore typed or ran here, and the saved program (src/restore/pending.ts); "" for none. */
  restorePending: [RESTORE_PENDING_OPTION, str],
  /** Of a window restore made and tmux names: its saved name and when (src/restore/pending.ts); "" for none. */
  windowRestoreName: [RESTORE_NAME_OPTION, str],
  /** Where the pane was started (its -c); what tmux still knows of a dead pane's directory. */
  paneStartPath: ['pane_start_path', str],
  paneCwd: ['pane_current_path', str], // raw: keep last
} as const;

export type StructureRow = Row<typeof STRUCTURE_FORMAT>;

/** Every pane of the server with what a snapshot needs; an absent server is an empty list. */
export function listStructure(tmux: TmuxClient): Promise<StructureRow[]> {
  return listAllPanes(tmux, STRUCTURE_FORMAT);
}

const SERVER_FORMAT = { pid: ['pid', int], started: ['start_time', int] } as const;

/**
 * The running tmux server: its pid and start (epoch s), as a snapshot records
 * them; null when no server runs. A reboot or a restart of tmux gives another.
 */
export async function serverIdentity(tmux: TmuxClient): Promise<{ pid: number; started: number } | null> {
  const [row] = await listAllPanes(tmux, SERVER_FORMAT);
  return row ? { pid: row.pid, started: row.started } : null;
}

/** The shell tmux starts in new panes (default-shell), or null when no server answers. */
export async function defaultShell(tmux: TmuxClient): Promise<string | null> {
  try {
    return (await tmux.run(['show-options', '-gv', 'default-shell'])).trim() || null;
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return null;
    throw e;
  }
}

export interface CaptureRange {
  /** Lines of history above the screen to include. */
  history: number;
  /** The pane shows the alternate screen (a full-screen program): take the normal screen it hides instead. */
  alternate: boolean;
  /** Lines the pane has in its history now (history_size). */
  historySize: number;
}

function captureArgs(pane: string, r: CaptureRange): TmuxArg[] {
  const base = ['capture-pane', '-p', '-e', '-J', '-t', pane];
  if (!r.alternate) return [...base, '-S', String(-r.history)];
  const screen = [...base, '-a', '-q'];
  // An empty history would still print the screen's first line (tmux clamps the range): ask for history only when there is some.
  if (r.history === 0 || r.historySize === 0) return screen;
  return [...base, '-S', String(-r.history), '-E', '-1', THEN, ...screen];
}

/**
 * A pane's last lines with their colours (-e), wrapped lines joined (-J),
 * as one string. For a pane on the alternate screen: the history, then the
 * normal screen the program hides (what the shell showed before it).
 */
export async function captureScrollback(tmux: TmuxClient, pane: string, r: CaptureRange): Promise<string> {
  return tmux.run(captureArgs(pane, r));
}

/**
 * captureScrollback for several panes in one tmux call (one process, one
 * short stall of the server instead of many): each capture is followed by a
 * marker line, which screen text cannot contain (\x1e is a control character
 * tmux never stores in a cell). Keep batches small: the server serves no one
 * else while it runs the whole list.
 */
export async function captureScrollbacks(tmux: TmuxClient, panes: readonly { pane: string; range: CaptureRange }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (panes.length === 0) return out;
  const mark = `\x1eroost-capture-${Math.random().toString(36).slice(2)}-`;
  const args = panes.flatMap((p, i) => [...(i ? [THEN] : []), ...captureArgs(p.pane, p.range), THEN, 'display-message', '-p', `${mark}${i}`]);
  const text = await tmux.run(args);
  let from = 0;
  panes.forEach((p, i) => {
    const at = text.indexOf(`${mark}${i}\n`, from);
    if (at < 0) return; // the pane went away mid-list: no capture for it
    out.set(p.pane, text.slice(from, at));
    from = at + mark.length + String(i).length + 1;
  });
  return out;
}

/** A pane to create: the argv it runs (a wrapper that shows its scrollback, then starts the shell). */
export interface PaneBuild {
  command: readonly [string, ...string[]];
}

export interface WindowBuild {
  index: number;
  name: string;
  /** tmux renames it after its program (automatic-rename on), starting from `name`. */
  autoName: boolean;
  /** Panes in layout order (the order select-layout fills them in). */
  panes: readonly PaneBuild[];
  /** Window options to set as it is made. */
  options?: Readonly<Record<string, string>>;
}

export interface SessionBuild {
  name: string;
  kind: SessionKind;
  /** Size of the first window before its layout is applied (a detached session has no client to size it). */
  width: number;
  height: number;
  /** At least one. */
  windows: readonly WindowBuild[];
  /** Session options to set in the same command list (e.g. the restored mark). */
  options?: Readonly<Record<string, string>>;
}

export interface BuiltSession {
  id: string;
  /** Per window of the build: its id and its panes' ids in layout order. */
  windows: { id: string; panes: string[] }[];
}

const ID_LINE = /^[$@%]\d+( [$@%]\d+)*( \d+)?$/;

/**
 * Build a session with all its windows and panes in two tmux calls: the
 * session (with its kind and options, so nobody lists it unmarked), then
 * every other window and pane. Rejects with TmuxError (kind 'duplicate'
 * when the name is taken); when the second call fails the session exists
 * half made and the caller kills it (BuildError carries its id).
 *
 * Panes: each window starts with its LAST pane; each split (-b, before the
 * window's first pane, -d keeping it current) adds the others in order, so
 * the pane list ends in layout order. `select-layout tiled` after each
 * split keeps room for the next one in a small window.
 */
export async function buildSession(tmux: TmuxClient, b: SessionBuild): Promise<BuiltSession> {
  const [first, ...rest] = b.windows;
  if (!first) throw new Error('a session needs a window');
  const target = (w: WindowBuild) => `${exact(b.name)}:${w.index}`;
  const cmd = (c: readonly string[]) => [...c];
  const last = (w: WindowBuild) => w.panes[w.panes.length - 1]!;
  const named = (w: WindowBuild) => ['-n', w.name];
  // -n turns automatic-rename off: turn it back on where tmux named the window.
  const auto = (w: WindowBuild): TmuxArg[] => (w.autoName ? ['set-option', '-w', '-t', target(w), 'automatic-rename', 'on', THEN] : []);
  const options = (w: WindowBuild, t: string): TmuxArg[] => Object.entries(w.options ?? {}).flatMap(([k, v]) => ['set-option', '-w', '-t', t, k, v, THEN]);

  const head: TmuxArg[] = ['new-session', '-d', '-P', '-F', '#{session_id} #{window_id} #{pane_id} #{window_index}', '-s', b.name,
    '-x', String(b.width), '-y', String(b.height), ...named(first), '--', ...cmd(last(first).command)];
  if (first.autoName) head.push(THEN, 'set-option', '-w', '-t', `${exact(b.name)}:`, 'automatic-rename', 'on');
  for (const [k, v] of Object.entries(first.options ?? {})) head.push(THEN, 'set-option', '-w', '-t', `${exact(b.name)}:`, k, v);
  if (b.kind !== 'plain') head.push(THEN, 'set-option', '-t', `${exact(b.name)}:`, KIND_OPTION, b.kind);
  for (const [k, v] of Object.entries(b.options ?? {})) head.push(THEN, 'set-option', '-t', `${exact(b.name)}:`, k, v);
  const [sid, w0, p0, index0] = (await tmux.run(head)).trim().split(' ');
  if (!sid || !w0 || !p0) throw new Error(`tmux did not say which session it made for ${b.name}`);
  const built: BuiltSession = { id: sid, windows: [{ id: w0, panes: [p0] }] };

  const args: TmuxArg[] = [];
  // base-index (the user's tmux.conf) decides where the first window went: move it to its saved index first, before another window needs that one.
  if (Number(index0) !== first.index) args.push('move-window', '-s', w0, '-t', target(first), THEN);
  for (const w of rest) args.push('new-window', '-d', '-P', '-F', '#{window_id} #{pane_id}', '-t', target(w), ...named(w), '--', ...cmd(last(w).command), THEN, ...auto(w), ...options(w, target(w)));
  for (const w of b.windows) {
    for (const p of w.panes.slice(0, -1)) {
      args.push('split-window', '-d', '-b', '-P', '-F', '#{pane_id}', '-t', target(w), '--', ...cmd(p.command), THEN);
      args.push('select-layout', '-t', target(w), 'tiled', THEN);
    }
  }
  if (args.length === 0) return built;
  args.pop();
  let out: string;
  try {
    out = await tmux.run(args);
  } catch (e) {
    throw new BuildError(sid, e);
  }
  const lines = out.split('\n').map((l) => l.trim()).filter((l) => ID_LINE.test(l));
  let i = 0;
  const next = () => {
    const l = lines[i++];
    if (l === undefined) throw new BuildError(sid, new Error(`tmux printed fewer ids than it built for session ${b.name}`));
    return l.split(' ');
  };
  for (const _ of rest) {
    const [w, p] = next();
    built.windows.push({ id: w!, panes: [p!] });
  }
  b.windows.forEach((w, k) => {
    // Splits were made in layout order before the window's first pane, which runs the last one.
    const made = w.panes.slice(0, -1).map(() => next()[0]!);
    built.windows[k]!.panes = [...made, ...built.windows[k]!.panes];
  });
  return built;
}

/** Building failed after the session was created: `sessionId` is there, half made. */
export class BuildError extends Error {
  override name = 'BuildError';
  constructor(readonly sessionId: string, override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
  }
}

export interface WindowFinish {
  window: string;
  /** A layout string (window_layout) for exactly this many panes, or null to keep tiled. */
  layout: string | null;
  activePane: string;
  zoomed: boolean;
  /** Pane id → title to set. */
  titles: ReadonlyMap<string, string>;
}

function finishArgs(f: WindowFinish): TmuxArg[] {
  const args: TmuxArg[] = [];
  if (f.layout !== null) args.push('select-layout', '-t', f.window, f.layout, THEN);
  for (const [pane, title] of f.titles) args.push('select-pane', '-t', pane, '-T', title, THEN);
  args.push('select-pane', '-t', f.activePane);
  if (f.zoomed) args.push(THEN, 'resize-pane', '-Z', '-t', f.activePane);
  return args;
}

/**
 * Apply a window's saved layout, titles, current pane and zoom in one call.
 * select-layout resizes a detached window to the layout's size; an attaching
 * client then resizes it as usual.
 */
export async function finishWindow(tmux: TmuxClient, f: WindowFinish): Promise<void> {
  await tmux.run(finishArgs(f));
}

/** finishWindow for every window of a session, then select its current window: one call. */
export async function finishWindows(tmux: TmuxClient, windows: readonly WindowFinish[], current: string | null): Promise<void> {
  const args = windows.flatMap((f) => [...finishArgs(f), THEN]);
  if (current !== null) args.push('select-window', '-t', current);
  else args.pop();
  if (args.length) await tmux.run(args);
}

/** Panes whose restore wrapper said it is ready (RESTORE_READY_OPTION), among all panes of the server. */
export async function readyPanes(tmux: TmuxClient): Promise<Set<string>> {
  const out = await tmux.run(['list-panes', '-a', '-F', `#{pane_id} #{${RESTORE_READY_OPTION}}`]);
  return new Set(out.split('\n').filter((l) => l.endsWith(' ready')).map((l) => l.split(' ')[0]!));
}

/** What to do with one pane once it is ready: type text (pressing Enter or not), then let it go on. */
export interface PaneRelease {
  pane: string;
  text: string | null;
  enter: boolean;
  /** The wait-for channel the pane's wrapper waits on. */
  channel: string;
  /** A value for RESTORE_PENDING_OPTION, set with the typing (src/restore/pending.ts); absent: none. */
  pending?: string;
}

/**
 * Type into each pane, then wake its wrapper: two calls. tmux writes typed keys to a pane's terminal when its
 * event loop next runs, not while the command list runs, so a wake in the same list could reach a wrapper
 * first: it turns echo back on before the keys arrive, and the terminal echoes them before the shell shows
 * them at its prompt, twice (seen about once in six restores). By the time a second call reaches tmux, its
 * event loop has run and the keys are written.
 */
export async function releasePanes(tmux: TmuxClient, panes: readonly PaneRelease[]): Promise<void> {
  if (panes.length === 0) return;
  const typed: TmuxArg[] = [];
  for (const p of panes) {
    if (p.text) typed.push('send-keys', '-t', p.pane, '-l', '--', p.text, THEN);
    if (p.enter) typed.push('send-keys', '-t', p.pane, 'Enter', THEN);
    if (p.pending !== undefined) typed.push('set-option', '-p', '-t', p.pane, RESTORE_PENDING_OPTION, p.pending, THEN);
    typed.push('set-option', '-p', '-u', '-t', p.pane, RESTORE_READY_OPTION, THEN);
  }
  typed.pop();
  await tmux.run(typed);
  await signalChannels(tmux, panes.map((p) => p.channel));
}

/** Wake wrappers still waiting (a restore that failed half way must not leave panes held). */
export async function signalChannels(tmux: TmuxClient, channels: readonly string[]): Promise<void> {
  if (channels.length === 0) return;
  await tmux.run(channels.flatMap((c, i) => [...(i ? [THEN] : []), 'wait-for', '-S', c]));
}

/** Unset a session option (e.g. the restored mark); a session that is gone already is fine. */
export async function unsetSessionOption(tmux: TmuxClient, session: string, name: string): Promise<void> {
  try {
    await tmux.run(['set-option', '-u', '-t', session.startsWith('$') ? session : `${exact(session)}:`, name]);
  } catch (e) {
    if (!(e instanceof TmuxError && (e.kind === 'no-session' || e.kind === 'no-server'))) throw e;
  }
}
