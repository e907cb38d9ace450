/**
 * Scheduled runs as `roost schedule ls|show|history --json`, the HTTP API
 * (/api/schedules) and the dashboard see them (docs/cli.md "schedule",
 * docs/api.md "Schedules"). Change both together.
 *
 * A run's outcome:
 *   starting   the daemon is starting its job
 *   running    its job runs
 *   succeeded  the job exited 0
 *   failed     it exited non-zero, a signal ended it, or it could not start
 *   timed-out  still running at --timeout: stopped (TERM, then KILL)
 *   lost       nobody saw its job end (a reboot), or the daemon died while starting it
 *   skipped    a guard, or the overlap rule, stopped it (reason says which)
 *   missed     run times that passed while the daemon was down (catch-up none): one entry, `missed` says how many
 */

export const RUN_OUTCOMES = ['starting', 'running', 'succeeded', 'failed', 'timed-out', 'lost', 'skipped', 'missed'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** Why the run happened: its cron time, `schedule run`, catch-up at the daemon's start, or the queued run after an overlap. */
export const RUN_TRIGGERS = ['cron', 'manual', 'catch-up', 'queued'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const OVERLAP_POLICIES = ['skip', 'queue'] as const;
export const CATCH_UP_POLICIES = ['once', 'none'] as const;
export const NOTIFY_POLICIES = ['failure', 'always', 'never'] as const;

/** What a headless Claude run (`claude -p ... --output-format json`) said at its end. */
export interface ClaudeResult {
  /** Its result subtype: "success", "error_max_turns", "error_during_execution", ... */
  kind: string;
  isError: boolean;
  turns: number | null;
  durationMs: number | null;
  costUsd: number | null;
  /** The conversation's session id: `claude --resume ID` opens it. */
  sessionId: string | null;
}

export interface RunInfo {
  /** Unique for ever in this state folder. */
  id: number;
  schedule: string;
  trigger: RunTrigger;
  /** Epoch ms of the cron time it was for; null for `schedule run`. */
  due: number | null;
  /** Epoch ms: when the job started (null for a skip), and ended (null while running). */
  started: number | null;
  ended: number | null;
  outcome: RunOutcome;
  /** For skipped, missed, failed to start, lost: why, in words. */
  reason: string | null;
  /** For missed: how many run times passed. */
  missed: number | null;
  /** Its job (`roost logs JOB`), while the job is kept; null for a skip. */
  job: string | null;
  jobId: number | null;
  exitCode: number | null;
  signal: string | null;
  /** Guards were bypassed (`schedule run --force`). */
  forced: boolean;
  /** The working directory it ran in. */
  cwd: string | null;
  /** For a headless Claude run with JSON output: its result. */
  claude: ClaudeResult | null;
  /** Epoch ms: when the entry was made (a skip of `schedule run` has no other time). */
  created: number;
}

export interface ScheduleInfo {
  name: string;
  /** Made by `roost schedule add` (cli) or declared in config.toml (config). */
  origin: 'cli' | 'config';
  paused: boolean;
  cron: string;
  /** IANA zone; null: the daemon's local time. */
  tz: string | null;
  cwd: string;
  /** `KEY=VALUE` for the runs; to a read-only login the API sends the keys alone (`KEY`): values are often secrets. */
  env: string[];
  command: string[];
  /** As given; [] means the default guard. */
  guards: string[];
  overlap: (typeof OVERLAP_POLICIES)[number];
  catchUp: (typeof CATCH_UP_POLICIES)[number];
  /** As given ("30m"), and in ms; null for none. */
  timeout: string | null;
  timeoutMs: number | null;
  notify: (typeof NOTIFY_POLICIES)[number];
  /** Epoch ms of the next three run times (empty while paused). */
  next: number[];
  /** The latest history entry, or null. */
  last: RunInfo | null;
  /** The job of the run alive now, or null. */
  running: string | null;
  created: number;
}
