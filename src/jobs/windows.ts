/**
 * The window a job runs in, found in a session listing: for `roost ls`,
 * which shows there the job's command instead of the pane's. The pane's
 * first process is the job runner (node); tmux shows the program while it
 * runs in the foreground, but the runner before the program starts and
 * after it ended, when the dead pane stays with the last screen.
 */
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
