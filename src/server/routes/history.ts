/**
 * GET /api/sessions/:name/windows/:index/history?lines=N — the last N lines
 * (default 10,000, at most 50,000) of the window's active pane, history and
 * screen, wrapped lines joined, colours kept as SGR escapes: the phone's
 * scrollback reader. Read-only logins may read it (they already watch the
 * same text live); nothing changes.
 *
 * One `capture-pane` per request; tmux serves nobody while it captures
 * (about 130 ms for 50,000 lines), hence the cap.
 */
import { capturePane, findSession, TmuxError } from '../../tmux/index.js';
import { HttpError } from '../errors.js';
import { sessionName } from '../validate.js';
import type { RouteArea } from '../types.js';

export const HISTORY_DEFAULT_LINES = 10_000;
export const HISTORY_MAX_LINES = 50_000;
const INDEX_RE = /^\d{1,5}$/;
const LINES_RE = /^\d{1,6}$/;

function lineCount(value: unknown): number {
  if (value === undefined) return HISTORY_DEFAULT_LINES;
  const n = typeof value === 'string' && LINES_RE.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= HISTORY_MAX_LINES)) throw new HttpError(400, 'bad-lines', `lines must be a whole number from 1 to ${HISTORY_MAX_LINES}`);
  return n;
}

export const historyRoutes: RouteArea = {
  name: 'history',
  register(app, deps) {
    app.get<{ Params: { name: string; index: string }; Querystring: Record<string, unknown> }>('/api/sessions/:name/windows/:index/history', async (req) => {
      const name = sessionName(req.params.name);
      const index = req.params.index;
      if (!INDEX_RE.test(index)) throw new HttpError(400, 'bad-window', 'the window must be an index');
      const lines = lineCount(req.query['lines']);
      const id = await findSession(deps.tmux, name);
      if (!id) throw new HttpError(404, 'no-session', `no session named ${name}`);
      let text: string;
      try {
        text = await capturePane(deps.tmux, `${id}:${index}`, { start: -lines, escapes: true, join: true });
      } catch (e) {
        if (e instanceof TmuxError && (e.kind === 'no-window' || e.kind === 'no-pane')) throw new HttpError(404, 'no-window', `no window ${index} in ${name}`);
        throw e;
      }
      const all = text.split('\n');
      if (all.at(-1) === '') all.pop();
      // History and screen together may exceed `lines`; the newest ones count.
      return { session: name, window: Number(index), lines: all.slice(-lines) };
    });
  },
};
