/**
 * The daemon's listing for `roost ls`: the sessions as the dashboard sees
 * them (the observer's states: a bell until seen, a shell at its prompt,
 * and the agent states only hooks report), asked over the daemon's unix
 * socket. GET /api/attention/sessions answers with the tmux server it
 * watches, so a `roost ls` aimed at another server (-L) does not show the
 * daemon's; the CLI falls back to tmux alone when the daemon is not there,
 * is slow, or watches another server.
 */
import { requestDaemon } from '../daemon/client.js';
import type { SessionInfo } from '../shared/api.js';
import { decodeEventsServer } from '../shared/events.js';

/** The route, on the unix socket only. */
export const LISTING_ROUTE = '/api/attention/sessions';

/** `roost ls` waits this long (ms) for the daemon before listing tmux itself: a person is waiting. */
export const LISTING_TIMEOUT_MS = 1500;

/** What the route answers. */
export interface DaemonListing {
  /** The socket path of the tmux server the daemon watches. */
  tmux: string;
  sessions: SessionInfo[];
}

/**
 * The daemon's listing of tmux server `tmuxSocket`, or null (no daemon, no
 * answer in time, another server, or an answer that is not a listing).
 */
export async function daemonListing(socket: string, tmuxSocket: string, timeoutMs = LISTING_TIMEOUT_MS): Promise<SessionInfo[] | null> {
  const r = await requestDaemon(socket, 'GET', LISTING_ROUTE, undefined, { timeoutMs });
  if ('down' in r || r.status !== 200) return null;
  const body = r.body as Partial<DaemonListing> | undefined;
  if (!body || body.tmux !== tmuxSocket) return null;
  try {
    // The events socket's check of a listing (src/shared/events.ts) says whether this is one.
    const msg = decodeEventsServer(JSON.stringify({ type: 'sessions', sessions: body.sessions }));
    return msg?.type === 'sessions' ? msg.sessions : null;
  } catch {
    // Not a listing this CLI understands (a daemon of another version): tmux alone still answers.
    return null;
  }
}
