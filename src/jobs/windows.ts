/**
 * The window a job runs in, found in a session listing: for `roost ls`,
 * which shows there the job's command instead of the pane's, and for the
 * daemon's listing (the dashboard, the API), which names its program. The pane's
 * first process is the job runner (node); tmux shows the program while it
 * runs in the foreground, but the runner before the program starts and
 * after it ended, when the dead pane stays with the last screen.
 */
import { basename } from 'node:path';
import type { SessionInfo } from '../shared/api.js';
import type { JobRow } from './store.js';

/**
 * Window id (@5) -> the job's argv, for each job of `rows` whose session is
 * in `sessions`: the window holding the runner's pane (by pid), or the
 * session's first window while the runner's pid is not yet recorded. Rows
 * are of the listed tmux server only (session ids are per server).
 */
export function jobWindows(sessions: readonly SessionInfo[], rows: readonly JobRow[]): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const byId = new Map(sessions.filter((s) => s.kind === 'job').map((s) => [s.id, s]));
  for (const row of rows) {
    const s = row.sessionId === null ? undefined : byId.get(row.sessionId);
    if (!s) continue;
    const w = row.runnerPid === null ? s.windows[0] : s.windows.find((x) => x.panes.some((p) => p.pid === row.runnerPid));
    if (w) out.set(w.id, row.command);
  }
  return out;
}

/** What tmux calls the job runner's process: the Node binary it runs under (src/jobs/start.ts starts it with process.execPath). */
const RUNNER = basename(process.execPath);

/**
 * Name each job window's program (argv[0]'s last part) where the listing
 * names the runner: the window's command, and its panes' while the runner
 * is what tmux sees (before the program starts, and once it ended).
 */
export function nameJobPrograms(sessions: readonly SessionInfo[], rows: readonly JobRow[]): void {
  const windows = jobWindows(sessions, rows);
  if (windows.size === 0) return;
  for (const s of sessions) {
    for (const w of s.windows) {
      const argv = windows.get(w.id);
      if (!argv?.length) continue;
      const program = basename(argv[0]!) || argv[0]!;
      // While the program runs tmux names it (or what it runs in the foreground): that stays.
      if (w.command === RUNNER) w.command = program;
      for (const p of w.panes) if (p.command === RUNNER) p.command = program;
    }
  }
}
