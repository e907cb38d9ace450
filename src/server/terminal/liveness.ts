/**
 * Whether a browser terminal's socket still reaches its page. A network
 * that drops without a word (a phone changing networks, Wi-Fi gone) leaves
 * both ends thinking the socket is open; keys the page sent meanwhile sit
 * in its TCP buffer and arrive when the network comes back, seconds or
 * minutes later, when the person has long taken them for lost (the page
 * said "Reconnecting…" and opened a new socket). Typed again, or an Enter
 * at a prompt that has changed since, they would run what nobody meant.
 *
 * So the daemon pings each writable terminal's page now and then (the
 * browser's network stack answers a ping with a pong by itself, however
 * busy the page is) and input that arrives while a ping has gone
 * unanswered for longer than `staleMs` came from a page that was cut off:
 * it is dropped and the socket closed (the page reconnects at once).
 * Nothing else is decided by it: a page that stops reading (a background
 * tab) is flow.ts's, and is never closed for missing pongs.
 */
import type { WebSocket } from 'ws';

/** How often (ms) a writable terminal's page is pinged (checked on the terminals' poll, every second). */
export const PING_EVERY_MS = 2000;
/** Input arriving while a ping has waited this long (ms) for its pong is from a page that was cut off. */
export const STALE_INPUT_MS = 5000;

export class Liveness {
  /** When the ping still unanswered went out, or null. */
  private waitingSince: number | null = null;
  private lastPing = -Infinity;

  constructor(private readonly ws: WebSocket, private readonly everyMs = PING_EVERY_MS, private readonly staleMs = STALE_INPUT_MS) {
    ws.on('pong', () => (this.waitingSince = null));
  }

  /** The terminals' poll: ping when it is time and none is waiting. */
  tick(now: number): void {
    if (this.waitingSince !== null || now - this.lastPing < this.everyMs || this.ws.readyState !== this.ws.OPEN) return;
    this.lastPing = now;
    this.waitingSince = now;
    this.ws.ping();
  }

  /** Input arriving `now` comes from a page that has not answered for `staleMs`. */
  cutOff(now: number): boolean {
    return this.waitingSince !== null && now - this.waitingSince > this.staleMs;
  }
}
