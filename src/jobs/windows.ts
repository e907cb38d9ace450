/**
 * The window a job runs in, found in a session listing: for `roost ls`,
 * which shows there the job's command instead of the pane's, and for the
 * daemon's listing (the dashboard, the API), which names its program. The pane's
 * first process is the job runner (node); tmux shows the program while it
 * runs in the foreground, but the runner before the program starts and
 * after it ended, when the dead pane stays with the last screen.
 *
 * The dead pane's status comes from the job's record where tmux has none
 * (tmux 3.3a with pipe-pane active sometimes loses it: src/jobs/runner.ts),
 * and a program a signal ended says which signal, as `roost jobs` does.
 */
import { constants as osConstants } from 'node:os';
import { basename } from 'node:path';
import type { SessionInfo, WindowInfo } from '../shared/api.js';
import type { JobRow } from './store.js';

/**
 * Window id (@5) -> the job's row, for each job of `rows` whose session is
 * in `sessions`: the window holding the runner's pane (by pid), or the
 * session's first window while the runner's pid is not yet recorded. Rows
 * are of the listed tmux server only (session ids are per server).
 */
function jobWindowRows(sessions: readonly SessionInfo[], rows: readonly JobRow[]): Map<string, { window: WindowInfo; row: JobRow }> {
  const out = new Map<string, { window: WindowInfo; row: JobRow }>();
  const byId = new Map(sessions.filter((s) => s.kind === 'job').map((s) => [s.id, s]));
  for (const row of rows) {
    const s = row.sessionId === null ? undefined : byId.get(row.sessionId);
    if (!s) continue;
    const w = row.runnerPid === null ? s.windows[0] : s.windows.find((x) => x.panes.some((p) => p.pid === row.runnerPid));
    if (w) out.set(w.id, { window: w, row });
  }
  return out;
}

/** Window id (@5) -> the job's argv (see jobWindowRows). */
export function jobWindows(sessions: readonly SessionInfo[], rows: readonly JobRow[]): Map<string, readonly string[]> {
  return new Map([...jobWindowRows(sessions, rows)].map(([id, { row }]) => [id, row.command]));
}

/**
 * Name job windows' programs and fill their dead runner panes' end from the
 * job records: the daemon's listing decorator and `roost ls` without a
 * daemon both call this, so both read alike.
 */
export function decorateJobWindows(sessions: readonly SessionInfo[], rows: readonly JobRow[]): void {
  const windows = jobWindowRows(sessions, rows);
  nameJobPrograms(windows);
  fillJobEnds(windows);
}

/** What tmux calls the job runner's process: the Node binary it runs under (src/jobs/start.ts starts it with process.execPath). */
const RUNNER = basename(process.execPath);

/**
 * Name each job window's program (argv[0]'s last part) where the listing
 * names the runner: the window's command, and its panes' while the runner
 * is what tmux sees (before the program starts, and once it ended).
 */
function nameJobPrograms(windows: ReadonlyMap<string, { window: WindowInfo; row: JobRow }>): void {
  for (const { window: w, row } of windows.values()) {
    const argv = row.command;
    if (!argv.length) continue;
    const program = basename(argv[0]!) || argv[0]!;
    // While the program runs tmux names it (or what it runs in the foreground): that stays.
    if (w.command === RUNNER) w.command = program;
    for (const p of w.panes) if (p.command === RUNNER) p.command = program;
  }
}

/**
 * A job's dead runner pane gets its end from the record the runner wrote
 * before it exited: the status where tmux has none, and the signal that
 * ended the program. The runner exits with the program's status, or 128 +
 * the signal's number (as a shell), so the record and tmux agree where
 * both know. A job not yet ended (or adopted: no status) keeps tmux's.
 */
function fillJobEnds(windows: ReadonlyMap<string, { window: WindowInfo; row: JobRow }>): void {
  for (const { window: w, row } of windows.values()) {
    if (row.ended === null || row.runnerPid === null) continue;
    const pane = w.panes.find((p) => p.pid === row.runnerPid);
    if (!pane?.dead) continue;
    if (row.signal !== null) {
      pane.exitSignal = row.signal;
      const number = (osConstants.signals as Record<string, number | undefined>)[row.signal];
      pane.exitStatus ??= number === undefined ? null : 128 + number;
    } else {
      pane.exitStatus ??= row.exitCode;
    }
  }
}
