/**
 * The little of a WebSocket that the connection logic needs, as plain types
 * (no DOM), so that logic runs in unit tests as well as in the browser.
 * websocket.ts adapts the browser's WebSocket to it.
 */

export interface SocketHandlers {
  open(): void;
  /** A binary message (ArrayBuffer → Uint8Array) or a text message. */
  message(data: Uint8Array | string): void;
  /** The socket is gone, whichever side closed it. Called at most once. */
  close(code: number, reason: string): void;
}

export interface Socket {
  send(data: Uint8Array | string): void;
  /** Close and detach: no handler of this socket is called afterwards. */
  close(): void;
}

/** Open a socket to `path` (e.g. "/api/events") on the page's own origin. */
export type OpenSocket = (path: string, handlers: SocketHandlers) => Socket;

/** Is the login still good? Asked after a failed attempt, since a refused WebSocket upgrade hides its HTTP status. */
export type AuthCheck = () => Promise<'ok' | 'unauthorized' | 'unknown'>;
