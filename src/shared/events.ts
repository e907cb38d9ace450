/**
 * The events socket (GET /api/events), written once for the daemon and the
 * browser, as protocol.ts is for the terminal. docs/api.md describes it for
 * other clients.
 *
 * Every message is one WebSocket text frame: a JSON object with a `type`.
 * Only the daemon sends:
 *
 *   server → client
 *   sessions   {type, sessions: SessionInfo[]}   the listing, at once and on every change
 *   attention  {type, event: AttentionEvent}     a window's attention state changed
 *
 *   client → server: nothing (the daemon reads nothing from this socket)
 *
 * A client ignores a type it does not know, so a newer daemon may add some:
 * decodeEventsServer returns null for one. A known type with a malformed
 * body is a ProtocolError.
 */
import type { PaneInfo, SessionInfo, WindowInfo } from './api.js';
import { AGENT_KINDS, ATTENTION_STATES, type AttentionEvent, type ClosedEvent, type StateEvent, type WindowRef } from './attention.js';
import { ProtocolError } from './protocol.js';
import { arrayOf, boolean, integer, nullable, number, object, oneOf, optional, string, tagged, type Check, type Shape } from './shape.js';
import { AGENT_STATES, WINDOW_STATUSES } from './status.js';

/** The session listing (docs/api.md): first on every socket, then whenever it changes. */
export interface SessionsMsg {
  type: 'sessions';
  sessions: SessionInfo[];
}

/** One event of the attention observer (docs/attention.md, "Events"). */
export interface AttentionMsg {
  type: 'attention';
  event: AttentionEvent;
}

/** Everything the daemon sends on the events socket. */
export type EventsServerMsg = SessionsMsg | AttentionMsg;

const PANE = object<PaneInfo>({
  id: string, index: integer, active: boolean, pid: integer, cwd: string, command: string, dead: boolean, exitStatus: nullable(integer),
});

const WINDOW = object<WindowInfo>({
  id: string, index: integer, name: string, active: boolean, command: string,
  status: oneOf(WINDOW_STATUSES), agent: optional(nullable(oneOf(AGENT_STATES))),
  activity: number, bell: boolean, bells: optional(nullable(integer)), panes: arrayOf(PANE),
});

const SESSION = object<SessionInfo>({
  // Any string: a page older than its daemon shows a kind it does not know as plain rather than dropping the listing.
  id: string, name: string, kind: string, created: number, attached: integer, activity: number, restored: optional(number), windows: arrayOf(WINDOW),
});

const WINDOW_REF: Shape<WindowRef> = { session: string, sessionId: string, windowId: string, index: integer, name: string };

const ATTENTION_EVENT = tagged('type', {
  state: object<StateEvent>({
    ...WINDOW_REF, type: oneOf(['state']), state: oneOf(ATTENTION_STATES), previous: nullable(oneOf(ATTENTION_STATES)),
    at: number, episode: integer, baseline: boolean, exitStatus: optional(nullable(integer)), agent: optional(oneOf(AGENT_KINDS)),
    command: string,
  }),
  closed: object<ClosedEvent>({ ...WINDOW_REF, type: oneOf(['closed']), at: number }),
});

/** The check of each server message, by type: the compiler asks for one per member of EventsServerMsg. */
const SERVER_MSGS: { readonly [T in EventsServerMsg['type']]: Check } = {
  sessions: object<SessionsMsg>({ type: oneOf(['sessions']), sessions: arrayOf(SESSION) }),
  attention: object<AttentionMsg>({ type: oneOf(['attention']), event: ATTENTION_EVENT }),
};

/** Every type the daemon sends (the round-trip test covers each). */
export const EVENTS_SERVER_TYPES = Object.keys(SERVER_MSGS) as readonly EventsServerMsg['type'][];

/** One message as the JSON text that goes on the wire: the object as it is, its type says what it holds. */
export function encodeEventsServer(msg: EventsServerMsg): string {
  return JSON.stringify(msg);
}

/**
 * Decode a message from the daemon: null for a type this side does not know
 * (ignore it); ProtocolError for anything malformed.
 */
export function decodeEventsServer(text: string): EventsServerMsg | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's own message names a position in text nobody sees; one line says what is wrong.
    throw new ProtocolError('events message is not valid JSON');
  }
  const type: unknown = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['type'] : undefined;
  if (typeof type !== 'string') throw new ProtocolError('events message must be a JSON object with a string type');
  if (!Object.hasOwn(SERVER_MSGS, type)) return null;
  const problem = SERVER_MSGS[type as EventsServerMsg['type']](value, 'message');
  if (problem) throw new ProtocolError(problem);
  return value as EventsServerMsg;
}
