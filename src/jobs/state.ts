/**
 * A job's state, from its row and what tmux shows of its pane. Pure: the
 * caller lists tmux (the daemon's feed, or one `list-panes -a` for the CLI)
 * and reads the log's extent.
 *
 *   the runner recorded an end      exited (code) or killed (signal); lost
 *                                   when its terminal hung up first (tmux
 *                                   killed the pane or the server)
 *   Roost recorded it lost          lost
 *   its pane is there and alive     running
 *   its pane is there but dead      lost (the runner died without a word)
 *   its pane is not there           lost, once the job has had time to start
 *                                   (and its session is recorded) and its
 *                                   runner is gone; while the runner lives
 *                                   (it drains the log, then records the
 *                                   end: a killed session), running
 *   its tmux server is not known    running (someone who can see it decides)
 */
import type { JobInfo, JobState } from '../shared/jobs.js';
import type { Extent } from './log-reader.js';
import type { JobRow } from './store.js';

/** How long (ms) a job may take from its row to its runner's first word before a missing pane means lost. */
export const START_GRACE_MS = 60_000;

/** The job's pane as tmux lists it. */
export interface PaneFacts {
  sessionId: string;
  sessionName: string;
  panePid: number;
  dead: boolean;
}

/** The pane of this job in a listing: its session, with the runner's pid when known. */
export function findPane(row: JobRow, panes: readonly PaneFacts[]): PaneFacts | null {
  if (row.sessionId === null) return null;
  return panes.find((p) => p.sessionId === row.sessionId && (row.runnerPid === null || p.panePid === row.runnerPid)) ?? null;
}

export interface Judged {
  state: JobState;
  /** The pane is missing and the job had time to start: record it lost. */
  becameLost: boolean;
}

/**
 * `pane`: the job's pane, null when tmux listed its server without it,
 * undefined when its server was not listed. `listedAt`: when the listing
 * started (epoch ms). `runnerLives`: whether the job's runner process is
 * still there (runner-identity.ts), asked only when the pane is missing.
 */
export function judge(row: JobRow, pane: PaneFacts | null | undefined, listedAt: number, runnerLives: () => boolean): Judged {
  // How the program ended says the state; a hangup (its terminal went first) only when nothing else does
  // (an adopted program's status is not known).
  if (row.ended !== null) return { state: row.signal ? 'killed' : row.hangup && row.exitCode === null ? 'lost' : 'exited', becameLost: false };
  if (row.lost !== null) return { state: 'lost', becameLost: false };
  if (pane === undefined) return { state: 'running', becameLost: false };
  if (pane && !pane.dead) return { state: 'running', becameLost: false };
  if (pane && pane.dead) return { state: 'lost', becameLost: true };
  if (missingMeansLostAfter(row) >= listedAt) return { state: 'running', becameLost: false };
  // The pane went (its session killed) but its runner is still draining the log: its record decides soon.
  return runnerLives() ? { state: 'running', becameLost: false } : { state: 'lost', becameLost: true };
}

/**
 * From when (epoch ms) a listing without the job's pane means the job is lost: its runner's start, or its
 * row's time plus START_GRACE_MS while it has not started. A job without its session id is still being
 * made: the daemon records the id once tmux has made the session and run the commands that follow, while
 * the runner in it may already have recorded its start, so its start does not count yet.
 */
export function missingMeansLostAfter(row: JobRow): number {
  return (row.sessionId !== null ? row.started : null) ?? row.created + START_GRACE_MS;
}

export function jobInfo(row: JobRow, state: JobState, pane: PaneFacts | null | undefined, extent: Extent, notifyDefault: boolean, now: number): JobInfo {
  const started = row.started ?? row.created;
  const ended = row.ended ?? row.lost ?? null;
  return {
    name: row.name,
    id: row.id,
    command: row.command,
    cwd: row.cwd,
    state,
    exitCode: state === 'exited' ? row.exitCode : null,
    signal: state === 'killed' ? row.signal : null,
    pid: row.pid,
    adopted: row.adopted,
    started,
    ended: state === 'running' ? null : ended,
    durationMs: Math.max(0, (state === 'running' ? now : ended ?? now) - started),
    notify: row.notify ?? notifyDefault,
    session: pane ? pane.sessionName : null,
    tmuxSocket: row.tmuxSocket,
    log: { bytes: extent.bytes, start: extent.start, end: extent.end },
  };
}
