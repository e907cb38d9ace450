/**
 * Everything the server holds, in one tmux call (`list-panes -a`), turned
 * into sessions → windows → panes. The dashboard, `roost ls` and the
 * attention observer all read this one listing.
 */
import { sessionKind, type PaneInfo, type SessionInfo, type WindowInfo } from '../shared/api.js';
import { windowStatus, DEFAULT_SILENCE_SECONDS } from '../shared/status.js';
import type { TmuxClient } from './client.js';
import { TmuxError } from './errors.js';
import { BELL_COUNTER_OPTION, KIND_OPTION, RESTORED_OPTION, VIEW_OPTION } from './options.js';
import { bool, formatString, int, optInt, parseRows, str, type FormatTable, type Row } from './format.js';
import { ANCHOR_OPTION } from './size-anchor.js';
import { panesAtPrompt } from '../process/foreground.js';


export const PANE_FORMAT = {
  sessionId: ['session_id', str],
  sessionName: ['session_name', str],
  sessionCreated: ['session_created', int],
  sessionAttached: ['session_attached', int],
  sessionActivity: ['session_activity', int],
  view: [VIEW_OPTION, str],
  sessionKind: [KIND_OPTION, sessionKind],
  /** When Roost restored the session (epoch s); empty once someone opened it. */
  sessionRestored: [RESTORED_OPTION, optInt],
  /** A read-only view's size anchor is attached too (size-anchor.ts): one client that is no device. */
  viewAnchored: [ANCHOR_OPTION, bool],
  windowId: ['window_id', str],
  windowIndex: ['window_index', int],
  windowName: ['window_name', str],
  windowActive: ['window_active', bool],
  windowActivity: ['window_activity', int],
  windowBell: ['window_bell_flag', bool],
  /** Bell counter bumped by Roost's alert-bell hook (src/attention/bell-hook.ts); empty when the hook is not installed. */
  windowBells: [BELL_COUNTER_OPTION, optInt],
  paneId: ['pane_id', str],
  paneIndex: ['pane_index', int],
  paneActive: ['pane_active', bool],
  panePid: ['pane_pid', int],
  paneCommand: ['pane_current_command', str],
  paneDead: ['pane_dead', bool],
  paneDeadStatus: ['pane_dead_status', optInt],
  /** The tmux server's pid: a new one means the server was restarted between two listings. */
  serverPid: ['pid', int],
  /** Where the pane started (-c), or empty: what it reports until tmux can read its process's folder. Raw, like the next. */
  paneStartPath: ['pane_start_path', str],
  paneCwd: ['pane_current_path', str], // raw: keep last
} as const;

export type PaneRow = Row<typeof PANE_FORMAT>;

/** Every pane of the server in one `list-panes -a`, with the fields of `table`. An absent server is an empty list, not an error. */
export async function listAllPanes<T extends FormatTable>(tmux: TmuxClient, table: T): Promise<Row<T>[]> {
  let out: string;
  try {
    out = await tmux.run(['list-panes', '-a', '-F', formatString(table)]);
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return [];
    throw e;
  }
  return parseRows(table, out);
}

/** One `list-panes -a` call with PANE_FORMAT. */
export function listPaneRows(tmux: TmuxClient): Promise<PaneRow[]> {
  return listAllPanes(tmux, PANE_FORMAT);
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
      viewAttached.set(r.sessionId, { of: r.view, attached: Math.max(0, r.sessionAttached - (r.viewAnchored ? 1 : 0)) });
      continue;
    }
    let s = sessions.get(r.sessionId);
    if (!s) {
      s = { id: r.sessionId, name: r.sessionName, kind: r.sessionKind, created: r.sessionCreated, attached: r.sessionAttached, activity: r.sessionActivity, windows: [] };
      if (r.sessionRestored !== null) s.restored = r.sessionRestored;
      sessions.set(r.sessionId, s);
    }
    const wkey = `${r.sessionId}${r.windowId}`;
    let w = windows.get(wkey);
    if (!w) {
      w = { id: r.windowId, index: r.windowIndex, name: r.windowName, active: r.windowActive, command: '', status: 'working', activity: r.windowActivity, bell: r.windowBell, bells: r.windowBells, panes: [] };
      windows.set(wkey, w);
      s.windows.push(w);
    }
    // A pane just made has no foreground process group tmux can read yet: its start folder stands in.
    const pane: PaneInfo = {
      id: r.paneId, index: r.paneIndex, active: r.paneActive, pid: r.panePid, cwd: r.paneCwd || r.paneStartPath, command: r.paneCommand, dead: r.paneDead, exitStatus: r.paneDead ? r.paneDeadStatus : null,
      atPrompt: !r.paneDead && (opts.atPrompt?.has(r.paneId) ?? false),
    };
    w.panes.push(pane);
    if (pane.active) w.command = pane.command;
  }

  for (const s of sessions.values()) {
    const silence = silenceFor(s.name);
    for (const w of s.windows) {
      const dead = w.panes.length > 0 && w.panes.every((p) => p.dead);
      const shell = !dead && w.panes.every((p) => p.dead || p.atPrompt === true);
      w.status = windowStatus({ activity: w.activity, bell: w.bell, dead, shell }, now, silence);
      if (!w.command) w.command = w.panes[0]?.command ?? '';
      // session_activity moves with clients (keys, attach), not with output: the last output is the windows'.
      s.activity = Math.max(s.activity, w.activity);
    }
    s.windows.sort((a, b) => a.index - b.index);
  }
  for (const v of viewAttached.values()) {
    const target = sessions.get(v.of);
    if (target) target.attached += v.attached;
  }
  return [...sessions.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** List every session with windows and panes, in one tmux call (and a look in /proc for the panes running a shell). */
export async function listSessions(tmux: TmuxClient, opts: BuildOptions = {}): Promise<SessionInfo[]> {
  return (await listServer(tmux, opts)).sessions;
}

/**
 * The same one call, with the server's pid: null when no server runs (tmux
 * exits with its last session, so a running server always has panes).
 */
export async function listServer(tmux: TmuxClient, opts: BuildOptions = {}): Promise<{ pid: number | null; sessions: SessionInfo[] }> {
  const rows = await listPaneRows(tmux);
  const atPrompt = opts.atPrompt ?? await panesAtPrompt(rows.filter((r) => !r.view && !r.paneDead).map((r) => ({ id: r.paneId, pid: r.panePid, command: r.paneCommand })));
  return { pid: rows[0]?.serverPid ?? null, sessions: buildSessions(rows, { ...opts, atPrompt }) };
}
