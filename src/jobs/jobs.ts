/**
 * Background jobs, as one object for the CLI, the daemon and the features
 * that build on jobs (the scheduler, restore): start, list, stop, remove,
 * adopt, and the retention sweep. It holds no state of its own beyond its
 * dependencies: the database (shared by every process), the state folder,
 * the config, and a tmux client per server a job runs on.
 *
 * @example
 *   const jobs = new Jobs({ db, stateDir, config, tmux, env: process.env });
 *   const job = await jobs.start({ command: ['python', 'train.py'], cwd: '/home/me/work' });
 *   // job.name === 'python-1'; later: (await jobs.get('python-1'))?.state === 'exited'
 */
import { rmSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { Config } from '../config/config.js';
import { killSession, listPaneRows, TmuxClient, TmuxError } from '../tmux/index.js';
import type { JobInfo } from '../shared/jobs.js';
import { JobStore, type JobRow } from './store.js';
import { findPane, jobInfo, judge, type PaneFacts } from './state.js';
import { jobDir, jobsRoot } from './paths.js';
import { runnerLives } from './runner-identity.js';
import { logExtent } from './log-reader.js';
import { startJob, type JobRequest } from './start.js';
import { JobInputError } from './spec.js';
import { stopJob, type StopOptions, type StopOutcome } from './stop.js';

export interface JobsOptions {
  db: Database;
  stateDir: string;
  config: () => Config;
  /** The tmux server new jobs go on (and the one `list` looks at by default). */
  tmux: TmuxClient;
  /** The environment programs inherit, and tmux clients for other servers use. */
  env: NodeJS.ProcessEnv;
  now?: () => number;
}

/** A listing of tmux panes, as `judge` needs it; undefined for a server not listed. */
export type PanesBySocket = Map<string | null, readonly PaneFacts[]>;

export class UnknownJobError extends JobInputError {
  override name = 'UnknownJobError';
  /** `retentionDays`: jobs were removed before, so this one may have been: say how that happens. */
  constructor(name: string, retentionDays: number | null = null) {
    super(`no job named "${name}" (see roost jobs${retentionDays === null ? '' : `; it may have been removed: a finished job goes ${retentionDays} days after its end, [jobs] retention_days, or with roost rm`})`);
  }
}

/** How long (ms) `started` waits for the runner to record the program's start. */
const STARTED_WAIT_MS = 5000;

export class Jobs {
  readonly store: JobStore;
  private readonly now: () => number;

  constructor(private readonly o: JobsOptions) {
    this.store = new JobStore(o.db);
    this.now = o.now ?? Date.now;
  }

  get stateDir(): string {
    return this.o.stateDir;
  }

  /** The tmux server's name (-L) of new jobs; null for the default server. */
  get socket(): string | null {
    return this.o.tmux.socket ?? null;
  }

  /** Start a job (start.ts); `base` resolves a relative cwd. */
  async start(req: JobRequest, opts: { base?: string; env?: NodeJS.ProcessEnv; adopt?: { pid: number; pidStart: number } } = {}): Promise<JobInfo> {
    const row = await startJob({
      db: this.o.db, stateDir: this.o.stateDir, tmux: this.o.tmux, env: opts.env ?? this.o.env,
      logMax: this.o.config().jobs.log_max, now: this.now(), base: opts.base, adopt: opts.adopt,
    }, req);
    return this.describe(row, undefined, this.now());
  }

  /** A row as JobInfo, judged against `panes` (undefined: not listed, shown as its row says). */
  describe(row: JobRow, panes: readonly PaneFacts[] | undefined, listedAt: number): JobInfo {
    const pane = panes === undefined ? undefined : findPane(row, panes);
    let j = judge(row, pane, listedAt, () => this.runnerLives(row));
    let fresh = row;
    if (j.becameLost) {
      this.store.setLost(row.id, listedAt);
      // The runner may have recorded its end since `row` was read (then setLost wrote nothing): its record decides.
      fresh = this.store.byId(row.id) ?? row;
      j = judge(fresh, pane, listedAt, () => false);
    }
    return jobInfo(fresh, j.state, pane, logExtent(jobDir(this.o.stateDir, row.id)), this.o.config().jobs.notify, this.now());
  }

  /** The job's runner still lives: its pane may be gone while it records the end (runner-identity.ts). */
  runnerLives(row: JobRow): boolean {
    return runnerLives(row, this.o.stateDir);
  }

  /**
   * Every job (of this tmux server; `all` for every server), judged against
   * a fresh listing of each server involved, or against `panes` when the
   * caller has one (the daemon's feed).
   */
  async list(opts: { all?: boolean; panes?: PanesBySocket } = {}): Promise<JobInfo[]> {
    const listedAt = this.now();
    const rows = this.store.all().filter((r) => opts.all || r.tmuxSocket === this.socket);
    const panes = opts.panes ?? await this.listPanes(rows);
    return rows.map((r) => this.describe(r, panes.get(r.tmuxSocket), listedAt));
  }

  async get(name: string, panes?: PanesBySocket): Promise<JobInfo | null> {
    const row = this.store.byName(name);
    if (!row) return null;
    const p = panes ?? await this.listPanes([row]);
    return this.describe(row, p.get(row.tmuxSocket), this.now());
  }

  /**
   * The job once its runner has recorded the program's start (its pid), or as it is after `ms`: for
   * `roost run --json`, whose reader wants the session and pid, not the row as it was just made.
   */
  async started(name: string, ms = STARTED_WAIT_MS): Promise<JobInfo | null> {
    for (const deadline = Date.now() + ms; Date.now() < deadline;) {
      const row = this.store.byName(name);
      if (!row || row.started !== null || row.ended !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.get(name);
  }

  /** The row of a job by name, or UnknownJobError. */
  row(name: string): JobRow {
    const row = this.store.byName(name);
    if (!row) throw new UnknownJobError(name, this.store.someRemoved() ? this.o.config().jobs.retention_days : null);
    return row;
  }

  async stop(name: string, o: StopOptions = {}): Promise<StopOutcome> {
    return stopJob(this.store, this.row(name), { now: this.now, ...o });
  }

  /**
   * Forget a finished job: its dead pane's session, its log folder, its row
   * (in that order, so a failure leaves the row to try again). A running job
   * is refused.
   */
  async remove(name: string): Promise<void> {
    const row = this.row(name);
    const info = await this.get(name);
    if (info?.state === 'running') throw new JobInputError(`job "${name}" is running; stop it first (roost stop ${name})`);
    await this.removeRow(row);
  }

  /** Remove every finished job; returns their names. */
  async removeFinished(filter: (j: JobInfo) => boolean = () => true): Promise<string[]> {
    const removed: string[] = [];
    for (const j of await this.list()) {
      if (j.state === 'running' || !filter(j)) continue;
      await this.removeRow(this.store.byId(j.id)!);
      removed.push(j.name);
    }
    return removed;
  }

  /** Remove finished jobs whose end is older than the retention period (config [jobs] retention_days). */
  async sweep(): Promise<string[]> {
    const cutoff = this.now() - this.o.config().jobs.retention_days * 86_400_000;
    return this.removeFinished((j) => j.ended !== null && j.ended < cutoff);
  }

  private async removeRow(row: JobRow): Promise<void> {
    await this.closeSessionsOf([row]);
    rmSync(jobDir(this.o.stateDir, row.id), { recursive: true, force: true });
    this.store.remove(row.id);
  }

  /**
   * Close the sessions of ended jobs `ids` (their dead panes, the last screens), keeping their rows and logs:
   * `roost logs` and `roost jobs` still show them. Running jobs are left alone.
   */
  async closeSessions(ids: readonly number[]): Promise<void> {
    const rows = ids.map((id) => this.store.byId(id)).filter((r): r is JobRow => r !== null && r.sessionId !== null && (r.ended !== null || r.lost !== null));
    await this.closeSessionsOf(rows);
  }

  private async closeSessionsOf(rows: readonly JobRow[]): Promise<void> {
    const bySocket = new Map<string | null, JobRow[]>();
    for (const r of rows) if (r.sessionId) bySocket.set(r.tmuxSocket, [...(bySocket.get(r.tmuxSocket) ?? []), r]);
    for (const [socket, some] of bySocket) {
      const tmux = this.tmuxFor(socket);
      const panes = (await listPaneRows(tmux).catch(() => [])).map(toFacts);
      for (const row of some) {
        // Only the session that is still this job's (same session id, the runner's pane): never a namesake made since.
        if (!findPane(row, panes)) continue;
        await killSession(tmux, row.sessionId!).catch((e: unknown) => {
          if (!(e instanceof TmuxError && (e.kind === 'no-session' || e.kind === 'no-server'))) throw e;
        });
      }
    }
  }

  /** The folder holding every job's folder (for checks and docs). */
  get root(): string {
    return jobsRoot(this.o.stateDir);
  }

  tmuxFor(socket: string | null): TmuxClient {
    if (socket === this.socket) return this.o.tmux;
    return new TmuxClient({ socket: socket ?? undefined, env: this.o.env });
  }

  /** One `list-panes -a` per server the rows run on; a server that cannot be asked is left out (its jobs keep their row's word). */
  private async listPanes(rows: readonly JobRow[]): Promise<PanesBySocket> {
    const out: PanesBySocket = new Map();
    const sockets = new Set(rows.map((r) => r.tmuxSocket));
    for (const s of sockets) {
      try {
        out.set(s, (await listPaneRows(this.tmuxFor(s))).map(toFacts));
      } catch {
        // tmux not installed, or a stuck server: those jobs are shown as their rows say, not judged lost.
      }
    }
    return out;
  }
}

export function toFacts(r: { sessionId: string; sessionName: string; panePid: number; paneDead: boolean }): PaneFacts {
  return { sessionId: r.sessionId, sessionName: r.sessionName, panePid: r.panePid, dead: r.paneDead };
}
