/**
 * The cron loop of the daemon: it sleeps until the earliest next run time,
 * and wakes when the database or config.toml changes (a schedule the CLI
 * added, paused or removed: inotify, src/config/folder-watch.ts); where
 * those cannot be watched it looks every second, as it must. A run time
 * that comes goes to the gate (run-gate.ts: the overlap rule, the guards),
 * which starts the run as a job (every run is a job, with its log) through
 * the run book (run-book.ts: its rows, its timeout, its end). Every run time
 * ends in the history: a run, a skip with its reason, or one "missed N runs"
 * entry. This file owns the time; its Scheduler is the one object the
 * daemon service and the routes hold, so it also wires the other two.
 *
 * Time: each schedule keeps last_due, the latest run time handled; the next
 * is the first cron time after it. Run times that passed before the daemon
 * started (or more than STALE_MS ago: the machine slept) follow the
 * schedule's catch-up rule: `once` runs one now, `none` records "missed N
 * runs". last_due is written before a run starts, so a daemon killed
 * meanwhile never runs the same time twice.
 */
import { statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DB_FILE } from '../store/db.js';
import { watchFolder } from '../config/folder-watch.js';
import type { JobInfo } from '../shared/jobs.js';
import type { RunInfo } from '../shared/schedules.js';
import { nextRuns } from '../config/schedule-spec.js';
import { RunBook } from './run-book.js';
import { RunGate, type RunGateDeps } from './run-gate.js';
import type { ScheduleRow } from './store.js';

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

/** The gate's and the run book's deps (run-gate.ts, run-book.ts), config.toml's path, and an optional clock (tests). */
export interface SchedulerDeps extends Omit<RunGateDeps, 'now'> {
  configFile: string;
  now?: () => number;
}

/** How many of a schedule's latest entries are read to find its last run that started (for the order above). */
const FAIRNESS_LOOKBACK = 50;

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  /** When the timer fires (epoch ms, real clock). */
  private timerAt = Infinity;
  /** Stop the watches of the database and config.toml; null while they do not hold (the loop looks every second). */
  private unwatch: (() => void) | null = null;
  private running = false;
  private startedAt = 0;
  private readonly now: () => number;
  private readonly book: RunBook;
  private readonly gate: RunGate;
  private configStamp = '';
  private ticking: Promise<void> = Promise.resolve();
  /** Looks at the schedules made so far (tests check that an idle loop makes none). */
  looks = 0;

  constructor(private readonly d: SchedulerDeps) {
    this.now = d.now ?? Date.now;
    const parts = { ...d, now: this.now };
    this.book = new RunBook(parts, (schedule) => this.gate.release(schedule));
    this.gate = new RunGate(parts, this.book);
  }

  async start(): Promise<void> {
    this.running = true;
    this.startedAt = this.now();
    this.watchChanges();
    this.syncConfig(true);
    await this.book.recover();
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    this.unwatch?.();
    this.unwatch = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.book.stop();
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
    const store = this.d.schedules.store;
    const due = store.all().flatMap((row) => {
      const first = this.nextDue(row);
      return first === null || first > now ? [] : [{ row, first }];
    });
    // Due at once (two schedules on one cron sharing a lock): the one whose last run started longer ago goes
    // first, so neither wins every time. Skips in between do not count.
    const lastRun = (name: string) => store.history(name, FAIRNESS_LOOKBACK).find((r) => r.started !== null)?.started ?? 0;
    due.sort((a, b) => lastRun(a.row.name) - lastRun(b.row.name));
    for (const { row, first } of due) {
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
          this.gate.fireLogged(row.name, awayLast, 'catch-up');
        } else if (row.spec.catch_up === 'once') {
          // A run time has come since: it is the catch-up.
          this.missed(row.name, away, `missed ${runs(away)} ${why}; the next run time catches up`, awayLast);
        } else {
          this.missed(row.name, away, `missed ${runs(away)} ${why} (catch-up none)`, awayLast);
        }
      }
      if (since === 0) continue;
      if (since > 1) this.missed(row.name, since - 1, `missed ${runs(since - 1)}: the daemon was too busy to start them in time`, latest);
      this.gate.fireLogged(row.name, latest, away > 0 && row.spec.catch_up === 'once' ? 'catch-up' : 'cron');
    }
  }

  private missed(schedule: string, n: number, reason: string, due: number): void {
    this.d.schedules.store.addRun({ schedule, trigger: 'cron', due, outcome: 'missed', reason, missed: n, created: this.now() });
  }

  /** `schedule run NAME`: now, guards applying unless `force`. Resolves with the run's entry (started, or skipped). */
  runNow(name: string, force: boolean): Promise<RunInfo> {
    return this.gate.runNow(name, force);
  }

  /** A job ended (jobs service): if it was a run, record how, tell, and start the run that waited for it. */
  jobEnded(job: JobInfo): void {
    this.book.jobEnded(job);
  }
}
