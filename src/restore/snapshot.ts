/**
 * Taking a snapshot: one structural listing of the tmux server, what runs in
 * each pane (/proc, procs.ts), the agent session ids attention learnt from
 * hooks, and each pane's last lines with colours; then one generation in
 * the store.
 *
 * Captures are the expensive part (the tmux server is single-threaded and
 * every client waits while it copies a pane's history), so a pane whose
 * window printed nothing since the previous snapshot of the same server
 * keeps its blob: same pane id, window_activity, history size and cursor,
 * and that capture was taken after the activity second had passed.
 * With no session at all, nothing is written: an empty server (just after a
 * reboot) must not push the last real snapshot aside.
 */
import { hostname } from 'node:os';
import { capturePane, captureScrollbacks, listStructure, type StructureRow, type TmuxClient } from '../tmux/index.js';
import type { PaneAgent } from '../attention/pane-agents.js';
import { ProcTable, isShell } from './procs.js';
import { SNAPSHOT_FORMAT, type PaneSnap, type SessionSnap, type Snapshot, type SnapshotDraft, type WindowSnap } from './model.js';
import { blobHash, type SnapshotStore } from './store.js';
import { typedCommand } from './typed.js';
import { decodeMark, decodeNameMark, needsCursorLine, settledName, settledProgram } from './pending.js';
import { WRAPPER_NAME } from './execute.js';

/** Rows above the cursor read for a restored pane's prompt line: a typed line wrapped over at most this many rows is found. */
const PROMPT_ROWS = 20;

/** Panes captured per tmux call: ~8 × 2,000 lines is ~40 ms of tmux time, a stall nobody notices; fewer calls than one per pane. */
export const CAPTURE_BATCH = 8;

export interface SnapshotOptions {
  tmux: TmuxClient;
  store: SnapshotStore;
  /** Scrollback lines per pane (0: none). */
  lines: number;
  /** Generations to keep. */
  keep: number;
  /** Pane → agent session, as attention keeps it (empty when the database is not at hand). */
  paneAgents: () => readonly PaneAgent[];
  /** /proc, or a test's stand-in folder. */
  procs?: ProcTable;
  now?: () => number;
}

export interface SnapshotResult {
  /** null: there were no sessions, nothing was written. */
  generation: number | null;
  snapshot: Snapshot | null;
  /** Panes captured now, and panes whose previous capture was still current. */
  captured: number;
  reused: number;
}

/** Tidy a capture: no trailing blanks on a line, no empty lines at the end, at most `max` lines. */
export function tidyCapture(text: string, max: number): string {
  const lines = text.split('\n').map((l) => l.replace(/ +$/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-max).join('\n');
}

export async function takeSnapshot(o: SnapshotOptions): Promise<SnapshotResult> {
  const now = o.now ?? Date.now;
  const rows = (await listStructure(o.tmux)).filter((r) => !r.view);
  if (rows.length === 0) return { generation: null, snapshot: null, captured: 0, reused: 0 };
  const server = { socket: o.tmux.socketPath(), pid: rows[0]!.serverPid, started: rows[0]!.serverStarted };

  const previous = new Map<string, PaneSnap>();
  const prev = o.store.latest(server.socket).snapshot;
  if (prev && prev.server.pid === server.pid && prev.server.started === server.started) {
    for (const s of prev.sessions) for (const w of s.windows) for (const p of w.panes) previous.set(p.id, p);
  }
  // Agent reports from before this server started belong to panes of an old one that had the same ids.
  const agents = new Map(o.paneAgents()
    .filter((a) => (a.tmuxSocket === null || a.tmuxSocket === server.socket) && a.updatedAt >= server.started * 1000)
    .map((a) => [a.pane, a]));
  const procs = o.procs ?? new ProcTable();
  const haveProc = procs.available();

  const blobs = new Map<string, string>();
  const toCapture: { pane: PaneSnap; row: StructureRow }[] = [];
  let captured = 0;
  let reused = 0;
  const sessions = new Map<string, SessionSnap>();
  const windows = new Map<string, WindowSnap>();
  /** Windows restore made that tmux names, with what their active pane says of the name (pending.ts settledName). */
  const restoredNames: { w: WindowSnap; row: StructureRow; held: boolean }[] = [];
  for (const r of rows) {
    let s = sessions.get(r.sessionId);
    if (!s) {
      s = { name: r.sessionName, kind: r.kind || 'plain', created: r.sessionCreated, windows: [] };
      sessions.set(r.sessionId, s);
    }
    let w = windows.get(r.windowId);
    if (!w) {
      w = { index: r.windowIndex, name: r.windowName, autoName: r.windowAutoName, active: r.windowActive, zoomed: r.windowZoomed, layout: r.windowLayout, panes: [] };
      windows.set(r.windowId, w);
      s.windows.push(w);
    }
    const old = previous.get(r.paneId);
    const pane = describePane(r, procs, haveProc, agents.get(r.paneId) ?? null, old);
    const mark = r.paneDead ? null : decodeMark(r.restorePending);
    /** The pane is recorded with its saved program (not settled yet). */
    let held = false;
    if (mark) {
      // Restore typed here: until the program settles, the saved one (pending.ts).
      const at = Math.floor(now() / 1000);
      const line = needsCursorLine(mark, pane.program, at) ? await cursorLine(o.tmux, r) : null;
      const s = settledProgram(mark, pane.program, at, line);
      if (s.agent !== undefined) {
        pane.program = s.program;
        pane.agent = s.agent;
        held = true;
      }
    }
    if (r.paneActive && w.autoName) restoredNames.push({ w, row: r, held });
    if (o.lines > 0) {
      if (old?.scrollback && current(old, r) && o.store.hasBlob(old.scrollback.blob)) {
        pane.scrollback = old.scrollback;
        pane.capturedAt = old.capturedAt;
        reused++;
      } else toCapture.push({ pane, row: r });
    }
    w.panes.push(pane);
  }
  for (const { w, row: r, held } of restoredNames) {
    const m = decodeNameMark(r.windowRestoreName);
    if (!m) continue;
    // tmux has named it after its active pane's program: the wrapper became the shell, and the name reads as what runs.
    const inWrapper = haveProc && procs.argv(r.panePid)[3] === WRAPPER_NAME;
    w.name = settledName(m, r.windowName, Math.floor(now() / 1000), held, !inWrapper && r.windowName === r.paneCommand);
  }
  for (let i = 0; i < toCapture.length; i += CAPTURE_BATCH) {
    const batch = toCapture.slice(i, i + CAPTURE_BATCH);
    const at = Math.floor(now() / 1000);
    const texts = await captureScrollbacks(o.tmux, batch.map(({ row: r }) => ({ pane: r.paneId, range: { history: o.lines, alternate: r.alternate, historySize: r.historySize } })));
    for (const { pane, row } of batch) {
      const raw = texts.get(row.paneId);
      if (raw === undefined) continue; // closed meanwhile: saved without scrollback
      const text = tidyCapture(raw, o.lines);
      const hash = blobHash(text);
      blobs.set(hash, text);
      pane.capturedAt = at;
      pane.scrollback = { blob: hash, lines: text === '' ? 0 : text.split('\n').length, bytes: Buffer.byteLength(text) };
      captured++;
    }
  }
  const draft: SnapshotDraft = { format: SNAPSHOT_FORMAT, createdAt: now(), host: hostname(), server, lines: o.lines, sessions: [...sessions.values()] };
  const generation = o.store.write(draft, blobs, o.keep);
  return { generation, snapshot: { ...draft, generation }, captured, reused };
}

/** The logical line the pane's cursor is on (wrapped rows joined), trailing blanks trimmed; null when it cannot be read. */
async function cursorLine(tmux: TmuxClient, r: StructureRow): Promise<string | null> {
  try {
    const text = await capturePane(tmux, r.paneId, { join: true, start: r.cursorY - PROMPT_ROWS, end: r.cursorY });
    return text.replace(/\n$/, '').split('\n').at(-1)!.trimEnd();
  } catch {
    return null; // closed meanwhile: taken as it is
  }
}

/** The previous capture still shows what the pane shows: nothing printed since, and it was taken after the last output's second. */
function current(old: PaneSnap, r: StructureRow): boolean {
  return old.activity === r.windowActivity && old.historySize === r.historySize && old.cursor[0] === r.cursorX && old.cursor[1] === r.cursorY
    && old.capturedAt > r.windowActivity;
}

/**
 * A pane's directory: its shell's (/proc), else what tmux says. A dead pane
 * has no process and tmux no current path for it: the directory the previous
 * snapshot of this server saw it in (where its program ended), else the one
 * it was started in.
 */
function paneCwd(r: StructureRow, procs: ProcTable, haveProc: boolean, old: PaneSnap | undefined): string {
  if (r.paneDead) return (old?.cwd || r.paneCwd || r.paneStartPath);
  return (haveProc ? procs.cwd(r.panePid) : null) ?? (r.paneCwd || r.paneStartPath);
}

function describePane(r: StructureRow, procs: ProcTable, haveProc: boolean, agent: PaneAgent | null, old: PaneSnap | undefined): PaneSnap {
  let program: PaneSnap['program'] = null;
  const cwd = paneCwd(r, procs, haveProc, old);
  if (!r.paneDead) {
    if (haveProc) {
      const fg = procs.foreground(r.panePid);
      if (fg) {
        // A relative script path (`./train.sh`) is read from the shell's directory: the job started there, and the
        // shell stays there while its job runs (the job's own directory may have changed since; restore types it there).
        const typed = fg.commands.map((argv, i) => typedCommand(argv, procs.startPath(fg.pids[i]!), cwd));
        program = { name: fg.name, commands: fg.commands, ...(JSON.stringify(typed) !== JSON.stringify(fg.commands) ? { typed } : {}), ...(fg.headEnded ? { headEnded: true as const } : {}) };
      }
    } else if (!isShell(r.paneCommand)) {
      program = { name: r.paneCommand, commands: [] };
    }
  }
  return {
    id: r.paneId,
    index: r.paneIndex,
    active: r.paneActive,
    cwd,
    title: r.paneTitle,
    dead: r.paneDead,
    program,
    // An agent report for a pane at its prompt is old news (the agent exited without SessionEnd).
    agent: agent && program ? { kind: agent.agent, sessionId: agent.sessionId } : null,
    scrollback: null,
    activity: r.windowActivity,
    historySize: r.historySize,
    cursor: [r.cursorX, r.cursorY],
    capturedAt: 0,
  };
}
