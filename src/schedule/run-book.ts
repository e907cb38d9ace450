/**
 * A run's record, from its job's start to its end: the rows, the timeout,
 * the end, the notifications. Apart from the decision (run-gate.ts) and the
 * loop (scheduler.ts) because a run outlives both: its end arrives from the
 * jobs service, or from the next daemon, long after the tick that started it.
 *
 * A run's row is written before its job starts ("starting") and again with
 * the job ("running"), so the next daemon finds every run a killed one left:
 * its job still running (re-armed: its timeout, its end), ended (recorded
 * now), or gone ("lost"). A run past its timeout gets TERM, then KILL after
 * TIMEOUT_GRACE_MS.
 */
import type { JobInfo } from '../shared/jobs.js';
import type { RunTrigger } from '../shared/schedules.js';
import type { NotifyEvent } from '../notify/event.js';
import type { Log } from '../server/log.js';
import type { Jobs } from '../jobs/jobs.js';
import { jobDir } from '../jobs/paths.js';
import { JobInputError } from '../jobs/spec.js';
import { parseDuration } from '../config/schedule-spec.js';
import { claudeResultOf, isHeadlessClaude } from './claude-result.js';
import { endKind, scheduleEvent, type ScheduleKind } from './notify-events.js';
import { runDirectory, type Schedules } from './schedules.js';
import { runInfo, type RunRow, type ScheduleRow } from './store.js';

/** A timed-out run gets this long (ms) after TERM before KILL. */
const TIMEOUT_GRACE_MS = 5000;

/** How many counted names ("nightly-42-1" ...) a run tries after its own is in use, before it fails with the last refusal. */
const NAME_TRIES = 50;

/** How many of a schedule's latest entries are read to find the run before a failed start (skips in between). */
const STREAK_LOOKBACK = 20;
/** How many of a schedule's latest entries are looked at for sessions to close (each end closes the one before). */
const CLOSE_LOOKBACK = 20;

/** What the run book takes of the scheduler's deps (SchedulerDeps), with the clock settled. */
export interface RunBookDeps {
  schedules: Schedules;
  jobs: Jobs;
  stateDir: string;
  notify(e: NotifyEvent): void;
  log: Log;
  now: () => number;
}

export class RunBook {
  private readonly timeouts = new Map<number, NodeJS.Timeout>();

  /** `ended` hears of each run whose end was recorded (the overlap queue's run may start). */
  constructor(private readonly d: RunBookDeps, private readonly ended: (schedule: string) => void) {}

  /** Clear the timeouts (the daemon stops; the next one re-arms them). */
  stop(): void {
    for (const t of this.timeouts.values()) clearTimeout(t);
    this.timeouts.clear();
  }

  /** Start a run that passed its checks: its row, its job, its timeout. Returns the history entry's id. */
  async start(row: ScheduleRow, due: number | null, trigger: RunTrigger, force: boolean): Promise<number> {
    const store = this.d.schedules.store;
    const { name, spec } = row;
    const cwd = runDirectory(spec, this.d.schedules.home);
    const id = store.addRun({ schedule: name, trigger, due, outcome: 'starting', forced: force, cwd, created: this.d.now() });
    try {
      const job = await this.startJob(name, id, spec.command, cwd, spec.env);
      store.setJob(id, { id: job.id, name: job.name, started: job.started });
      const ms = spec.timeout === undefined ? null : parseDuration(spec.timeout);
      if (ms !== null) this.armTimeout(id, job.started + ms);
    } catch (e) {
      const message = e instanceof JobInputError ? e.message : `could not start: ${(e as Error).message}`;
      store.finish(id, { outcome: 'failed', ended: this.d.now(), reason: message });
      this.d.log.warn(`schedule ${name}: ${message}`);
      // A program that is not there fails the same way at every run time: told once, until a run starts.
      const before = store.history(name, STREAK_LOOKBACK).find((r) => r.id < id && r.outcome !== 'skipped' && r.outcome !== 'missed');
      const again = before !== undefined && before.outcome === 'failed' && before.jobId === null && before.reason === message;
      if (!again) this.tellEnd(row, store.run(id)!);
    }
    return id;
  }

  /**
   * Start the run's job, named after the schedule and the run ("nightly-42"). A name in use (a session, or a
   * job kept from before, e.g. of a schedule removed and added again) gets a count ("nightly-42-1", -2, ...):
   * still the schedule's name, never the program's automatic one ("sh-1"), which says nothing of whose run it is.
   */
  private async startJob(name: string, runId: number, command: string[], cwd: string, env: string[]): Promise<JobInfo> {
    for (let n = 0; ; n++) {
      const suffix = n === 0 ? `-${runId}` : `-${runId}-${n}`;
      const jobName = `${name.slice(0, 64 - suffix.length)}${suffix}`;
      try {
        return await this.d.jobs.start({ name: jobName, command, cwd, env, notify: false });
      } catch (e) {
        if (!(e instanceof JobInputError) || !/is in use/.test(e.message) || n >= NAME_TRIES) throw e;
      }
    }
  }

  private armTimeout(runId: number, at: number): void {
    const t = setTimeout(() => {
      this.timeouts.delete(runId);
      const run = this.d.schedules.store.run(runId);
      if (!run || !run.job || (run.outcome !== 'running' && run.outcome !== 'starting')) return;
      this.d.schedules.store.setTimedOut(runId, this.d.now());
      this.d.jobs.stop(run.job, { graceMs: TIMEOUT_GRACE_MS }).catch((e: unknown) => {
        // The job may have ended meanwhile (its end is recorded as such) or been removed: nothing more to stop.
        this.d.log.warn({ err: e as Error }, `stopping ${run.job} at its timeout failed`);
      });
    }, Math.max(0, at - this.d.now()));
    this.timeouts.set(runId, t);
  }

  /** A job ended (jobs service): if it was a run, record how, tell, and hand the schedule to `ended`. */
  jobEnded(job: JobInfo): void {
    const store = this.d.schedules.store;
    const run = store.byJob(job.id);
    if (!run || (run.outcome !== 'running' && run.outcome !== 'starting')) return;
    const t = this.timeouts.get(run.id);
    if (t) clearTimeout(t);
    this.timeouts.delete(run.id);
    const fresh = store.run(run.id) ?? run;
    const outcome = fresh.timedOut !== null ? 'timed-out'
      : job.state === 'lost' ? 'lost'
        : job.state === 'exited' && (job.exitCode === 0 || job.exitCode === null) ? 'succeeded' : 'failed';
    const row = store.get(run.schedule);
    let claude = null;
    if (row && isHeadlessClaude(job.command)) {
      try {
        claude = claudeResultOf(jobDir(this.d.stateDir, job.id));
      } catch {
        // An unreadable log leaves the run without its Claude result, not without its end.
      }
    }
    const reason = outcome === 'lost' ? 'nobody saw its job end (the machine rebooted, or its runner was killed)' : null;
    if (!store.finish(run.id, { outcome, ended: job.ended ?? this.d.now(), exitCode: job.exitCode, signal: job.signal, reason, claude })) return;
    if (row) this.tellEnd(row, store.run(run.id)!);
    this.closeOlderSessions(run.schedule, run.id);
    this.ended(run.schedule);
  }

  /**
   * Only the newest ended run of a schedule keeps its session (its last screen): an every-minute schedule
   * would otherwise leave 1,440 sessions a day in `roost ls` and in every listing. Logs and history stay.
   */
  private closeOlderSessions(schedule: string, newest: number): void {
    const older = this.d.schedules.store.history(schedule, CLOSE_LOOKBACK).filter((r) => r.id < newest && r.jobId !== null && r.outcome !== 'running' && r.outcome !== 'starting');
    if (older.length === 0) return;
    this.d.jobs.closeSessions(older.map((r) => r.jobId!)).catch((e: unknown) => this.d.log.warn({ err: e as Error }, `schedule ${schedule}: closing the sessions of its older runs failed`));
  }

  /** Runs a killed daemon left: found again (running: timeout re-armed), ended meanwhile (recorded), or lost. */
  async recover(): Promise<void> {
    const store = this.d.schedules.store;
    for (const run of store.live()) {
      if (run.jobId === null || run.job === null) {
        store.finish(run.id, { outcome: 'lost', ended: this.d.now(), reason: 'the daemon stopped while starting it' });
        continue;
      }
      const jobRow = this.d.jobs.store.byId(run.jobId);
      if (!jobRow) {
        store.finish(run.id, { outcome: 'lost', ended: this.d.now(), reason: 'its job is gone (removed)' });
        continue;
      }
      const info = await this.d.jobs.get(jobRow.name);
      if (info && info.state !== 'running' && jobRow.told !== null) {
        // Ended, and the jobs service told its end before this daemon listened: record it now.
        this.jobEnded(info);
        continue;
      }
      const spec = store.get(run.schedule)?.spec;
      const ms = spec?.timeout === undefined ? null : parseDuration(spec.timeout);
      if (ms !== null && run.started !== null && run.timedOut === null) this.armTimeout(run.id, run.started + ms);
    }
  }

  tell(row: ScheduleRow, run: RunRow, kind: ScheduleKind): void {
    if (row.spec.notify === 'never') return;
    const timeoutMs = row.spec.timeout === undefined ? null : parseDuration(row.spec.timeout);
    this.d.notify(scheduleEvent(row.name, runInfo(run), kind, this.d.now(), timeoutMs));
  }

  private tellEnd(row: ScheduleRow, run: RunRow): void {
    const kind = endKind(run);
    if (kind === null) return;
    if (kind === 'schedule-succeeded' && row.spec.notify !== 'always') return;
    this.tell(row, run, kind);
  }
}
