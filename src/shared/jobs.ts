/**
 * Background jobs as `roost jobs --json`, the HTTP API and the dashboard
 * see them (docs/cli.md "jobs", docs/api.md "Jobs"). Change both together.
 *
 * A job's state:
 *   running  its program runs (in a tmux session of kind `job`)
 *   exited   it ended by itself: exitCode (null for an adopted process, whose
 *            status only its old parent could learn)
 *   killed   a signal ended it: signal, e.g. "SIGTERM"
 *   lost     nobody saw it end (the machine rebooted, its runner was killed);
 *            its log is kept
 */

export const JOB_STATES = ['running', 'exited', 'killed', 'lost'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobInfo {
  /** The job's name, also its tmux session's name (`roost attach NAME`). */
  name: string;
  /** Unique for ever in this state folder (names are reused after `rm`). */
  id: number;
  /** The program and its arguments, exactly as run (an adopted process: its command line then). */
  command: string[];
  /** Its working directory. */
  cwd: string;
  state: JobState;
  /** For `exited`. */
  exitCode: number | null;
  /** For `killed`, e.g. "SIGKILL". */
  signal: string | null;
  /** The program's process id (an adopted process keeps its own). */
  pid: number | null;
  /** Taken over from another terminal with `roost adopt`. */
  adopted: boolean;
  /** Epoch ms: started, ended (null while running; for `lost`, when Roost found out). */
  started: number;
  ended: number | null;
  /** ms from start to end, or to now while running. */
  durationMs: number;
  /** A push is sent when it ends. */
  notify: boolean;
  /** Its tmux session while one exists (attach to it), else null. */
  session: string | null;
  /** The tmux server (-L name) it runs on; null for the default server. */
  tmuxSocket: string | null;
  log: JobLogInfo;
}

export interface JobLogInfo {
  /** Bytes of output kept. */
  bytes: number;
  /** Offset of the first byte kept: output before it was cut to keep the log under its cap. */
  start: number;
  /** Offset just past the last byte: all output so far. */
  end: number;
}

/**
 * GET /api/jobs/NAME/log returns raw bytes [from, to) of the job's output;
 * these response headers say where they sit. Offsets count every byte the
 * job ever printed, so they stay valid when the oldest output is cut.
 */
export const LOG_HEADERS = {
  /** First offset still kept. */
  start: 'roost-log-start',
  /** Offset past the newest byte. */
  end: 'roost-log-end',
  from: 'roost-log-from',
  to: 'roost-log-to',
  /** "1" once the job has ended and its log is complete. */
  complete: 'roost-log-complete',
} as const;

/** The line a log shows where older output was cut to keep it under its cap. */
export function cutMarker(bytes: number): string {
  return `[roost: ${bytes} bytes of older output were cut here to keep the log under its size limit]`;
}

/**
 * Bytes read from where older output was cut start mid-line (the cap cuts
 * whole segments, not lines): how many to pass over to reach the first
 * whole line, the rest of the broken one and its newline. 0 when there is
 * no newline (one long line: its end is better than nothing).
 */
export function brokenLineBytes(data: Uint8Array): number {
  const i = data.indexOf(0x0a);
  return i < 0 ? 0 : i + 1;
}

/** "2 h 14 min", "5 min 3 s", "12 s": how long a job ran, for tables and notifications. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return m % 60 ? `${hours} h ${m % 60} min` : `${hours} h`;
  const d = Math.floor(hours / 24);
  return hours % 24 ? `${d} d ${hours % 24} h` : `${d} d`;
}

/** "exited 3", "killed by SIGTERM", "running", "lost": a job's state in a few words. */
export function describeState(j: Pick<JobInfo, 'state' | 'exitCode' | 'signal'>): string {
  switch (j.state) {
    case 'exited': return j.exitCode === null ? 'exited' : `exited ${j.exitCode}`;
    case 'killed': return `killed by ${j.signal ?? 'a signal'}`;
    default: return j.state;
  }
}

/** 0 B, 999 B, 1.5 KB, 100 MB (powers of 1000, as config.toml sizes). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** A command line as a shell would read it back: plain words bare, others single-quoted, control characters in $'...'. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

const CONTROL_NAMES: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/**
 * One argument as a shell reads it back. One with a control character (a
 * multi-line `sh -c` script, an escape) is written $'...' with escapes: the
 * command stays on one line of a table, and no control character reaches
 * the terminal that shows it.
 */
function quoteArg(a: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a)) return a;
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f\x7f]/.test(a)) return `'${a.replace(/'/g, `'\\''`)}'`;
  // eslint-disable-next-line no-control-regex
  const body = a.replace(/[\\']/g, (c) => `\\${c}`).replace(/[\x00-\x1f\x7f]/g, (c) => CONTROL_NAMES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `$'${body}'`;
}
