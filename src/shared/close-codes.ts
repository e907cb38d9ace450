/**
 * WebSocket close codes of the daemon's sockets (/api/terminal, /api/events),
 * written once for the daemon that closes with them and the browser that acts
 * on them (docs/protocol.md lists them for other clients). 1xxx are the
 * standard ones; 4xxx are Roost's: a client should reconnect after 1001,
 * 1011 and 1013, and not after 4401 (log in again), 4400 or 4404 (fix the
 * URL).
 */
export const CLOSE = {
  /** The session ended (after an EXIT frame). */
  NORMAL: 1000,
  /** The daemon is stopping. */
  GOING_AWAY: 1001,
  /** A malformed or unexpected frame (after an ERROR frame). */
  PROTOCOL: 1002,
  /** A message over MAX_FRAME_BYTES (sent by the ws library itself). */
  TOO_BIG: 1009,
  INTERNAL: 1011,
  /** Too many connections, or a reader too slow for the events feed. */
  TRY_LATER: 1013,
  /** The request was malformed (e.g. a session name breaking the name rule). */
  BAD_REQUEST: 4400,
  /** The credential ended: logout, revoke, password change, expiry. */
  AUTH_ENDED: 4401,
  /** No such session. */
  NO_SESSION: 4404,
  /** No HELLO in time. */
  HELLO_TIMEOUT: 4408,
} as const;
