/**
 * A window's text beyond its screen:
 * - GET /api/sessions/:name/windows/:index/history?lines=N — the last N
 *   lines (default 10,000, at most 50,000) of the window's active pane,
 *   history and screen, wrapped lines joined, colours kept as SGR escapes:
 *   the scrollback reader.
 * - GET /api/sessions/:name/windows/:index/search?q=TEXT&context=C — the
 *   lines of the pane's whole history and screen (at most SEARCH_MAX_LINES,
 *   the newest) that hold TEXT (smartcase, src/shared/text-search.ts), newest
 *   first, each with C lines around it (default 2): Find.
 * Read-only logins may use both (they already watch the same text live);
 * nothing changes.
 *
 * One `capture-pane` per request; tmux serves nobody while it captures
 * (about 130 ms for 50,000 lines with colours, a fifth of that without),
 * hence the caps.
 */
import { capturePane, findSession, TmuxError, type TmuxClient } from '../../tmux/index.js';
import { findAll, matchesInContext, type Match } from '../../shared/text-search.js';
import { HttpError } from '../errors.js';
import { sessionName } from '../validate.js';
import type { RouteArea } from '../types.js';

export const HISTORY_DEFAULT_LINES = 10_000;
export const HISTORY_MAX_LINES = 50_000;
/** Lines Find searches at most, the newest (tmux's history-limit is usually far below). Plain text: ~4 ms per 10,000. */
export const SEARCH_MAX_LINES = 200_000;
/** Matches one search answers with (newest first); `total` still counts every matching line up to the hit cap. */
export const SEARCH_MAX_MATCHES = 200;
/** A query's longest length, in characters. */
const QUERY_MAX = 200;
/** A line in a match is cut to this many characters around its hits. */
const MATCH_WIDTH = 400;
const INDEX_RE = /^\d{1,5}$/;
const LINES_RE = /^\d{1,6}$/;

function lineCount(value: unknown): number {
  if (value === undefined) return HISTORY_DEFAULT_LINES;
  const n = typeof value === 'string' && LINES_RE.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= HISTORY_MAX_LINES)) throw new HttpError(400, 'bad-lines', `lines must be a whole number from 1 to ${HISTORY_MAX_LINES}`);
  return n;
}

/** The pane of window `index` in session `name`: its captured lines (`start` lines back), or a 404. */
async function captured(tmux: TmuxClient, name: string, index: string, start: number, escapes: boolean): Promise<string[]> {
  if (!INDEX_RE.test(index)) throw new HttpError(400, 'bad-window', 'the window must be an index');
  const id = await findSession(tmux, name);
  if (!id) throw new HttpError(404, 'no-session', `no session named ${name}`);
  let text: string;
  try {
    text = await capturePane(tmux, `${id}:${index}`, { start: -start, escapes, join: true });
  } catch (e) {
    if (e instanceof TmuxError && (e.kind === 'no-window' || e.kind === 'no-pane')) throw new HttpError(404, 'no-window', `no window ${index} in ${name}`);
    throw e;
  }
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all;
}

/** What Find answers. */
export interface SearchReply {
  session: string;
  window: number;
  /** Lines searched. */
  lines: number;
  /** Lines that matched (at most the hit cap's worth). */
  total: number;
  /** More hits exist than were counted. */
  capped: boolean;
  matches: Match[];
}

export const historyRoutes: RouteArea = {
  name: 'history',
  register(app, deps) {
    app.get<{ Params: { name: string; index: string }; Querystring: Record<string, unknown> }>('/api/sessions/:name/windows/:index/search', async (req): Promise<SearchReply> => {
      const name = sessionName(req.params.name);
      const q = req.query['q'];
      if (typeof q !== 'string' || q.length < 1 || q.length > QUERY_MAX) throw new HttpError(400, 'bad-query', `q must be 1 to ${QUERY_MAX} characters`);
      const c = req.query['context'];
      const context = c === undefined ? 2 : typeof c === 'string' && /^[0-5]$/.test(c) ? Number(c) : NaN;
      if (Number.isNaN(context)) throw new HttpError(400, 'bad-context', 'context must be 0 to 5');
      const lines = await captured(deps.tmux, name, req.params.index, SEARCH_MAX_LINES, false);
      const r = findAll(lines, q);
      const total = new Set(r.hits.map((h) => h.line)).size;
      return {
        session: name, window: Number(req.params.index), lines: lines.length, total, capped: r.capped,
        matches: matchesInContext(lines, r.hits, { context, max: SEARCH_MAX_MATCHES, width: MATCH_WIDTH }),
      };
    });
    app.get<{ Params: { name: string; index: string }; Querystring: Record<string, unknown> }>('/api/sessions/:name/windows/:index/history', async (req) => {
      const name = sessionName(req.params.name);
      const lines = lineCount(req.query['lines']);
      const all = await captured(deps.tmux, name, req.params.index, lines, true);
      // History and screen together may exceed `lines`; the newest ones count.
      return { session: name, window: Number(req.params.index), lines: all.slice(-lines) };
    });
  },
};
