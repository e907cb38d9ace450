/**
 * Everything the server holds, in one tmux call (`list-panes -a`), turned
 * into sessions → windows → panes. The dashboard, `roost ls` and the
 * attention observer all read this one listing.
 */
import { quietPane, sessionKind, type PaneInfo, type SessionInfo, type WindowInfo } from '../shared/api.js';
import { compareNames } from '../shared/names.js';
import { windowStatus, DEFAULT_SILENCE_SECONDS } from '../shared/status.js';
import type { TmuxClient } from './client.js';
import { TmuxError } from './errors.js';
import { BELL_COUNTER_OPTION, BELL_MODEL, BELL_MODEL_OPTION, BELLS_SEEN_OPTION, KIND_OPTION, SELECTED_AT_OPTION, REMOTE_SHELL_OPTION, RESTORED_OPTION, SPARE_OPTION, VIEW_OPTION, VIEWERS_OPTION } from './options.js';
import { bool, formatString, int, optInt, parseRows, str, type FormatTable, type Row } from './format.js';
import { panesAtPrompt } from '../process/foreground.js';
import { signalName } from '../process/signals.js';


/** How many clients of a session_attached_list are devices: not control-mode clients (no tty: tmux names them client-PID). */
function devices(list: string): number {
  return list === '' ? 0 : list.split(',').filter((name) => !name.startsWith('client-')).length;
}

export const PANE_FORMAT = {
  sessionId: ['session_id', str],
  sessionName: ['session_name', str],
  sessionCreated: ['session_created', int],
  /** Devices attached: tty clients. Control-mode clients (the daemon's connection, read-only views' size anchors) are named client-PID and are none. */
  sessionAttached: ['session_attached_list', devices],
  view: [VIEW_OPTION, str],
  /** A spare view (made ahead for the next browser terminal): its client, attached ahead, is no device. */
  spare: [SPARE_OPTION, bool],
  /** A read-only view shared by several browser terminals: its client is that many devices. */
  viewers: [VIEWERS_OPTION, optInt],
  sessionKind: [KIND_OPTION, sessionKind],
  /** When Roost restored the session (epoch s); empty once someone opened it. */
  sessionRestored: [RESTORED_OPTION, optInt],
  windowId: ['window_id', str],
  windowIndex: ['window_index', int],
  windowName: ['window_name', str],
  windowAutoName: ['automatic-rename', bool],
  windowActive: ['window_active', bool],
  windowActivity: ['window_activity', int],
  windowWidth: ['window_width', int],
  windowHeight: ['window_height', int],
  windowBell: ['window_bell_flag', bool],
  /** Bell counter bumped by Roost's alert-bell hook (src/attention/bell-hook.ts); empty when the hook is not installed. */
  windowBells: [BELL_COUNTER_OPTION, optInt],
  /** The counter when a person last saw the window (BELLS_SEEN_OPTION). */
  windowBellsSeen: [BELLS_SEEN_OPTION, optInt],
  /** The rule the counters are read by (global; BELL_MODEL once a daemon set it up). */
  bellModel: [BELL_MODEL_OPTION, optInt],
  /** window_activity as the window's last selection set it (SELECTED_AT_OPTION): no output. */
  windowSelectedAt: [SELECTED_AT_OPTION, optInt],
  paneId: ['pane_id', str],
  paneIndex: ['pane_index', int],
  paneActive: ['pane_active', bool],
  panePid: ['pane_pid', int],
  paneCommand: ['pane_current_command', str],
  paneDead: ['pane_dead', bool],
  paneDeadStatus: ['pane_dead_status', optInt],
  /** The signal that ended a dead pane's program, as a number (tmux 3.3 and later; empty otherwise, or when it exited). */
  paneDeadSignal: ['pane_dead_signal', optInt],
  /** A node session's window runs the user's shell on the compute node here (REMOTE_SHELL_OPTION). */
  paneRemoteShell: [REMOTE_SHELL_OPTION, bool],
  /** The tmux server's pid: a new one means the server was restarted between two listings. */
  serverPid: ['pid', int],
  /** Where the pane started (-c), or empty: what it reports until tmux can read its process's folder. Raw, like the next. */
  paneStartPath: ['pane_start_path', str],
  paneCwd: ['pane_current_path', str], // raw: keep last
} as const;

export type PaneRow = Row<typeof PANE_FORMAT>;

/**
 * Every pane of the server in one `list-panes -a`, with the fields of
 * `table`. An absent server is an empty list, not an error. `asProcess`:
 * never over the control connection.
 */
export async function listAllPanes<T extends FormatTable>(tmux: TmuxClient, table: T, opts: { asProcess?: boolean } = {}): Promise<Row<T>[]> {
  let out: string;
  const args = ['list-panes', '-a', '-F', formatString(table)];
  try {
    out = await (opts.asProcess ? tmux.runProcess(args) : tmux.run(args));
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return [];
    throw e;
  }
  return parseRows(table, out);
}

/** What a newline in a folder is printed as, so the listing is one line per pane and may go over the control connection (control.ts). */
const NEWLINE_MARK = '\x1d';
const ONE_LINE_FORMAT: typeof PANE_FORMAT = Object.fromEntries(
  Object.entries(PANE_FORMAT).map(([k, [v, parse]]) => [k, [v.endsWith('_path') ? `s/\n/${NEWLINE_MARK}:${v}` : v, parse]]),
) as unknown as typeof PANE_FORMAT;

/**
 * One `list-panes -a` call with PANE_FORMAT: over the daemon's control
 * connection (no process: ~8 ms less, and the daemon's CPU for spawning it),
 * folders on one line. A folder printed with the mark (named with a newline,
 * or with the mark itself: the two cannot be told apart) has the listing
 * read again as a process, raw.
 */
export async function listPaneRows(tmux: TmuxClient): Promise<PaneRow[]> {
  const rows = await listAllPanes(tmux, ONE_LINE_FORMAT);
  if (!rows.some((r) => r.paneCwd.includes(NEWLINE_MARK) || r.paneStartPath.includes(NEWLINE_MARK))) return rows;
  return listAllPanes(tmux, PANE_FORMAT, { asProcess: true });
}

export interface BuildOptions {
  /** Epoch seconds; default now. */
  now?: number;
  /** Silence threshold in seconds for a session name; default 20 for all. */
  silenceFor?: (session: string) => number;
  /** Ids of the panes whose shell waits at its prompt (panesAtPrompt); none when absent. */
  atPrompt?: ReadonlySet<string>;
}

/**
 * tmux's bell flag stays up on a window a Roost device showed through its
 * own view session: the bell was seen when no bell rang after the counter
 * value recorded then (BELLS_SEEN_OPTION).
 */
function seenAlready(bells: number | null, seen: number | null): boolean {
  return bells !== null && seen !== null && bells <= seen;
}

/**
 * Group pane rows into sessions. View sessions (one per browser device, see
 * VIEW_OPTION) are left out, and their clients are counted on the session
 * whose group they joined.
 */
export function buildSessions(rows: readonly PaneRow[], opts: BuildOptions = {}): SessionInfo[] {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const silenceFor = opts.silenceFor ?? (() => DEFAULT_SILENCE_SECONDS);
  const sessions = new Map<string, SessionInfo>();
  const windows = new Map<string, WindowInfo>();
  const viewAttached = new Map<string, { of: string; attached: number }>();

  for (const r of rows) {
    if (r.view) {
      if (!r.spare) viewAttached.set(r.sessionId, { of: r.view, attached: r.sessionAttached > 0 && r.viewers !== null ? r.viewers : r.sessionAttached });
      continue;
    }
    let s = sessions.get(r.sessionId);
    if (!s) {
      s = { id: r.sessionId, name: r.sessionName, kind: r.sessionKind, created: r.sessionCreated, attached: r.sessionAttached, activity: 0, windows: [] };
      if (r.sessionRestored !== null) s.restored = r.sessionRestored;
      sessions.set(r.sessionId, s);
    }
    const wkey = `${r.sessionId}${r.windowId}`;
    let w = windows.get(wkey);
    if (!w) {
      // The counters once a daemon set them up (BELL_MODEL); until then tmux's flag, as earlier versions read it.
      const counted = r.bellModel === BELL_MODEL ? r.windowBells : null;
      const bell = counted !== null ? counted > (r.windowBellsSeen ?? 0) : r.windowBell && !seenAlready(r.windowBells, r.windowBellsSeen);
      w = { id: r.windowId, index: r.windowIndex, name: r.windowName, autoName: r.windowAutoName, active: r.windowActive, command: '', status: 'working', activity: r.windowActivity, bell, bells: counted, width: r.windowWidth, height: r.windowHeight, panes: [] };
      if (r.windowSelectedAt !== null) w.selectedAt = r.windowSelectedAt;
      // A terminal attached to the window's own session shows it (Roost's devices look through views of their own).
      if (r.sessionAttached > 0 && r.windowActive) w.inTerminal = true;
      windows.set(wkey, w);
      s.windows.push(w);
    }
    // A pane just made has no foreground process group tmux can read yet: its start folder stands in.
    const pane: PaneInfo = {
      id: r.paneId, index: r.paneIndex, active: r.paneActive, pid: r.panePid, cwd: r.paneCwd || r.paneStartPath, command: r.paneCommand, dead: r.paneDead, exitStatus: r.paneDead ? r.paneDeadStatus : null,
      ...(r.paneDead && r.paneDeadSignal !== null ? { exitSignal: signalName(r.paneDeadSignal) ?? `signal ${r.paneDeadSignal}` } : {}),
      atPrompt: !r.paneDead && (opts.atPrompt?.has(r.paneId) ?? false),
    };
    if (r.paneRemoteShell && !r.paneDead) pane.remoteShell = true;
    w.panes.push(pane);
    if (pane.active) w.command = pane.command;
  }

  for (const s of sessions.values()) {
    const silence = silenceFor(s.name);
    for (const w of s.windows) {
      const dead = w.panes.length > 0 && w.panes.every((p) => p.dead);
      const shell = !dead && w.panes.every((p) => p.dead || quietPane(p));
      w.status = windowStatus({ activity: w.activity, bell: w.bell, dead, shell }, now, silence);
      if (!w.command) w.command = w.panes[0]?.command ?? '';
      // The last output is the windows'. tmux's session_activity is not read at all: it moves with
      // clients (keys, any attach, the daemon's own tmux -C among them), so "last output" would move too.
      s.activity = Math.max(s.activity, w.activity);
    }
    s.windows.sort((a, b) => a.index - b.index);
  }
  for (const v of viewAttached.values()) {
    const target = sessions.get(v.of);
    if (target) target.attached += v.attached;
  }
  return [...sessions.values()].sort((a, b) => compareNames(a.name, b.name));
}

/** List every session with windows and panes, in one tmux call (and a look in /proc for the panes running a shell). */
export async function listSessions(tmux: TmuxClient, opts: BuildOptions = {}): Promise<SessionInfo[]> {
  return (await listServer(tmux, opts)).sessions;
}

/** What one listing read: every pane row, and which panes' shells wait at their prompt. */
export interface ServerSnapshot {
  rows: PaneRow[];
  atPrompt: ReadonlySet<string>;
}

/** Read the server: one `list-panes -a` and a look in /proc. */
export async function snapshotServer(tmux: TmuxClient): Promise<ServerSnapshot> {
  const rows = await listPaneRows(tmux);
  const atPrompt = await panesAtPrompt(rows.filter((r) => !r.view && !r.paneDead).map((r) => ({ id: r.paneId, pid: r.panePid, command: r.paneCommand })));
  return { rows, atPrompt };
}

/** Sessions of a snapshot, with the server's pid (null: none ran); states are worked out for `opts.now`, so a kept snapshot ages right. */
export function serverOf(snap: ServerSnapshot, opts: BuildOptions = {}): { pid: number | null; sessions: SessionInfo[] } {
  return { pid: snap.rows[0]?.serverPid ?? null, sessions: buildSessions(snap.rows, { atPrompt: snap.atPrompt, ...opts }) };
}

/**
 * The same one call, with the server's pid: null when no server runs (tmux
 * exits with its last session, so a running server always has panes).
 */
export async function listServer(tmux: TmuxClient, opts: BuildOptions = {}): Promise<{ pid: number | null; sessions: SessionInfo[] }> {
  const snap = opts.atPrompt ? { rows: await listPaneRows(tmux), atPrompt: opts.atPrompt } : await snapshotServer(tmux);
  return serverOf(snap, opts);
}
