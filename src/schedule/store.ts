/**
 * The scheduler's tables (schema.ts) as typed calls: one owner for their
 * SQL. Every write is one statement (or one transaction), so the CLI and
 * the daemon can write at once and a crash leaves no half-made row.
 */
import type { Database } from 'better-sqlite3';
import type { ScheduleSpec } from '../config/schedule-spec.js';
import type { ClaudeResult, RunInfo, RunOutcome, RunTrigger } from '../shared/schedules.js';

/** Entries of history kept per schedule (the oldest go first). */
export const HISTORY_KEEP = 1000;

export interface ScheduleRow {
  name: string;
  origin: 'cli' | 'config';
  spec: ScheduleSpec;
  paused: boolean;
  created: number;
  lastDue: number;
}

export interface RunRow extends RunInfo {
  timedOut: number | null;
  created: number;
}

interface RawSchedule { name: string; origin: 'cli' | 'config'; spec: string; paused: number; created: number; last_due: number }
interface RawRun {
  id: number; schedule: string; trigger: RunTrigger; due: number | null; outcome: RunOutcome; reason: string | null; missed: number | null;
  forced: number; job_id: number | null; job_name: string | null; cwd: string | null; started: number | null; ended: number | null;
  exit_code: number | null; signal: string | null; timed_out: number | null; waiting: number | null; claude: string | null; created: number;
}

const toSchedule = (r: RawSchedule): ScheduleRow => ({
  name: r.name, origin: r.origin, spec: JSON.parse(r.spec) as ScheduleSpec, paused: r.paused === 1, created: r.created, lastDue: r.last_due,
});

const toRun = (r: RawRun): RunRow => ({
  id: r.id, schedule: r.schedule, trigger: r.trigger, due: r.due, outcome: r.outcome, reason: r.reason, missed: r.missed,
  forced: r.forced === 1, jobId: r.job_id, job: r.job_name, cwd: r.cwd, started: r.started, ended: r.ended,
  exitCode: r.exit_code, signal: r.signal, timedOut: r.timed_out,
  claude: r.claude === null ? null : JSON.parse(r.claude) as ClaudeResult, created: r.created,
});

/** Only the fields of RunInfo (what the CLI and the API show). */
export function runInfo(r: RunRow): RunInfo {
  const { timedOut: _t, ...info } = r;
  return info;
}

export interface NewRun {
  schedule: string;
  trigger: RunTrigger;
  due: number | null;
  outcome: RunOutcome;
  reason?: string | null;
  missed?: number | null;
  forced?: boolean;
  cwd?: string | null;
  started?: number | null;
  ended?: number | null;
  created: number;
}

export class ScheduleStore {
  constructor(private readonly db: Database) {}

  all(): ScheduleRow[] {
    return (this.db.prepare('SELECT * FROM schedules ORDER BY name').all() as RawSchedule[]).map(toSchedule);
  }

  get(name: string): ScheduleRow | null {
    const r = this.db.prepare('SELECT * FROM schedules WHERE name = ?').get(name) as RawSchedule | undefined;
    return r ? toSchedule(r) : null;
  }

  /** Insert a new schedule; false when the name is taken. */
  insert(row: ScheduleRow): boolean {
    const r = this.db.prepare(`INSERT INTO schedules (name, origin, spec, paused, created, last_due) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(name) DO NOTHING`).run(row.name, row.origin, JSON.stringify(row.spec), row.paused ? 1 : 0, row.created, row.lastDue);
    return r.changes === 1;
  }

  /** A config schedule's spec changed: keep its pause, history and place in time. */
  setSpec(name: string, spec: ScheduleSpec): void {
    this.db.prepare('UPDATE schedules SET spec = ? WHERE name = ?').run(JSON.stringify(spec), name);
  }

  /** Remove a schedule and its history. */
  remove(name: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM schedule_runs WHERE schedule = ?').run(name);
      return this.db.prepare('DELETE FROM schedules WHERE name = ?').run(name).changes === 1;
    })();
  }

  setPaused(name: string, paused: boolean): boolean {
    return this.db.prepare('UPDATE schedules SET paused = ? WHERE name = ?').run(paused ? 1 : 0, name).changes === 1;
  }

  /** Move a schedule's place in time forward (never back). */
  setLastDue(name: string, due: number): void {
    this.db.prepare('UPDATE schedules SET last_due = MAX(last_due, ?) WHERE name = ?').run(due, name);
  }

  addRun(n: NewRun): number {
    const id = Number(this.db.prepare(`INSERT INTO schedule_runs (schedule, trigger, due, outcome, reason, missed, forced, cwd, started, ended, created)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      n.schedule, n.trigger, n.due, n.outcome, n.reason ?? null, n.missed ?? null, n.forced ? 1 : 0, n.cwd ?? null, n.started ?? null, n.ended ?? null, n.created,
    ).lastInsertRowid);
    // Bounded history: the oldest entries past the limit go.
    this.db.prepare(`DELETE FROM schedule_runs WHERE schedule = ? AND id <= (
      SELECT id FROM schedule_runs WHERE schedule = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`).run(n.schedule, n.schedule, HISTORY_KEEP);
    return id;
  }

  run(id: number): RunRow | null {
    const r = this.db.prepare('SELECT * FROM schedule_runs WHERE id = ?').get(id) as RawRun | undefined;
    return r ? toRun(r) : null;
  }

  /** The newest `limit` entries of a schedule, newest first. */
  history(schedule: string, limit: number): RunRow[] {
    return (this.db.prepare('SELECT * FROM schedule_runs WHERE schedule = ? ORDER BY id DESC LIMIT ?').all(schedule, limit) as RawRun[]).map(toRun);
  }

  last(schedule: string): RunRow | null {
    return this.history(schedule, 1)[0] ?? null;
  }

  /** Runs starting or running (of every schedule). */
  live(): RunRow[] {
    return (this.db.prepare("SELECT * FROM schedule_runs WHERE outcome IN ('starting', 'running') ORDER BY id").all() as RawRun[]).map(toRun);
  }

  byJob(jobId: number): RunRow | null {
    const r = this.db.prepare('SELECT * FROM schedule_runs WHERE job_id = ?').get(jobId) as RawRun | undefined;
    return r ? toRun(r) : null;
  }

  setJob(id: number, job: { id: number; name: string; started: number }): void {
    this.db.prepare("UPDATE schedule_runs SET job_id = ?, job_name = ?, started = ?, outcome = 'running' WHERE id = ?").run(job.id, job.name, job.started, id);
  }

  /** Record how a run ended (only once: a run already ended keeps its first word). */
  finish(id: number, f: { outcome: RunOutcome; ended: number; exitCode?: number | null; signal?: string | null; reason?: string | null; claude?: ClaudeResult | null }): boolean {
    return this.db.prepare(`UPDATE schedule_runs SET outcome = ?, ended = ?, exit_code = ?, signal = ?, reason = COALESCE(?, reason), claude = ?
      WHERE id = ? AND outcome IN ('starting', 'running')`).run(
      f.outcome, f.ended, f.exitCode ?? null, f.signal ?? null, f.reason ?? null, f.claude ? JSON.stringify(f.claude) : null, id,
    ).changes === 1;
  }

  setTimedOut(id: number, at: number): void {
    this.db.prepare('UPDATE schedule_runs SET timed_out = ? WHERE id = ?').run(at, id);
  }

}
