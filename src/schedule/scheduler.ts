/**
 * The cron loop of the daemon: when a schedule's time comes, the overlap
 * rule and the guards are checked, then the run starts as a job (every run
 * is a job, with its log), and its end is recorded when the jobs service
 * hears of it. Every run time ends in the history: a run, a skip with its
 * reason, or one "missed N runs" entry. The loop sleeps until the earliest
 * next run time, and wakes when the database or config.toml changes (a
 * schedule the CLI added, paused or removed: inotify, src/config/folder-watch.ts);
 * where those cannot be watched it looks every second, as it must.
 *
 * Time: each schedule keeps last_due, the latest run time handled; the next
 * is the first cron time after it. Run times that passed before the daemon
 * started (or more than STALE_MS ago: the machine slept) follow the
 * schedule's catch-up rule: `once` runs one now, `none` records "missed N
 * runs". last_due is written before a run starts, so a daemon killed
 * meanwhile never runs the same time twice.
 *
 * A run's row is written before its job starts ("starting") and again with
 * the job ("running"), so the next daemon finds every run a killed one left:
 * its job still running (re-armed: its timeout, its end), ended (recorded
 * now), or gone ("lost").
 */
import { loadavg } from 'node:os';
import { statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DB_FILE } from '../store/db.js';
import { watchFolder } from '../config/folder-watch.js';
import type { SessionInfo } from '../shared/api.js';
import type { JobInfo } from '../shared/jobs.js';
import type { RunInfo, RunTrigger } from '../shared/schedules.js';
import type { NotifyEvent } from '../notify/event.js';
import type { Log } from '../server/log.js';
import { listClients, type ClientRow, type TmuxClient } from '../tmux/index.js';
import { foregroundReader } from './foreground.js';
import type { Jobs } from '../jobs/jobs.js';
import { jobDir } from '../jobs/paths.js';
import { JobInputError } from '../jobs/spec.js';
import { guardsOf, nextRuns, parseDuration } from '../config/schedule-spec.js';
import { firstObjection, type GuardFacts } from './guards.js';
import { claudeResultOf, isHeadlessClaude } from './claude-result.js';
import { endKind, scheduleEvent, type ScheduleKind } from './notify-events.js';
import { runDirectory, ScheduleInputError, type Schedules } from './schedules.js';
import { runInfo, type RunRow, type ScheduleRow } from './store.js';

/** Longest sleep of the loop (ms) while the database and config.toml are watched: a net for a change no watch told. */
const MAX_SLEEP_MS = 60_000;
/** Longest sleep (ms) where they cannot be watched: how soon a schedule added by the CLI is seen. */
const POLL_MS = 1000;
/** A change seen by a watch is looked at this long (ms) after it: the statements of one CLI command are one look. */
const SETTLE_MS = 20;
/** A run time this late (ms) while the daemon ran means it was not running (the machine slept): catch-up rules apply. */
const STALE_MS = 60_000;
/** Most run times counted in one "missed N runs" (a per-second schedule down for a week stops counting). */
const MAX_COUNT = 10_000;
/** A timed-out run gets this long (ms) after TERM before KILL. */
const TIMEOUT_GRACE_MS = 5000;

export interface SchedulerDeps {
  schedules: Schedules;
  jobs: Jobs;
  stateDir: string;
  tmux: TmuxClient;
  configFile: string;
  /** A fresh sessions listing (the feed's). */
  sessions(): Promise<SessionInfo[]>;
  /** Minutes of no input after which an attached client no longer counts as a person. */
  presentMinutes(): number;
  notify(e: NotifyEvent): void;
  log: Log;
  now?: () => number;
}

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  /** When the timer fires (epoch ms, real clock). */
  private timerAt = Infinity;
  /** Stop the watches of the database and config.toml; null while they do not hold (the loop looks every second). */
  private unwatch: (() => void) | null = null;
  private running = false;
  private startedAt = 0;
  private readonly now: () => number;
  /** Schedules whose run is being started (between the checks and the job's row). */
  private readonly starting = new Set<string>();
  /** One waiting run per schedule (overlap queue). */
  private readonly queued = new Map<string, { due: number | null; trigger: RunTrigger }>();
  private readonly timeouts = new Map<number, NodeJS.Timeout>();
  /** Schedules in a streak of guard skips that has been told. */
  private readonly skipping = new Set<string>();
  private configStamp = '';
  private ticking: Promise<void> = Promise.resolve();
  /** Looks at the schedules made so far (tests check that an idle loop makes none). */
  looks = 0;

  constructor(private readonly d: SchedulerDeps) {
    this.now = d.now ?? Date.now;
  }

  async start(): Promise<void> {
    this.running = true;
    this.startedAt = this.now();
    this.watchChanges();
    this.syncConfig(true);
    await this.recover();
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    this.unwatch?.();
    this.unwatch = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const t of this.timeouts.values()) clearTimeout(t);
    this.timeouts.clear();
  }

  /** Wait for the tick in progress (tests, stop). */
  idle(): Promise<void> {
    return this.ticking;
  }

  /** Wake on writes to the database (any process's) and on config.toml changing; both or neither. */
  private watchChanges(): void {
    const wake = () => {
      // A look already due within the settle time covers this change too (and a stream of writes never puts it off).
      if (this.timer && this.timerAt <= Date.now() + SETTLE_MS) return;
      this.schedule(SETTLE_MS);
    };
    const db = watchFolder(this.d.stateDir, (n) => n === DB_FILE || n === `${DB_FILE}-wal`, wake);
    const config = watchFolder(dirname(this.d.configFile), (n) => n === basename(this.d.configFile), wake);
    if (db && config) {
      this.unwatch = () => {
        db();
        config();
      };
      return;
    }
    db?.();
    config?.();
    this.d.log.warn('the scheduler cannot watch its files (inotify): it looks for schedule changes every second');
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = Date.now() + Math.max(0, ms);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.ticking = this.tick().catch((e: unknown) => this.d.log.warn({ err: e as Error }, 'the scheduler loop failed; it goes on'));
      void this.ticking.then(() => {
        let ms = POLL_MS;
        try {
          ms = this.sleepMs();
        } catch (e) {
          // The database busy: look again in a second.
          this.d.log.warn({ err: e as Error }, 'the scheduler could not read its schedules');
        }
        this.schedule(ms);
      });
    }, Math.max(0, ms));
  }

  /** config.toml's schedules into the table when the file changed (or `force`). */
  private syncConfig(force = false): void {
    let stamp = 'none';
    try {
      const st = statSync(this.d.configFile);
      stamp = `${st.mtimeMs}:${st.size}`;
    } catch {
      // No config file: no config schedules (sync removes any left).
    }
    if (!force && stamp === this.configStamp) return;
    this.configStamp = stamp;
    try {
      for (const w of this.d.schedules.sync()) this.d.log.warn(w);
    } catch (e) {
      // An invalid config.toml: its schedules stay as they were until it is fixed (roost doctor says what is wrong).
      this.d.log.warn({ err: e as Error }, 'config.toml could not be read; its schedules are unchanged');
    }
  }

  private readonly nextCache = new Map<string, number | null>();

  /** The first run time after the schedule's last handled one (cached: croner is not free for 100 schedules a second). */
  private nextDue(row: ScheduleRow): number | null {
    const key = `${row.name}\0${row.lastDue}\0${row.spec.cron}\0${row.spec.tz ?? ''}`;
    if (this.nextCache.has(key)) return this.nextCache.get(key)!;
    let next: number | null = null;
    try {
      next = nextRuns(row.spec.cron, row.spec.tz, row.lastDue, 1)[0] ?? null;
    } catch {
      next = null; // A zone gone from the system: the schedule waits (ls shows no next run).
    }
    if (this.nextCache.size > 10_000) this.nextCache.clear();
    this.nextCache.set(key, next);
    return next;
  }

  private sleepMs(): number {
    const now = this.now();
    let ms = this.unwatch ? MAX_SLEEP_MS : POLL_MS;
    for (const row of this.d.schedules.store.all()) {
      if (row.paused) continue;
      const next = this.nextDue(row);
      if (next !== null) ms = Math.min(ms, next - now);
    }
    return ms;
  }

  private async tick(): Promise<void> {
    this.looks++;
    this.syncConfig();
    const now = this.now();
    for (const row of this.d.schedules.store.all()) {
      const first = this.nextDue(row);
      if (first === null || first > now) continue;
      // Every run time up to now, in two parts: those the daemon was not there for
      // (before it started, or long past: the machine slept), and those since.
      const missedBefore = (t: number) => t <= this.startedAt || now - t > STALE_MS;
      let away = 0;
      let awayLast = 0;
      let since = 0;
      let latest = first;
      for (let t: number | undefined = first; t !== undefined && t <= now && away + since < MAX_COUNT; t = nextRuns(row.spec.cron, row.spec.tz, t, 1)[0]) {
        latest = t;
        if (missedBefore(t)) {
          away++;
          awayLast = t;
        } else since++;
      }
      this.d.schedules.store.setLastDue(row.name, latest);
      if (row.paused) continue;
      const runs = (n: number) => `${n} run${n === 1 ? '' : 's'}`;
      if (away > 0) {
        const why = awayLast <= this.startedAt ? 'while the daemon was down' : 'while the daemon was not running (the machine slept?)';
        if (row.spec.catch_up === 'once' && since === 0) {
          if (away > 1) this.missed(row.name, away - 1, `missed ${runs(away - 1)} ${why}; caught up once`, awayLast);
          this.fireLogged(row.name, awayLast, 'catch-up');
        } else if (row.spec.catch_up === 'once') {
          // A run time has come since: it is the catch-up.
          this.missed(row.name, away, `missed ${runs(away)} ${why}; the next run time catches up`, awayLast);
        } else {
          this.missed(row.name, away, `missed ${runs(away)} ${why} (catch-up none)`, awayLast);
        }
      }
      if (since === 0) continue;
      if (since > 1) this.missed(row.name, since - 1, `missed ${runs(since - 1)}: the daemon was too busy to start them in time`, latest);
      this.fireLogged(row.name, latest, away > 0 && row.spec.catch_up === 'once' ? 'catch-up' : 'cron');
    }
  }

  /** fire() in the background: a failure (the database busy) is logged; the next run time tries again. */
  private fireLogged(name: string, due: number | null, trigger: RunTrigger): void {
    this.fire(name, due, trigger).catch((e: unknown) => this.d.log.warn({ err: e as Error }, `schedule ${name}: the run could not be handled`));
  }

  private missed(schedule: string, n: number, reason: string, due: number): void {
    this.d.schedules.store.addRun({ schedule, trigger: 'cron', due, outcome: 'missed', reason, missed: n, created: this.now() });
  }

  /** `schedule run NAME`: now, guards applying unless `force`. Resolves with the run's entry (started, or skipped). */
  async runNow(name: string, force: boolean): Promise<RunInfo> {
    const row = this.d.schedules.row(name);
    const id = await this.fire(row.name, null, 'manual', force);
    if (id === null) throw new ScheduleInputError(`schedule "${row.name}" was removed meanwhile`);
    return runInfo(this.d.schedules.store.run(id)!);
  }

  /**
   * Whether a run's program may still run: its job's runner records the end
   * at once, while the run's own row waits for the jobs service's next
   * listing (up to a second) — a 1 s schedule must not skip for that.
   */
  private alive(run: RunRow): boolean {
    if (run.jobId === null) return true;
    const job = this.d.jobs.store.byId(run.jobId);
    return job !== null && job.ended === null && job.lost === null;
  }

  /**
   * Record now the end of `schedule`'s runs whose job's runner has recorded
   * it, rather than at the jobs service's next listing: the run that waited
   * for one (overlap queue) then starts before a run time that comes meanwhile,
   * which follows the overlap rule behind it.
   */
  private settleEnded(schedule: string): void {
    for (const run of this.d.schedules.store.live()) {
      if (run.schedule !== schedule || run.jobId === null) continue;
      const job = this.d.jobs.store.byId(run.jobId);
      if (job && (job.ended !== null || job.lost !== null)) this.jobEnded(this.d.jobs.describe(job, undefined, this.now()));
    }
  }

  private liveRun(schedule: string): RunRow | null {
    return this.d.schedules.store.live().find((r) => r.schedule === schedule && this.alive(r)) ?? null;
  }

  /**
   * One run time of a schedule: the overlap rule, the guards, the job.
   * Returns the history entry's id, or null when the run was queued.
   */
  async fire(name: string, due: number | null, trigger: RunTrigger, force = false): Promise<number | null> {
    const store = this.d.schedules.store;
    const row = store.get(name);
    if (!row) return null;
    const spec = row.spec;
    const skip = (reason: string) => store.addRun({ schedule: name, trigger, due, outcome: 'skipped', reason, forced: force, created: this.now() });
    this.settleEnded(name);
    const live = this.liveRun(name);
    if (live || this.starting.has(name)) {
      const what = live?.job ? `job ${live.job}` : 'it is starting';
      // A run time waits (queue); `schedule run` asks for now, and is told why not.
      if (spec.overlap === 'queue' && trigger !== 'manual' && !this.queued.has(name)) {
        this.queued.set(name, { due, trigger: 'queued' });
        return null;
      }
      return skip(spec.overlap === 'queue' && trigger !== 'manual'
        ? `the previous run (${what}) is still running and a run already waits for it (overlap queue)`
        : `the previous run (${what}) is still running (overlap skip)`);
    }
    this.starting.add(name);
    try {
      if (!force) {
        let why: string | null;
        try {
          why = await this.objection(row);
        } catch (e) {
          // tmux not answering: a guard that cannot look must not let the run through.
          why = `the guards could not be checked: ${(e as Error).message.split('\n')[0]}`;
        }
        if (why !== null) {
          const id = skip(why);
          if (!this.skipping.has(name)) {
            this.skipping.add(name);
            this.tell(row, store.run(id)!, 'schedule-skipped');
          }
          return id;
        }
      }
      this.skipping.delete(name);
      const cwd = runDirectory(spec, this.d.schedules.home);
      const id = store.addRun({ schedule: name, trigger, due, outcome: 'starting', forced: force, cwd, created: this.now() });
      try {
        const job = await this.startJob(name, id, spec.command, cwd, spec.env);
        store.setJob(id, { id: job.id, name: job.name, started: job.started });
        const ms = spec.timeout === undefined ? null : parseDuration(spec.timeout);
        if (ms !== null) this.armTimeout(id, job.started + ms);
      } catch (e) {
        const message = e instanceof JobInputError ? e.message : `could not start: ${(e as Error).message}`;
        store.finish(id, { outcome: 'failed', ended: this.now(), reason: message });
        this.d.log.warn(`schedule ${name}: ${message}`);
        this.tellEnd(row, store.run(id)!);
      }
      return id;
    } finally {
      this.starting.delete(name);
    }
  }

  /** Start the run's job, named after the schedule and the run ("nightly-42"); the automatic name when a session has that one. */
  private async startJob(name: string, runId: number, command: string[], cwd: string, env: string[]): Promise<JobInfo> {
    const suffix = `-${runId}`;
    const jobName = `${name.slice(0, 64 - suffix.length)}${suffix}`;
    try {
      return await this.d.jobs.start({ name: jobName, command, cwd, env, notify: false });
    } catch (e) {
      if (!(e instanceof JobInputError) || !/is in use/.test(e.message)) throw e;
      return this.d.jobs.start({ command, cwd, env, notify: false });
    }
  }

  /** Why the guards stop this schedule now, or null. Looks at tmux and /proc only when a guard needs them. */
  private async objection(row: ScheduleRow): Promise<string | null> {
    const guards = guardsOf(row.spec);
    const needsTmux = guards.length === 0 || guards.some((g) => g.kind === 'busy' || g.kind === 'present');
    let sessions: readonly SessionInfo[] = [];
    let clients: readonly ClientRow[] = [];
    if (needsTmux) {
      [sessions, clients] = await Promise.all([this.d.sessions(), listClients(this.d.tmux)]);
    }
    const facts: GuardFacts = {
      sessions, clients,
      foreground: foregroundReader(),
      load1: loadavg()[0] ?? 0,
      lockHolder: (lock) => this.lockHolder(lock, row.name),
      now: this.now(),
      presentMs: this.d.presentMinutes() * 60_000,
    };
    return firstObjection(guards, row.spec.command, facts);
  }

  private lockHolder(lock: string, except: string): string | null {
    const holders = new Set([...this.d.schedules.store.live().filter((r) => this.alive(r)).map((r) => r.schedule), ...this.starting]);
    holders.delete(except);
    for (const name of holders) {
      const row = this.d.schedules.store.get(name);
      if (row && row.spec.guards.includes(`lock:${lock}`)) return name;
    }
    return null;
  }

  private armTimeout(runId: number, at: number): void {
    const t = setTimeout(() => {
      this.timeouts.delete(runId);
      const run = this.d.schedules.store.run(runId);
      if (!run || !run.job || (run.outcome !== 'running' && run.outcome !== 'starting')) return;
      this.d.schedules.store.setTimedOut(runId, this.now());
      this.d.jobs.stop(run.job, { graceMs: TIMEOUT_GRACE_MS }).catch((e: unknown) => {
        // The job may have ended meanwhile (its end is recorded as such) or been removed: nothing more to stop.
        this.d.log.warn({ err: e as Error }, `stopping ${run.job} at its timeout failed`);
      });
    }, Math.max(0, at - this.now()));
    this.timeouts.set(runId, t);
  }

  /** A job ended (jobs service): if it was a run, record how, tell, and start the run that waited for it. */
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
    const reason = outcome === 'lost' ? 'tmux lost its job (the server was killed, or the machine rebooted)' : null;
    if (!store.finish(run.id, { outcome, ended: job.ended ?? this.now(), exitCode: job.exitCode, signal: job.signal, reason, claude })) return;
    if (row) this.tellEnd(row, store.run(run.id)!);
    const q = this.queued.get(run.schedule);
    if (q) {
      this.queued.delete(run.schedule);
      this.fireLogged(run.schedule, q.due, q.trigger);
    }
  }

  /** A listing: a live run whose agent asks for input is told once. */
  listing(sessions: readonly SessionInfo[]): void {
    const store = this.d.schedules.store;
    for (const run of store.live()) {
      if (!run.job || run.waiting !== null) continue;
      const s = sessions.find((x) => x.name === run.job && x.kind === 'job');
      if (!s || !s.windows.some((w) => w.agent === 'needs-permission')) continue;
      if (!store.markWaiting(run.id, this.now())) continue;
      const row = store.get(run.schedule);
      if (row) this.tell(row, store.run(run.id)!, 'schedule-waiting');
    }
  }

  /** Runs a killed daemon left: found again (running: timeout re-armed), ended meanwhile (recorded), or lost. */
  private async recover(): Promise<void> {
    const store = this.d.schedules.store;
    for (const run of store.live()) {
      if (run.jobId === null || run.job === null) {
        store.finish(run.id, { outcome: 'lost', ended: this.now(), reason: 'the daemon stopped while starting it' });
        continue;
      }
      const jobRow = this.d.jobs.store.byId(run.jobId);
      if (!jobRow) {
        store.finish(run.id, { outcome: 'lost', ended: this.now(), reason: 'its job is gone (removed)' });
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

  private tell(row: ScheduleRow, run: RunRow, kind: ScheduleKind): void {
    if (row.spec.notify === 'never') return;
    this.d.notify(scheduleEvent(row.name, runInfo(run), kind, this.now()));
  }

  private tellEnd(row: ScheduleRow, run: RunRow): void {
    const kind = endKind(run);
    if (kind === null) return;
    if (kind === 'schedule-succeeded' && row.spec.notify !== 'always') return;
    this.tell(row, run, kind);
  }
}
