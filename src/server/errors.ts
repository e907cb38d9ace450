/**
 * HttpError, the one error type routes throw, and the one handler that turns
 * any error into `{"error": {"code", "message"}}`. Unexpected errors become a
 * 500 with a generic message; only their name and message reach the log
 * (never the request's headers, cookies or body).
 */
import type { Request } from './http/request.js';
import type { Reply } from './http/reply.js';
import { TmuxError } from '../tmux/index.js';
import { stateDirError } from '../store/state-errors.js';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Map an error to status + body. Exported for the WebSocket routes' use. */
export function toHttpError(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  if (e instanceof TmuxError) {
    if (e.kind === 'no-session' || e.kind === 'no-window' || e.kind === 'no-pane') return new HttpError(404, 'not-found', e.message.split('\n')[0]!);
    if (e.kind === 'duplicate') return new HttpError(409, 'exists', e.message.split('\n')[0]!);
    if (e.kind === 'not-installed' || e.kind === 'no-server') return new HttpError(503, 'tmux', e.message.split('\n')[0]!);
  }
  return new HttpError(500, 'internal', 'internal error (see the daemon log)');
}

/**
 * `stateDir`: a write there that fails (a full or read-only disk) is a 507
 * that says so, not a bare 500; the log has the whole line, the client no
 * path (a login request comes before any credential).
 */
export function errorHandler(stateDir?: string): (e: unknown, req: Request, reply: Reply) => void {
  return (e, req, reply) => {
    const state = stateDir === undefined ? null : stateDirError(e, stateDir);
    const h = state ? new HttpError(507, 'storage', 'the daemon cannot write its state folder (its disk is full or not writable); its log says where') : toHttpError(e);
    if (state) req.log.error(state.message);
    else if (h.status >= 500) req.log.error({ err: e }, 'request failed');
    void reply.code(h.status).headers(h.headers).type('application/json; charset=utf-8').send(errorBody(h.code, h.message));
  };
}
