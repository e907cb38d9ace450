/**
 * Schedules as one object for the CLI, the HTTP API and the daemon: add,
 * remove, pause, resume, list, show, history, and the copy of config.toml's
 * `[schedules.NAME]` into the table (sync). Every change is checked first
 * (scheduleSpecSchema, the name rule, the directory) and refused with one
 * line (ScheduleInputError) before anything is written. It holds no state
 * beyond the database; the daemon notices changes by itself.
 */
import type { Database } from 'better-sqlite3';
import type * as z from 'zod';
import { checkName } from '../shared/names.js';
import type { ScheduleInfo, RunInfo } from '../shared/schedules.js';
import type { Config } from '../config/config.js';
import { expandHome } from '../config/config.js';
import { nextRuns, parseDuration, scheduleSpecSchema, type ScheduleSpec, type ScheduleSpecInput } from '../config/schedule-spec.js';
import { checkDirectory, JobInputError } from '../jobs/spec.js';
import { missingProgram } from '../process/programs.js';
import { runInfo, ScheduleStore, type ScheduleRow } from './store.js';

export class ScheduleInputError extends Error {
  override name = 'ScheduleInputError';
}

export class UnknownScheduleError extends ScheduleInputError {
  override name = 'UnknownScheduleError';
  constructor(name: string) {
    super(`no schedule named "${name}" (see roost schedule ls)`);
  }
}

/** How a spec key is named to the person who gave it (an option for the CLI, the key for the API). */
export type KeyNamer = (key: string) => string;

export const apiKeys: KeyNamer = (k) => k;

/** The first problem of a spec as one line: "KEY: reason". */
export function specProblem(error: z.ZodError, keyName: KeyNamer): string {
  const issue = error.issues[0]!;
  let key = issue.path[0];
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    key = issue.keys[0];
    message = 'unknown key';
  }
  return typeof key === 'string' ? `${keyName(key)}: ${message}` : message;
}

/** A schedule's spec checked, or a ScheduleInputError naming the key. */
export function checkSpec(input: unknown, keyName: KeyNamer): ScheduleSpec {
  const r = scheduleSpecSchema.safeParse(input);
  if (!r.success) throw new ScheduleInputError(specProblem(r.error, keyName));
  return r.data;
}

export function checkScheduleName(value: unknown): string {
  const c = checkName(value, 'schedule name');
  if (!c.ok) throw new ScheduleInputError(c.error);
  return c.name;
}

/** The folder a spec runs in: its cwd with "~" expanded, or home. */
export function runDirectory(spec: ScheduleSpec, home: string): string {
  return spec.cwd === undefined ? home : expandHome(spec.cwd, home);
}

/**
 * A just-added schedule's program not found, as a warning (the CLI's stderr,
 * the API's `warnings`), or null. Not a refusal, as `roost run` makes it:
 * runs start later, from the daemon's environment, so a program installed
 * meanwhile is fine. `basePath` is the PATH runs are expected to inherit;
 * a `PATH=` in the schedule's env wins, as it does in its runs.
 */
export function missingProgramWarning(info: ScheduleInfo, basePath: string | undefined): string | null {
  const path = info.env.findLast((e) => e.startsWith('PATH='))?.slice('PATH='.length) ?? basePath;
  const missing = missingProgram(info.command[0]!, path, info.cwd);
  return missing === null ? null : `${missing}: ${info.name} is added, but its runs fail until it is there`;
}

export interface SchedulesOptions {
  db: Database;
  config: () => Config;
  home: string;
  now?: () => number;
}

export class Schedules {
  readonly store: ScheduleStore;
  private readonly now: () => number;

  constructor(private readonly o: SchedulesOptions) {
    this.store = new ScheduleStore(o.db);
    this.now = o.now ?? Date.now;
  }

  get home(): string {
    return this.o.home;
  }

  /**
   * Copy config.toml's schedules into the table: new ones start from now,
   * changed ones keep their pause and history, removed ones go. A name a
   * CLI schedule already holds is left to it; the returned lines say so.
   */
  sync(): string[] {
    const declared = this.o.config().schedules;
    const warnings: string[] = [];
    const rows = new Map(this.store.all().map((r) => [r.name, r]));
    for (const [name, spec] of Object.entries(declared)) {
      const row = rows.get(name);
      if (!row) {
        const now = this.now();
        this.store.insert({ name, origin: 'config', spec, paused: false, created: now, lastDue: now });
      } else if (row.origin === 'cli') {
        warnings.push(`config.toml: schedules.${name}: a schedule made with roost schedule add has this name; the config one is ignored`);
      } else if (JSON.stringify(row.spec) !== JSON.stringify(spec)) {
        this.store.setSpec(name, spec);
      }
    }
    for (const row of rows.values()) {
      if (row.origin === 'config' && !Object.hasOwn(declared, row.name)) this.store.remove(row.name);
    }
    return warnings;
  }

  /** Add a schedule (the CLI, the API); refused with one line when anything is wrong. */
  add(nameValue: unknown, input: ScheduleSpecInput | unknown, keyName: KeyNamer = apiKeys): ScheduleInfo {
    const name = checkScheduleName(nameValue);
    const spec = checkSpec(input, keyName);
    try {
      checkDirectory(runDirectory(spec, this.o.home));
    } catch (e) {
      if (e instanceof JobInputError) throw new ScheduleInputError(`${keyName('cwd')}: ${e.message}`);
      throw e;
    }
    if (Object.hasOwn(this.o.config().schedules, name)) throw new ScheduleInputError(`the name "${name}" is declared in config.toml ([schedules.${name}]); pick another`);
    const now = this.now();
    if (!this.store.insert({ name, origin: 'cli', spec, paused: false, created: now, lastDue: now })) {
      throw new ScheduleInputError(`a schedule named "${name}" exists (see roost schedule show ${name}); pick another name`);
    }
    return this.info(this.row(name));
  }

  row(name: string): ScheduleRow {
    const row = this.store.get(checkScheduleName(name));
    if (!row) throw new UnknownScheduleError(name);
    return row;
  }

  remove(name: string): void {
    const row = this.row(name);
    if (row.origin === 'config') throw new ScheduleInputError(`schedule "${name}" is declared in config.toml; remove [schedules.${name}] there`);
    this.store.remove(row.name);
  }

  /** Pause or resume; returns the schedule. Resuming does not catch up the time spent paused. */
  setPaused(name: string, paused: boolean): ScheduleInfo {
    const row = this.row(name);
    this.store.setPaused(row.name, paused);
    if (!paused) this.store.setLastDue(row.name, this.now());
    return this.info(this.row(name));
  }

  list(): ScheduleInfo[] {
    return this.store.all().map((r) => this.info(r));
  }

  show(name: string): ScheduleInfo {
    return this.info(this.row(name));
  }

  history(name: string, limit: number): RunInfo[] {
    return this.store.history(this.row(name).name, limit).map(runInfo);
  }

  info(row: ScheduleRow): ScheduleInfo {
    const s = row.spec;
    const last = this.store.last(row.name);
    const live = this.store.live().find((r) => r.schedule === row.name && r.job !== null);
    let next: number[] = [];
    if (!row.paused) {
      try {
        next = nextRuns(s.cron, s.tz, Math.max(row.lastDue, this.now()), 3);
      } catch {
        // Checked when stored; a zone the system lost since (tzdata) shows no next run rather than failing the list.
      }
    }
    return {
      name: row.name, origin: row.origin, paused: row.paused, cron: s.cron, tz: s.tz ?? null, cwd: runDirectory(s, this.o.home),
      env: s.env, command: s.command, guards: s.guards, overlap: s.overlap, catchUp: s.catch_up,
      timeout: s.timeout ?? null, timeoutMs: s.timeout === undefined ? null : parseDuration(s.timeout), notify: s.notify,
      next, last: last ? runInfo(last) : null, running: live?.job ?? null, created: row.created,
    };
  }
}
