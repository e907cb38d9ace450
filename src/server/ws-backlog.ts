/**
 * A WebSocket peer that stops reading while the daemon still has things to
 * tell it leaves what it has not read in the daemon's memory. Terminal
 * output has its own flow control (terminal/flow.ts) and never gets far;
 * everything else (listings, VIEW, TITLE, and the ERROR answering each frame
 * of a flood) is bounded here: past this many unsent bytes the peer is
 * closed with 1013 ("not reading"). A page reconnects when it reads again
 * and starts from a fresh listing or screen.
 */
import type { WebSocket } from 'ws';

export const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

/** Has `ws` left more than MAX_UNSENT_BYTES unread? */
export function notReading(ws: WebSocket): boolean {
  return ws.bufferedAmount > MAX_UNSENT_BYTES;
}
