/**
 * The job runner: the process in a job's tmux pane (`roost job-runner`,
 * hidden). It starts the job's program on the pane's terminal, writes the
 * program's output into the capped log, and records how the program ended
 * before the pane dies: tmux 3.3a with pipe-pane active sometimes loses a
 * dead pane's exit status, so Roost does not ask tmux.
 *
 *   tmux pane ── the runner (session leader, this process)
 *                 └─ the program, in its own process group, in the foreground
 *   tmux pipe-pane: the pane's raw output → `cat` → FIFO → the runner → log
 *
 * The program gets its own process group and the terminal (a small Perl
 * step does setpgid + tcsetpgrp, then execs it, keeping its pid): keys
 * (Ctrl-C), `roost stop` and tmux's window name reach the program, never
 * the runner. The runner ignores the terminal's signals and waits; a
 * hangup (tmux killed the pane, the session or the server) is passed on to
 * the program, as a shell passes it on, and noted.
 *
 * The log is complete when the end is recorded: after the program exits,
 * the runner writes a random end mark (an OSC sequence tmux ignores) to
 * the terminal and reads the FIFO until the mark comes back through tmux,
 * so every byte the program printed is in the log first.
 */
import { constants as fsConstants, existsSync, openSync, rmSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { constants as osConstants } from 'node:os';
import type { Database } from 'better-sqlite3';
import { startOnTerminal, type ProgramEnd } from '../process/run.js';
import { JobStore, type JobRow } from './store.js';
import { jobDir, pipePath } from './paths.js';
import { LogWriter } from './log-writer.js';
import { procStat } from './procfs.js';
import { EndMarkScanner, endMark } from './end-mark.js';
import { runnerTitle } from './runner-identity.js';
import { stateDirError } from '../store/state-errors.js';

/** What `roost run` hands the runner once (store.takeLaunch). */
export interface Launch {
  env: Record<string, string>;
}

/**
 * The Perl step between the runner and the program: its own process group,
 * the terminal's foreground, then exec (same pid). Perl is part of every
 * Debian system (perl-base is Essential). SIGTTOU is ignored only around
 * tcsetpgrp, which a background group may not call otherwise.
 */
const FOREGROUND_PERL = `use POSIX ();
if (POSIX::isatty(0)) { local $SIG{TTOU} = 'IGNORE'; POSIX::setpgid(0, 0); POSIX::tcsetpgrp(0, $$); }
exec { $ARGV[0] } @ARGV;
print STDERR "roost: cannot run $ARGV[0]: $!\\n";
exit 127;`;

const perl = () => (existsSync('/usr/bin/perl') ? '/usr/bin/perl' : 'perl');

/** After the program ended: how long (ms) without output the runner waits for its end mark before it gives up on the pipe. */
const DRAIN_IDLE_MS = 5000;
/** The same once the terminal hung up: tmux is gone or going, so nothing more comes, and the end is recorded soon. */
const HUNG_UP_DRAIN_MS = 300;

export interface RunnerOptions {
  stateDir: string;
  id: number;
  /** Opens the database (the CLI's openRoostDb); opened only briefly, at start and at the end. */
  openDb: () => Database;
  /** The runner's own environment: tmux's TERM, TMUX and TMUX_PANE for the program. */
  env: NodeJS.ProcessEnv;
  /** Say something on the pane's terminal. */
  say: (line: string) => void;
}

function withStore<T>(o: RunnerOptions, fn: (s: JobStore) => T): T {
  const db = o.openDb();
  try {
    return fn(new JobStore(db));
  } finally {
    db.close();
  }
}

/** Run the job `o.id`; resolves with the exit code the runner itself should end with. */
export async function runJob(o: RunnerOptions): Promise<number> {
  let hangup = false;
  let programPid: number | null = null;
  // The program's group has the terminal; these reach the runner only if sent to it on purpose.
  for (const s of ['SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU'] as const) process.on(s, () => {});
  // The terminal went (tmux killed the window, the session or the server: roost kill, the dashboard's kill).
  // The kernel tells the session leader alone, this process: pass it on to the program, as a shell does, so
  // killing a job's session ends its program as it would in any other window. The end is recorded as usual.
  process.on('SIGHUP', () => {
    hangup = true;
    if (programPid !== null) hangUp(programPid);
  });

  const { row, launch } = withStore(o, (s) => {
    s.setRunner(o.id, process.pid);
    const text = s.takeLaunch(o.id);
    return { row: s.byId(o.id), launch: text === null ? null : (JSON.parse(text) as Launch) };
  });
  if (!row || !launch) {
    o.say(`roost: job ${o.id} is not waiting to start (already started, or removed)`);
    return 1;
  }
  process.title = runnerTitle(row.name);

  const dir = jobDir(o.stateDir, o.id);
  const log = startLogging(dir, row);
  const env: Record<string, string> = { ...launch.env };
  for (const k of ['TERM', 'TMUX', 'TMUX_PANE']) {
    const v = o.env[k];
    if (v !== undefined) env[k] = v;
  }
  const program = row.adopted ? ['reptyr', String(row.pid)] : row.command;
  const started = await startOnTerminal([perl(), '-e', FOREGROUND_PERL, '--', ...program], { env, cwd: row.cwd });
  let end: ProgramEnd;
  if (!started.ok) {
    o.say(`roost: ${started.message}`);
    end = { code: 127, signal: null };
  } else {
    programPid = started.pid;
    if (hangup) hangUp(programPid);
    const pidStart = procStat(started.pid)?.startTime ?? null;
    withStore(o, (s) => s.setStarted(o.id, Date.now(), started.pid, pidStart));
    end = await started.ended;
  }
  const endedAt = Date.now();

  await log.finish(row.endMarker, hangup);
  const cut = log.stopped();
  if (cut) o.say(`roost: the log of job ${row.name} stopped after ${cut.bytes} bytes: ${stateDirError(cut.error, o.stateDir)?.message ?? cut.error.message}`);
  withStore(o, (s) => s.setEnded(o.id, {
    at: endedAt,
    // An adopted program is not our child: reptyr's status is not its status.
    exitCode: row.adopted ? null : end.code,
    signal: row.adopted ? null : end.signal,
    hangup,
  }));
  if (end.signal) return 128 + (osConstants.signals[end.signal] ?? 0);
  return end.code ?? 0;
}

/** SIGHUP and SIGCONT (a stopped program must wake to take it) to the program's group, or to it alone before the Perl step made the group. */
function hangUp(pid: number): void {
  for (const signal of ['SIGHUP', 'SIGCONT'] as const) {
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        // Gone already: its end is on its way.
      }
    }
  }
}

/** Read the FIFO into the log until finish(); finish() writes the end mark and waits for it to come through. */
function startLogging(dir: string, row: JobRow): { finish(mark: string, hungUp: boolean): Promise<void>; stopped(): { bytes: number; error: Error } | null } {
  const writer = new LogWriter({ dir, maxBytes: row.logMax });
  const scanner = new EndMarkScanner(endMark(row.endMarker));
  const fifo = pipePath(dir);
  // Read-write and non-blocking: the open never waits for tmux's `cat`, and the pipe never reads as ended
  // while this end is open (the end mark, or a quiet pipe after the program ended, says when to stop).
  const stream = new Socket({ fd: openSync(fifo, fsConstants.O_RDWR | fsConstants.O_NONBLOCK), readable: true, writable: false });
  let done = false;
  let closed = false;
  let wake: (() => void) | null = null;
  stream.on('data', (chunk) => {
    if (done) return;
    const { data, found } = scanner.push(chunk as Buffer);
    if (data.length) writer.write(data);
    if (found) done = true;
    wake?.();
  });
  stream.on('error', () => {
    // The pipe failed (no FIFO, tmux gone): the job runs on without a log; the end is still recorded.
    closed = true;
    wake?.();
  });
  stream.on('close', () => {
    closed = true;
    wake?.();
  });
  return {
    stopped: () => (writer.failed ? { bytes: writer.end, error: writer.failed } : null),
    async finish(mark, hungUp) {
      let idleMs = hungUp ? HUNG_UP_DRAIN_MS : DRAIN_IDLE_MS;
      try {
        writeSync(1, endMark(mark));
      } catch {
        // The terminal is gone (hangup): no mark will come; what tmux's `cat` passed on is in the pipe already.
        idleMs = HUNG_UP_DRAIN_MS;
      }
      while (!done && !closed) {
        const more = await new Promise<boolean>((r) => {
          const t = setTimeout(() => r(false), idleMs);
          wake = () => { clearTimeout(t); r(true); };
        });
        wake = null;
        if (!more) break;
      }
      const rest = scanner.flush();
      if (!done && rest.length) writer.write(rest);
      writer.close();
      stream.destroy();
      rmSync(fifo, { force: true });
    },
  };
}
