/**
 * What tmux sends once, when a client starts its terminal: the alternate
 * screen and keypad modes, everything before its first query (`ESC [ > c`,
 * secondary device attributes; measured on tmux 3.3a). A browser terminal
 * that takes over a tmux client already running (a warm client,
 * warm-client.ts; a read-only viewer joining a shared client,
 * viewer-shares.ts) gets these bytes first, then a CAN, then a redraw
 * (redraw.ts): everything else tmux sends again, absolutely, when asked.
 * The queries are never passed on: answered late, after tmux stopped
 * waiting, their replies would be read as keys.
 */

/** tmux's first query to a terminal it starts: the start ends before it. */
const FIRST_QUERY = Buffer.from('\x1b[>');
/** The start is in a client's first output; this much without its first query means it never comes. */
const START_MAX = 16 * 1024;

export class StartBytes {
  private seen: Buffer[] = [];
  private seenBytes = 0;
  /** The start; null until the first query came. */
  bytes: Buffer | null = null;
  /** The first query never came within START_MAX: not a tmux that starts terminals as 3.3a does. */
  missed = false;

  /** A read from the client, until `done`; returns how many of its bytes came after the start (0 while still looking). */
  push(d: Buffer): number {
    if (this.done) return d.byteLength;
    this.seen.push(d);
    this.seenBytes += d.byteLength;
    const all = this.seen.length === 1 ? d : Buffer.concat(this.seen);
    const at = all.indexOf(FIRST_QUERY);
    if (at >= 0) {
      this.bytes = Buffer.from(all.subarray(0, at));
      this.seen = [];
      return all.byteLength - at;
    }
    if (this.seenBytes > START_MAX) {
      this.missed = true;
      this.seen = [];
    }
    return 0;
  }

  /** Found, or given up. */
  get done(): boolean {
    return this.bytes !== null || this.missed;
  }
}
