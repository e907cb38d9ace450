/**
 * The jobs table: one row per background job (`roost run`, `roost adopt`),
 * kept until `roost rm` or the retention period. The CLI and the daemon
 * share it (WAL), so `roost jobs` works without the daemon; the job runner
 * in the job's pane writes the program's pid and, before the pane dies, how
 * it ended. Times are epoch ms. docs/cli.md ("run") tells the life of a row.
 */
import type { Schema } from '../store/schema.js';

export const JOBS_SCHEMA: Schema = {
  name: 'jobs',
  migrations: [
    { name: 'jobs: the jobs table', up: `
CREATE TABLE jobs (
  id             INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: names the log folder
  name           TEXT NOT NULL UNIQUE,
  command        TEXT NOT NULL,          -- JSON array, the argv run exactly
  cwd            TEXT NOT NULL,
  tmux_socket    TEXT,                   -- tmux -L name; NULL: the default server
  session_id     TEXT,                   -- the tmux session ($N) once made
  runner_pid     INTEGER,                -- the job runner: the pane's process
  pid            INTEGER,                -- the program
  pid_start      INTEGER,                -- its start time (clock ticks, /proc/PID/stat), against pid reuse
  adopted        INTEGER NOT NULL DEFAULT 0,
  notify         INTEGER,                -- 1 or 0; NULL: config [jobs] notify
  log_max        INTEGER NOT NULL,       -- the log's cap in bytes
  launch         TEXT,                   -- JSON: what the runner needs once (environment); cleared when read
  end_marker     TEXT NOT NULL,          -- random: the runner's end-of-output mark in the pane's stream
  created        INTEGER NOT NULL,
  started        INTEGER,
  ended          INTEGER,
  exit_code      INTEGER,
  signal         TEXT,
  hangup         INTEGER NOT NULL DEFAULT 0, -- the terminal went away before the program ended
  lost           INTEGER,                -- when Roost found the session gone without an end
  stop_requested INTEGER,
  told           INTEGER                 -- when the daemon handled the end (notified or not)
);
` },
  ],
};
