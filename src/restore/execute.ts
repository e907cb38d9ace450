/**
 * Carrying out a restore plan (plan.ts) on the tmux server, through the
 * typed commands of src/tmux/windows.ts.
 *
 * Every restored pane starts as a small sh wrapper (WRAPPER) that shows the
 * pane's saved scrollback and a dim line saying it was restored, goes to the
 * pane's directory (saying so when it is gone), and then becomes the user's
 * shell. A pane with something to type or run first says it is ready (a
 * pane option) and waits on a tmux wait-for channel with echo off; restore
 * types the command line into it (and Enter to run it) and wakes it. The
 * shell then reads that line as if the user had typed it at the prompt:
 * shown once, on the prompt line, and in the shell's history.
 *
 * Sessions are built one by one (two tmux calls each, then one for every
 * window's layout, titles, current pane and zoom); the typing waits until
 * every session is built, so one poll of the panes serves them all.
 */
import { mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  BuildError, RESTORED_OPTION, RESTORE_NAME_OPTION, RESTORE_READY_OPTION, TmuxError, buildSession, defaultShell, finishWindow, finishWindows, killSession, readyPanes, releasePanes, selectWindow, signalChannels,
  type PaneRelease, type TmuxClient, type WindowFinish,
} from '../tmux/index.js';
import type { PaneAgent } from '../attention/pane-agents.js';
import { isShell } from './procs.js';
import { foregroundGroup } from '../process/foreground.js';
import type { PanePlan, RestorePlan, SessionPlan } from './plan.js';
import type { SnapshotStore } from './store.js';
import { encodeMark, encodeNameMark } from './pending.js';

/** The wrapper's $0: how a snapshot tells a pane still in it (before it became the shell) from one at its shell. */
export const WRAPPER_NAME = 'roost-restore';

/**
 * $1 scrollback file, $2 directory, $3 wait-for channel ("" for none), then
 * the shell's argv ($4 the shell). Ctrl-C while it waits goes on to the shell (trap), so a
 * restore that died half way never leaves a pane stuck.
 */
export const WRAPPER = [
  'trap : INT',
  'old=$(stty -g 2>/dev/null)',
  // Echo off while restore types, for shells that redisplay what waits in their input (the line shows once, at the prompt); sh and dash do not.
  'quiet=; case "${4##*/}" in bash|zsh|fish) [ -n "$3" ] && quiet=1 && stty -echo 2>/dev/null;; esac',
  'cat -- "$1" 2>/dev/null; rm -f -- "$1"',
  // No directory saved (a dead pane in a snapshot of an earlier version): home, not wherever restore runs.
  'if [ -z "$2" ]; then cd 2>/dev/null; elif ! cd -- "$2" 2>/dev/null; then printf \'\\033[0mroost: %s is not there any more; this shell starts in %s\\n\' "$2" "$HOME"; cd 2>/dev/null; fi',
  `if [ -n "$3" ]; then tmux set-option -p -t "$TMUX_PANE" ${RESTORE_READY_OPTION} ready \\; wait-for "$3"; fi`,
  '[ -n "$quiet" ] && [ -n "$old" ] && stty "$old" 2>/dev/null',
  'trap - INT',
  'shift 3',
  'exec "$@"',
].join('\n');

/** How long (ms) restore waits for panes to be ready to type into; a slow one is typed into anyway. */
export const READY_TIMEOUT_MS = 15_000;
/** Panes released per tmux call (keeps argv short). */
const RELEASE_BATCH = 40;

export type Progress =
  | { type: 'session'; name: string; n: number; total: number; windows: number; panes: number }
  | { type: 'failed'; name: string; n: number; total: number; error: string }
  /** Not running when planned, running when its turn came: another restore (the daemon's at start, a user's) made it. */
  | { type: 'running'; name: string; n: number; total: number; why: string }
  | { type: 'waiting'; panes: number }
  /** Programs restore ran that do not show yet a moment after: it watches them up to `seconds` more. */
  | { type: 'starting'; programs: number; seconds: number };

export interface RestoredSession {
  name: string;
  savedName: string;
  id: string;
  windows: number;
  panes: number;
}

export interface RestoreOutcome {
  generation: number;
  restored: RestoredSession[];
  failed: { name: string; error: string }[];
  /** Sessions left alone because one of that name was running by the time this restore came to make them. */
  skipped: { name: string; why: string }[];
  /** Agents' conversations and programs started again, and seen running (a line that failed, e.g. "command not found", is a note). */
  resumed: number;
  relaunched: number;
  typed: number;
  /** Things that went half right (a layout not applied, scrollback missing or damaged). */
  notes: string[];
}

export interface ExecuteOptions {
  tmux: TmuxClient;
  /** Where the scrollback blobs are. */
  store: SnapshotStore;
  plan: RestorePlan;
  /** A private folder for the scrollback files the wrappers show (each removes its own). */
  scratchDir: string;
  /** Told the new pane of each resumed agent, so the next snapshot knows its session before its hooks report. */
  paneAgents?: { set(a: PaneAgent): void } | undefined;
  progress?: ((p: Progress) => void) | undefined;
  now?: () => number;
  readyTimeoutMs?: number;
}

/** A pane restore typed into: its plan, where it is (session:window.pane, for messages), and its release. */
interface Released {
  pane: PanePlan;
  where: string;
  release: PaneRelease;
}

/** How long (ms) restore watches the panes it ran a program in for that program to show: a login shell's profile, a version manager's shims. */
const START_WAIT_MS = 10_000;
/**
 * How long (ms) a program must hold its pane's terminal to count as started:
 * a line the shell cannot run also forks a child for a moment (and a
 * command-not-found handler may run for a while before the shell is back).
 */
const STEADY_MS = 1000;

const time = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

const BLOB_WORDS = { missing: 'is missing', unreadable: 'cannot be read', damaged: 'is damaged' } as const;

/**
 * The file a pane shows first: its saved lines, colours reset, then a dim
 * line saying where they came from. A blob that is missing or damaged is a
 * note naming its file and what is wrong; the pane is made all the same.
 */
function screenText(p: PanePlan, store: SnapshotStore, plan: RestorePlan, notes: string[], where: string): string {
  let saved = '';
  if (p.scrollback) {
    const r = store.blob(p.scrollback.blob);
    if (!r.ok) notes.push(`${where}: its saved scrollback ${BLOB_WORDS[r.problem]} (${r.file}: ${r.detail}); the pane is restored without it`);
    else if (r.text !== '') saved = `${r.text}\x1b[0m\n`;
  }
  return `${saved}\x1b[2m── restored from snapshot ${plan.generation}, ${time(plan.createdAt)} UTC ──\x1b[0m\n`;
}

export async function executeRestore(o: ExecuteOptions): Promise<RestoreOutcome> {
  const now = o.now ?? Date.now;
  const outcome: RestoreOutcome = { generation: o.plan.generation, restored: [], failed: [], skipped: [], resumed: 0, relaunched: 0, typed: 0, notes: [] };
  if (o.plan.sessions.length === 0) return outcome;
  mkdirSync(o.scratchDir, { recursive: true, mode: 0o700 });
  const shell = (await defaultShell(o.tmux)) ?? o.tmux.env['SHELL'] ?? '/bin/sh';
  const shellArgv = isShell(shell) ? [shell, '-l'] : [shell];
  const tag = `roost-restore-${process.pid}-${randomBytes(4).toString('hex')}`;
  const waiting: Released[] = [];
  let fileNo = 0;

  try {
    const total = o.plan.sessions.length;
    for (const [k, s] of o.plan.sessions.entries()) {
      const n = k + 1;
      try {
        const made = await restoreSession(o, s, shellArgv, () => `${tag}-${++fileNo}`, outcome.notes, now);
        if (!made) {
          // Made since the plan, by another restore (the daemon's at start and a user's can overlap): what we wanted is there.
          const why = `a session named ${s.name} is running (made while this restore ran)`;
          outcome.skipped.push({ name: s.name, why });
          o.progress?.({ type: 'running', name: s.name, n, total, why });
          continue;
        }
        waiting.push(...made.waiting);
        const panes = s.windows.reduce((a, w) => a + w.panes.length, 0);
        outcome.restored.push({ name: s.name, savedName: s.savedName, id: made.id, windows: s.windows.length, panes });
        o.progress?.({ type: 'session', name: s.name, n, total, windows: s.windows.length, panes });
      } catch (e) {
        const error = (e as Error).message.split('\n')[0]!;
        outcome.failed.push({ name: s.name, error });
        o.progress?.({ type: 'failed', name: s.name, n, total, error });
      }
    }
    if (waiting.length) {
      o.progress?.({ type: 'waiting', panes: waiting.length });
      await untilReady(o.tmux, waiting.map((w) => w.release.pane), o.readyTimeoutMs ?? READY_TIMEOUT_MS);
      for (let i = 0; i < waiting.length; i += RELEASE_BATCH) {
        const batch = waiting.slice(i, i + RELEASE_BATCH);
        // Marked with what the pane stands for until its program settles (pending.ts): a snapshot meanwhile keeps it.
        const at = Math.floor(now() / 1000);
        for (const w of batch) {
          const a = w.pane.action;
          if (a.kind !== 'shell' && w.pane.program) w.release.pending = encodeMark({ run: a.kind === 'run', line: a.line, at, program: w.pane.program, agent: w.pane.agent });
        }
        await releasePanes(o.tmux, batch.map((w) => w.release));
        for (const w of batch) if (w.pane.action.kind === 'type') outcome.typed++;
        batch.forEach((w) => (w.release.text = null));
      }
      const ran = waiting.filter((w) => w.pane.action.kind === 'run');
      const started = await untilStarted(o.tmux, ran, (n) => o.progress?.({ type: 'starting', programs: n, seconds: START_WAIT_MS / 1000 }));
      for (const w of ran) {
        const agent = w.pane.action.kind === 'run' && w.pane.action.agent;
        if (!started.has(w.release.pane)) {
          const what = agent ? `${w.pane.program!.name} (its conversation not resumed)` : w.pane.program!.name;
          outcome.notes.push(`${w.where}: ${what} was not running ${START_WAIT_MS / 1000} s after restore ran it; see the pane (a command not found, or a login shell still starting)`);
        } else if (agent) outcome.resumed++;
        else outcome.relaunched++;
      }
    }
  } finally {
    // Wake any wrapper still waiting (an error above): a pane must never stay held.
    const left = waiting.filter((w) => w.release.text !== null).map((w) => w.release.channel);
    await signalChannels(o.tmux, left).catch(() => undefined); // best effort: the wrapper also gives way to Ctrl-C
    try {
      rmdirSync(o.scratchDir);
    } catch {
      // Not empty yet: a wrapper still shows its file (and removes it); the folder is in the runtime dir, cleared at logout.
    }
  }
  return outcome;
}

async function restoreSession(
  o: ExecuteOptions, s: SessionPlan, shellArgv: string[], channel: () => string, notes: string[], now: () => number,
): Promise<{ id: string; waiting: Released[] } | null> {
  const waiting: Released[] = [];
  const channels: string[][] = [];
  const files: string[] = [];
  // Said only for a session this restore makes: one another restore made is not ours to report on.
  const blobNotes: string[] = [];
  // The scrollback files of a session not made: no wrapper will show (and remove) them.
  const dropFiles = () => files.forEach((f) => rmSync(f, { force: true }));
  const windows = s.windows.map((w) => {
    const names: string[] = [];
    channels.push(names);
    return {
      index: w.index,
      name: w.name,
      autoName: w.autoName,
      panes: w.panes.map((p) => {
        const ch = p.action.kind === 'shell' ? '' : channel();
        names.push(ch);
        const file = join(o.scratchDir, `${ch || channel()}.txt`);
        files.push(file);
        // Named as tmux numbers it (session:window.pane, pane-base-index counted), as `roost snapshot show` does.
        writeFileSync(file, screenText(p, o.store, o.plan, blobNotes, `${s.name}:${w.index}.${p.index}`), { mode: 0o600 });
        return { command: ['sh', '-c', WRAPPER, WRAPPER_NAME, file, p.cwd, ch, ...shellArgv] as [string, ...string[]] };
      }),
      // tmux names it after the wrapper, then the shell, before its program: a snapshot meanwhile keeps this name (pending.ts).
      ...(w.autoName ? { options: { [RESTORE_NAME_OPTION]: encodeNameMark({ name: w.name, at: Math.floor(now() / 1000) }) } } : {}),
    };
  });
  const first = s.windows[0]!;
  let built;
  try {
    built = await buildSession(o.tmux, {
      name: s.name, kind: s.kind, width: first.width, height: first.height, windows,
      options: { [RESTORED_OPTION]: String(Math.floor(now() / 1000)) },
    });
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'duplicate') {
      dropFiles();
      return null;
    }
    if (e instanceof BuildError) {
      await killSession(o.tmux, e.sessionId).catch(() => undefined); // half made: remove it; if that fails too the error below says enough
      dropFiles(); // its wrappers are gone with it, or never started
      throw e.cause;
    }
    dropFiles();
    throw e;
  }
  notes.push(...blobNotes);
  const finishes: WindowFinish[] = s.windows.map((w, k) => {
    const ids = built.windows[k]!.panes;
    const titles = new Map<string, string>();
    w.panes.forEach((p, i) => {
      if (p.title !== null) titles.set(ids[i]!, p.title);
      const ch = channels[k]![i]!;
      const a = p.action;
      if (a.kind !== 'shell') waiting.push({ pane: p, where: `${s.name}:${w.index}.${p.index}`, release: { pane: ids[i]!, text: a.line, enter: a.kind === 'run', channel: ch } });
      if (a.kind === 'run' && a.agent && o.paneAgents) {
        o.paneAgents.set({ pane: ids[i]!, tmuxSocket: o.tmux.socketPath(), agent: a.agent.kind as PaneAgent['agent'], sessionId: a.agent.sessionId, cwd: p.cwd, transcriptPath: null, updatedAt: now() });
      }
    });
    return { window: built.windows[k]!.id, layout: w.layout, activePane: ids[w.activePane]!, zoomed: w.zoomed, titles };
  });
  const active = s.windows.findIndex((w) => w.active);
  const current = active >= 0 ? built.windows[active]!.id : null;
  try {
    await finishWindows(o.tmux, finishes, current);
  } catch {
    // One window's layout was refused (the list stopped there): go window by window, so only that one stays tiled and says so.
    for (const [k, f] of finishes.entries()) {
      await finishWindow(o.tmux, f).catch((e: unknown) => notes.push(`${s.name}:${s.windows[k]!.index}: layout not applied (${(e as Error).message.split('\n')[0]})`));
    }
    if (current !== null) await selectWindow(o.tmux, current);
  }
  return { id: built.id, waiting };
}

/**
 * Watch the panes restore ran a program in until each has one running, or
 * the deadline: the panes seen. The pane's own process (the wrapper, then
 * the login shell it becomes) holds the terminal until the shell runs the
 * line, which puts the program (or a shim's script) in the foreground; a
 * line the shell could not run (the program not on its PATH) leaves the
 * terminal with the shell, after a child that lived a moment. A pane counts
 * once its terminal was not the shell's for STEADY_MS in a row (where /proc
 * cannot say, that counts as not the shell's). `waiting(n)` is told once, when n are still not seen
 * two seconds in.
 */
async function untilStarted(tmux: TmuxClient, ran: readonly Released[], waiting: (n: number) => void): Promise<Set<string>> {
  const seen = new Set<string>();
  if (ran.length === 0) return seen;
  // A pane's process stays the same pid (the wrapper execs the shell): one listing, then /proc alone.
  const ids = new Set(ran.map((w) => w.release.pane));
  const want = new Map<string, number>();
  for (const line of (await tmux.run(['list-panes', '-a', '-F', '#{pane_id}\t#{pane_pid}'])).split('\n')) {
    const [id = '', pid = ''] = line.split('\t');
    if (ids.has(id)) want.set(id, Number(pid));
  }
  const start = Date.now();
  /** Since when each pane's program has held the terminal without a break. */
  const since = new Map<string, number>();
  let told = false;
  for (;;) {
    const now = Date.now();
    for (const [id, pid] of want) {
      if (foregroundGroup(pid) === pid) {
        since.delete(id);
        continue;
      }
      if (!since.has(id)) since.set(id, now);
      if (now - since.get(id)! >= STEADY_MS) {
        seen.add(id);
        want.delete(id);
      }
    }
    const waited = Date.now() - start;
    if (want.size === 0 || waited > START_WAIT_MS) break;
    if (!told && waited >= 2000) {
      told = true;
      waiting(want.size);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return seen;
}

/** Poll until every pane said it is ready, or the deadline; one listing per poll for all of them. */
async function untilReady(tmux: TmuxClient, panes: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await readyPanes(tmux);
    if (panes.every((p) => ready.has(p)) || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
