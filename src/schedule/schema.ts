/**
 * The scheduler's tables: schedules (one row per schedule, whether made by
 * `roost schedule add` or declared in config.toml, which the daemon and the
 * CLI copy in) and schedule_runs (the history: every run, every skip with
 * its reason, every "missed N runs"). The CLI and the daemon share them
 * (WAL). A row is written before its job starts and again when it ends, so
 * a daemon killed in between leaves a row the next one finds (schedule
 * service: recovery). Times are epoch ms.
 */
import type { Schema } from '../store/schema.js';

export const SCHEDULE_SCHEMA: Schema = {
  name: 'schedule',
  migrations: [
    { name: 'schedule: schedules and their runs', up: `
CREATE TABLE schedules (
  name      TEXT PRIMARY KEY,
  origin    TEXT NOT NULL,          -- 'cli' or 'config'
  spec      TEXT NOT NULL,          -- JSON, as scheduleSpecSchema parsed it (src/config/schedule-spec.ts)
  paused    INTEGER NOT NULL DEFAULT 0,
  created   INTEGER NOT NULL,
  last_due  INTEGER NOT NULL        -- the latest run time handled (ran, skipped or missed): the next is after it
);
CREATE TABLE schedule_runs (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  schedule  TEXT NOT NULL,
  trigger   TEXT NOT NULL,          -- cron, manual, catch-up, queued
  due       INTEGER,                -- the run time it was for; NULL for a manual run
  outcome   TEXT NOT NULL,          -- see RunOutcome (src/shared/schedules.ts)
  reason    TEXT,
  missed    INTEGER,
  forced    INTEGER NOT NULL DEFAULT 0,
  job_id    INTEGER,
  job_name  TEXT,
  cwd       TEXT,
  started   INTEGER,
  ended     INTEGER,
  exit_code INTEGER,
  signal    TEXT,
  timed_out INTEGER,                -- when the timeout stopped it
  waiting   INTEGER,                -- no longer written (a run's permission prompt is attention's to tell); kept for databases that have it
  claude    TEXT,                   -- JSON ClaudeResult of a headless Claude run
  created   INTEGER NOT NULL
);
CREATE INDEX schedule_runs_by_schedule ON schedule_runs (schedule, id);
CREATE INDEX schedule_runs_live ON schedule_runs (outcome) WHERE outcome IN ('starting', 'running');
` },
  ],
};
