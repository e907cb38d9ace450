/**
 * Flow control for one browser terminal, both ways.
 *
 * Output (acknowledgements, as VS Code's pty host, but never pausing the
 * pty): bytes sent and not yet ACKed by the client, and bytes handed to the
 * socket but not yet written out, are counted. Above HIGH_WATERMARK_BYTES
 * either way the client is behind: what the pty gives meanwhile is dropped,
 * and the pty keeps being read, so the view's tmux client never blocks and
 * the tmux server buffers nothing for it. Once both counts are below
 * LOW_WATERMARK_BYTES the client has caught up and is told so (caughtUp):
 * the bridge then has tmux redraw its whole screen, which is all a terminal
 * that fell behind needs. A client that never reads or never ACKs therefore
 * costs a bounded amount of memory anywhere, whatever the session prints.
 *
 * Input: PtyInput writes to the pty itself, on the main thread, and never
 * once its descriptor is closed; the bytes waiting to be written are
 * counted, and above INPUT_QUEUE_HIGH_BYTES the WebSocket is not read until
 * the pty has taken them down to INPUT_QUEUE_LOW_BYTES (InputGate), so a
 * paste flood cannot grow memory.
 */
import { writeSync } from 'node:fs';
import type { IPty } from '../../tmux/pty.js';
import { HIGH_WATERMARK_BYTES, LOW_WATERMARK_BYTES } from '../../shared/protocol.js';

const INPUT_QUEUE_HIGH_BYTES = 4 * 1024 * 1024;
const INPUT_QUEUE_LOW_BYTES = 1024 * 1024;
/** How often a paused input stream checks whether the pty drained (ms). */
const INPUT_DRAIN_POLL_MS = 10;
/** A full pty is tried again after this long (ms), doubling up to WRITE_RETRY_MAX_MS while it stays full. */
const WRITE_RETRY_MIN_MS = 1;
const WRITE_RETRY_MAX_MS = 32;
/** Most bytes written to a pty in one turn of the event loop: a fast reader must not hold the main thread. */
const WRITE_TURN_BYTES = 1024 * 1024;

/** Something that can stop and restart reading (a socket). */
interface Pausable {
  pause(): void;
  resume(): void;
}

export class OutputFlow {
  unacked = 0;
  sending = 0;
  /** The client fell behind: output is dropped until it catches up. */
  behind = false;
  /** Output bytes dropped so far (all stalls of this client). */
  dropped = 0;
  private stopped = false;

  /** `caughtUp`: a client that was behind has caught up; what it missed must be redrawn. */
  constructor(private readonly caughtUp: () => void) {}

  /** `n` bytes of output came: true to send them, false if they are dropped. */
  admit(n: number): boolean {
    if (!this.behind) return true;
    this.dropped += n;
    return false;
  }

  /** `n` bytes handed to the socket; call the returned function once they are written out. */
  sent(n: number): () => void {
    this.unacked += n;
    this.sending += n;
    this.check();
    return () => {
      this.sending -= n;
      this.check();
    };
  }

  /** The client ACKed `n` more bytes (an increment; never below zero). */
  acked(n: number): void {
    this.unacked = Math.max(0, this.unacked - n);
    this.check();
  }

  /** The connection is closing: no more catching up. */
  stop(): void {
    this.stopped = true;
  }

  private check(): void {
    if (this.stopped) return;
    if (!this.behind && (this.unacked > HIGH_WATERMARK_BYTES || this.sending > HIGH_WATERMARK_BYTES)) {
      this.behind = true;
    } else if (this.behind && this.unacked < LOW_WATERMARK_BYTES && this.sending < LOW_WATERMARK_BYTES) {
      this.behind = false;
      this.caughtUp();
    }
  }
}

/** What InputGate watches: the bytes still waiting to be written to the pty (PtyInput). */
interface InputQueue {
  readonly queued: number;
}

export class InputGate {
  private timer: NodeJS.Timeout | null = null;

  /** `socket` is the WebSocket's raw socket (read from, paused while the pty catches up). */
  constructor(private readonly input: InputQueue, private readonly socket: Pausable | undefined) {}

  /** After a write to the pty: stop reading the socket while too much input waits. */
  check(): void {
    if (this.timer || this.input.queued <= INPUT_QUEUE_HIGH_BYTES) return;
    this.socket?.pause();
    this.timer = setInterval(() => {
      if (this.input.queued > INPUT_QUEUE_LOW_BYTES) return;
      this.stop();
      this.socket?.resume();
    }, INPUT_DRAIN_POLL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/**
 * node-pty 1.1's Unix terminal (pinned in package.json): its descriptor, and
 * the read stream that owns it (the descriptor is closed exactly when that
 * stream is destroyed, synchronously, on this thread).
 */
interface NodePtyInternals {
  _fd?: unknown;
  _socket?: { destroyed?: unknown };
  on?: (event: 'close', listener: () => void) => void;
}

/**
 * Writes and resizes for one pty, done here rather than by node-pty, and
 * none once it closes.
 *
 * node-pty 1.1 writes from libuv's thread pool (fs.write), retrying while the
 * pty is full: a write handed to a thread could meet the descriptor closed
 * meanwhile on the main thread (the tmux client ended) and printed
 * "Unhandled pty write error EBADF", or, with the number already reused for
 * a new pipe or socket, wrote the paste into that (a tmux command's stdout
 * pipe, in test/server/pty-input.test.ts). Here every write is a writeSync on
 * the main thread, made only while the read stream that owns the descriptor
 * is not destroyed: a write and the close can no longer overlap. The
 * descriptor is non-blocking (node-pty sets O_NONBLOCK), so a full pty
 * throws EAGAIN at once and the rest waits in this queue, tried again after
 * WRITE_RETRY_MIN_MS, backing off to WRITE_RETRY_MAX_MS while the program
 * reads nothing. resize() is an ioctl on the same descriptor: it threw
 * "ioctl(2) failed" out of the WebSocket handler once the pty had ended.
 */
export class PtyInput {
  private open = true;
  private readonly pending: Buffer[] = [];
  /** Bytes of pending[0] already written. */
  private offset = 0;
  private pendingBytes = 0;
  private retry: NodeJS.Timeout | null = null;
  private retryMs = WRITE_RETRY_MIN_MS;
  private readonly fd: number;
  private readonly stream: { destroyed?: unknown };

  /** `failed`: a write failed other than by the pty being full or gone (the rest of the input is dropped). */
  constructor(private readonly pty: IPty, private readonly failed: (e: unknown) => void = () => {}) {
    const internals = pty as unknown as NodePtyInternals;
    if (typeof internals._fd !== 'number' || typeof internals._socket?.destroyed !== 'boolean') {
      throw new Error('node-pty changed: PtyInput needs its _fd and _socket (src/server/terminal/flow.ts)');
    }
    this.fd = internals._fd;
    this.stream = internals._socket;
    internals.on?.('close', () => this.close());
  }

  /** Open: its descriptor is still the pty's. */
  get isOpen(): boolean {
    return this.open && this.stream.destroyed === false;
  }

  /** Bytes waiting to be written (InputGate reads it). */
  get queued(): number {
    return this.pendingBytes;
  }

  write(data: Buffer): void {
    if (!this.isOpen || data.byteLength === 0) return;
    this.pending.push(data);
    this.pendingBytes += data.byteLength;
    if (this.pending.length === 1 && !this.retry) this.flush();
  }

  resize(cols: number, rows: number): void {
    if (this.isOpen) this.pty.resize(cols, rows);
  }

  /** Drop what is queued and everything that comes later. Idempotent. */
  close(): void {
    this.open = false;
    this.pending.length = 0;
    this.pendingBytes = 0;
    this.offset = 0;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  /** Write until the pty is full or WRITE_TURN_BYTES went this turn; then try again later. */
  private flush(): void {
    this.retry = null;
    let budget = WRITE_TURN_BYTES;
    while (this.pending.length > 0) {
      if (!this.isOpen) return this.close();
      if (budget <= 0) return this.later(0);
      const head = this.pending[0]!;
      let n: number;
      try {
        n = writeSync(this.fd, head, this.offset, Math.min(head.byteLength - this.offset, budget));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') return this.later(this.retryMs);
        this.close();
        // EIO: the tmux client on the other side has gone and the pty is ending; its input has nowhere to go.
        if (code !== 'EIO') this.failed(e);
        return;
      }
      this.retryMs = WRITE_RETRY_MIN_MS;
      budget -= n;
      this.offset += n;
      this.pendingBytes -= n;
      if (this.offset === head.byteLength) {
        this.pending.shift();
        this.offset = 0;
      }
    }
  }

  /** Go on in `ms` (0: soon, after other work); a pty that stays full is tried less often. */
  private later(ms: number): void {
    if (ms > 0) this.retryMs = Math.min(WRITE_RETRY_MAX_MS, ms * 2);
    this.retry = setTimeout(() => this.flush(), ms);
  }
}
