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
 *   tmux       {type, running, at}               the tmux server stopped, or runs again
 *
 *   client → server: nothing (the daemon reads nothing from this socket)
 *
 * A client ignores a type it does not know, so a newer daemon may add some:
 * decodeEventsServer returns null for one. A known type with a malformed
 * body is a ProtocolError.
 */
import type { NodeAllocation, PaneInfo, SessionInfo, SessionKind, WindowInfo } from './api.js';
import { AGENT_KINDS, ATTENTION_STATES, type AttentionEvent } from './attention.js';
import { ProtocolError } from './protocol.js';
import { array, boolean, discriminatedUnion, enum as oneOf, int, literal, looseObject, nullable, number, optional, string, type ZodMiniType } from 'zod/mini';
import type { $ZodIssue } from 'zod/v4/core';
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

/**
 * The tmux server that holds the sessions stopped (every session in it
 * ended) or runs again. Sent on each change, and to every socket that
 * connects while the server is down after having run.
 */
export interface TmuxMsg {
  type: 'tmux';
  running: boolean;
  /** Epoch ms of the listing that saw the change. */
  at: number;
}

/** Everything the daemon sends on the events socket. */
export type EventsServerMsg = SessionsMsg | AttentionMsg | TmuxMsg;

// Loose objects: fields a schema does not name pass through, so a newer daemon may add some.
// Each schema is typed with the interface it checks, so a field added there must be added here too.
const PANE: ZodMiniType<PaneInfo> = looseObject({
  id: string(), index: int(), active: boolean(), pid: int(), cwd: string(), command: string(), dead: boolean(), exitStatus: nullable(int()), exitSignal: optional(string()),
  atPrompt: optional(boolean()), remoteShell: optional(boolean()),
});

const WINDOW: ZodMiniType<WindowInfo> = looseObject({
  id: string(), index: int(), name: string(), autoName: optional(boolean()), active: boolean(), command: string(),
  status: oneOf(WINDOW_STATUSES), agent: optional(nullable(oneOf(AGENT_STATES))),
  activity: number(), bell: boolean(), bells: optional(nullable(int())), inTerminal: optional(boolean()), width: optional(int()), height: optional(int()), selectedAt: optional(int()), panes: array(PANE),
});

const NODE: ZodMiniType<NodeAllocation> = looseObject({
  jobId: nullable(string()), state: string(), reason: nullable(string()), nodes: nullable(string()), timeLeft: nullable(number()), timeLimit: nullable(number()),
  endAt: nullable(number()), startAt: nullable(number()), submittedAt: nullable(number()), host: string(), polledAt: nullable(number()),
});

const SESSION: ZodMiniType<SessionInfo> = looseObject({
  // Any string: a page older than its daemon shows a kind it does not know as plain rather than dropping the listing.
  id: string(), name: string(), kind: string() as ZodMiniType<SessionKind>, created: number(), attached: int(), activity: number(), restored: optional(number()), windows: array(WINDOW),
  node: optional(nullable(NODE)),
});

const WINDOW_REF = { session: string(), sessionId: string(), windowId: string(), index: int(), name: string() };

const ATTENTION_EVENT: ZodMiniType<AttentionEvent> = discriminatedUnion('type', [
  looseObject({
    ...WINDOW_REF, type: literal('state'), state: oneOf(ATTENTION_STATES), previous: nullable(oneOf(ATTENTION_STATES)),
    at: number(), episode: int(), baseline: boolean(), exitStatus: optional(nullable(int())), exitSignal: optional(string()), lookedAt: optional(nullable(number())),
    agent: optional(oneOf(AGENT_KINDS)), command: string(),
  }),
  looseObject({ ...WINDOW_REF, type: literal('closed'), at: number() }),
]);

/** The schema of each server message, by type: the compiler asks for one per member of EventsServerMsg. */
const SERVER_MSGS: { readonly [T in EventsServerMsg['type']]: ZodMiniType<Extract<EventsServerMsg, { type: T }>> } = {
  sessions: looseObject({ type: literal('sessions'), sessions: array(SESSION) }),
  attention: looseObject({ type: literal('attention'), event: ATTENTION_EVENT }),
  tmux: looseObject({ type: literal('tmux'), running: boolean(), at: number() }),
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
  const r = SERVER_MSGS[type as EventsServerMsg['type']].safeParse(value);
  if (!r.success) throw new ProtocolError(describe(r.error.issues[0]!));
  // The text as it came (loose objects keep unnamed fields; the parse result would be a copy).
  return value as EventsServerMsg;
}

/** One line that says where: "message.sessions[0].windows[2].status: ...". */
function describe(issue: $ZodIssue): string {
  const at = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `message${at} ${expectation(issue)}`;
}

/** What the value should have been, from the issue's code (zod/mini carries no message texts, which keeps the bundle small). */
function expectation(issue: $ZodIssue): string {
  const list = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'must be an integer' : issue.expected === 'array' ? 'must be a list' : `must be a ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${list(issue.values)}`;
    case 'invalid_union':
      return 'options' in issue && Array.isArray(issue.options) ? `must be one of ${list(issue.options)}` : 'matches no form';
    default:
      return `is not valid (${issue.code})`;
  }
}
