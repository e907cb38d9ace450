/**
 * The jobs table (schema.ts) as typed calls: one owner for its SQL. Every
 * write is one statement, so the CLI, the daemon and job runners can write
 * at once (SQLite WAL, busy timeout) and a crash leaves no half-made row.
 */
import type { Database } from 'better-sqlite3';

export interface JobRow {
  id: number;
  name: string;
  command: string[];
  cwd: string;
  tmuxSocket: string | null;
  sessionId: string | null;
  runnerPid: number | null;
  pid: number | null;
  pidStart: number | null;
  adopted: boolean;
  notify: boolean | null;
  logMax: number;
  endMarker: string;
  created: number;
  started: number | null;
  ended: number | null;
  exitCode: number | null;
  signal: string | null;
  hangup: boolean;
  lost: number | null;
  stopRequested: number | null;
  told: number | null;
}

export interface NewJobRow {
  name: string;
  command: readonly string[];
  cwd: string;
  tmuxSocket: string | null;
  adopted: boolean;
  notify: boolean | null;
  logMax: number;
  /** JSON for the runner, read once. */
  launch: string;
  endMarker: string;
  created: number;
  /** An adopted process: known before the runner starts. */
  pid?: number | null;
  pidStart?: number | null;
}

interface Raw {
  id: number; name: string; command: string; cwd: string; tmux_socket: string | null; session_id: string | null;
  runner_pid: number | null; pid: number | null; pid_start: number | null; adopted: number; notify: number | null;
  log_max: number; end_marker: string; created: number; started: number | null; ended: number | null;
  exit_code: number | null; signal: string | null; hangup: number; lost: number | null; stop_requested: number | null; told: number | null;
}

const COLUMNS = 'id, name, command, cwd, tmux_socket, session_id, runner_pid, pid, pid_start, adopted, notify, log_max, end_marker, created, started, ended, exit_code, signal, hangup, lost, stop_requested, told';

function toRow(r: Raw): JobRow {
  return {
    id: r.id, name: r.name, command: JSON.parse(r.command) as string[], cwd: r.cwd, tmuxSocket: r.tmux_socket, sessionId: r.session_id,
    runnerPid: r.runner_pid, pid: r.pid, pidStart: r.pid_start, adopted: r.adopted === 1, notify: r.notify === null ? null : r.notify === 1,
    logMax: r.log_max, endMarker: r.end_marker, created: r.created, started: r.started, ended: r.ended, exitCode: r.exit_code,
    signal: r.signal, hangup: r.hangup === 1, lost: r.lost, stopRequested: r.stop_requested, told: r.told,
  };
}

/** The name is taken by another job (the UNIQUE constraint said so). */
export class NameTakenError extends Error {
  override name = 'NameTakenError';
}

export class JobStore {
  constructor(private readonly db: Database) {}

  /** Insert a row; NameTakenError when the name is in use. Returns its id. */
  insert(j: NewJobRow): number {
    try {
      const r = this.db.prepare(`INSERT INTO jobs (name, command, cwd, tmux_socket, adopted, notify, log_max, launch, end_marker, created, pid, pid_start)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        j.name, JSON.stringify(j.command), j.cwd, j.tmuxSocket, j.adopted ? 1 : 0, j.notify === null ? null : j.notify ? 1 : 0,
        j.logMax, j.launch, j.endMarker, j.created, j.pid ?? null, j.pidStart ?? null);
      return Number(r.lastInsertRowid);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new NameTakenError(`a job named "${j.name}" exists`);
      throw e;
    }
  }

  byName(name: string): JobRow | null {
    const r = this.db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE name = ?`).get(name) as Raw | undefined;
    return r ? toRow(r) : null;
  }

  byId(id: number): JobRow | null {
    const r = this.db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`).get(id) as Raw | undefined;
    return r ? toRow(r) : null;
  }

  /** Every job, oldest first. */
  all(): JobRow[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM jobs ORDER BY id`).all() as Raw[]).map(toRow);
  }

  /** The jobs whose end has not been handled (told) yet: what the daemon looks at on every listing. */
  untold(): JobRow[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE told IS NULL ORDER BY id`).all() as Raw[]).map(toRow);
  }

  /** Names in use that start with `prefix` (for numbering python-1, python-2, ...). */
  namesStartingWith(prefix: string): string[] {
    const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return (this.db.prepare(`SELECT name FROM jobs WHERE name LIKE ? ESCAPE '\\'`).all(like) as { name: string }[]).map((r) => r.name);
  }

  setSession(id: number, sessionId: string): void {
    this.db.prepare('UPDATE jobs SET session_id = ? WHERE id = ?').run(sessionId, id);
  }

  /**
   * The runner's once-only read of what it needs: returns the launch JSON and clears it (null when already
   * read). Under the write lock from the start (immediate): a read-then-write transaction fails at once,
   * without waiting, when another process (another job's runner) writes between its read and its write.
   */
  takeLaunch(id: number): string | null {
    return this.db.transaction(() => {
      const r = this.db.prepare('SELECT launch FROM jobs WHERE id = ?').get(id) as { launch: string | null } | undefined;
      if (!r || r.launch === null) return null;
      this.db.prepare('UPDATE jobs SET launch = NULL WHERE id = ?').run(id);
      return r.launch;
    }).immediate();
  }

  /** The runner is up (its pid is the pane's). */
  setRunner(id: number, runnerPid: number): void {
    this.db.prepare('UPDATE jobs SET runner_pid = ? WHERE id = ?').run(runnerPid, id);
  }

  /** The program runs. An adopted job keeps the pid it was adopted with. */
  setStarted(id: number, at: number, pid: number | null, pidStart: number | null): void {
    this.db.prepare('UPDATE jobs SET started = ?, pid = COALESCE(pid, ?), pid_start = COALESCE(pid_start, ?) WHERE id = ?').run(at, pid, pidStart, id);
  }

  /** How the program ended, written once (a second report changes nothing). */
  setEnded(id: number, e: { at: number; exitCode: number | null; signal: string | null; hangup: boolean }): void {
    this.db.prepare('UPDATE jobs SET ended = ?, exit_code = ?, signal = ?, hangup = ? WHERE id = ? AND ended IS NULL')
      .run(e.at, e.exitCode, e.signal, e.hangup ? 1 : 0, id);
  }

  /** Its session is gone and it never said how it ended. */
  setLost(id: number, at: number): void {
    this.db.prepare('UPDATE jobs SET lost = ? WHERE id = ? AND ended IS NULL AND lost IS NULL').run(at, id);
  }

  setStopRequested(id: number, at: number): void {
    this.db.prepare('UPDATE jobs SET stop_requested = ? WHERE id = ?').run(at, id);
  }

  /** The daemon handled the end; false when someone did already. */
  markTold(id: number, at: number): boolean {
    return this.db.prepare('UPDATE jobs SET told = ? WHERE id = ? AND told IS NULL').run(at, id).changes === 1;
  }

  /** Whether a job was ever removed (roost rm, retention): ids are never given again, so fewer rows than ids given. */
  someRemoved(): boolean {
    const given = (this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'jobs'").get() as { seq: number } | undefined)?.seq ?? 0;
    return (this.db.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n < given;
  }

  remove(id: number): void {
    this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
  }
}
