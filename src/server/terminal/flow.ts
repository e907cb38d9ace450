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
 * Input: pasted bytes waiting to be written to the pty are counted; above
 * INPUT_QUEUE_HIGH_BYTES the WebSocket is not read until the pty has taken
 * them down to INPUT_QUEUE_LOW_BYTES, so a paste flood cannot grow memory.
 * Once the pty closes, nothing more reaches it (PtyInput).
 */
import type { IPty } from '../../tmux/pty.js';
import { HIGH_WATERMARK_BYTES, LOW_WATERMARK_BYTES } from '../../shared/protocol.js';

const INPUT_QUEUE_HIGH_BYTES = 4 * 1024 * 1024;
const INPUT_QUEUE_LOW_BYTES = 1024 * 1024;
/** How often a paused input stream checks whether the pty drained (ms). */
const INPUT_DRAIN_POLL_MS = 10;

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

export class InputGate {
  private timer: NodeJS.Timeout | null = null;

  /** `socket` is the WebSocket's raw socket (read from, paused while the pty catches up). */
  constructor(private readonly pty: IPty, private readonly socket: Pausable | undefined) {}

  /** After a write to the pty: stop reading the socket while too much input waits. */
  check(): void {
    if (this.timer || this.queued() <= INPUT_QUEUE_HIGH_BYTES) return;
    this.socket?.pause();
    this.timer = setInterval(() => {
      if (this.queued() > INPUT_QUEUE_LOW_BYTES) return;
      this.stop();
      this.socket?.resume();
    }, INPUT_DRAIN_POLL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Bytes node-pty still has to write to the pty. node-pty 1.1 (pinned in
   * package.json) queues writes in _writeStream._writeQueue and exposes no
   * count; if that shape changes this reads 0 and the gate stays open.
   */
  private queued(): number {
    const q = (this.pty as unknown as { _writeStream?: { _writeQueue?: { buffer: Buffer; offset: number }[] } })._writeStream?._writeQueue;
    if (!Array.isArray(q)) return 0;
    let n = 0;
    for (const t of q) n += t.buffer.byteLength - t.offset;
    return n;
  }
}

/** node-pty 1.1's write queue (see InputGate.queued): the queue, and dispose() which cancels its pending retry. */
interface NodePtyInternals {
  _writeStream?: { _writeQueue?: unknown[]; dispose?: () => void };
  on?: (event: 'close', listener: () => void) => void;
}

/**
 * Writes and resizes for one pty, dropped once it closes. node-pty 1.1 keeps
 * writing its queue (a paste the program has not read yet) after the pty's
 * descriptor is closed, and resize() calls ioctl on that descriptor: the
 * first printed "Unhandled pty write error EBADF", the second threw out of
 * the WebSocket handler ("ioctl(2) failed"), and with the descriptor number
 * already reused both would reach another file or socket. The queue is
 * emptied when the pty closes (node-pty's 'close' comes before any queued
 * write can run again) and when the bridge is about to kill it.
 */
export class PtyInput {
  private open = true;

  constructor(private readonly pty: IPty) {
    (pty as unknown as NodePtyInternals).on?.('close', () => this.close());
  }

  get isOpen(): boolean {
    return this.open;
  }

  write(data: Buffer): void {
    if (this.open) this.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.open) this.pty.resize(cols, rows);
  }

  /** Drop what is queued and everything that comes later. Idempotent. */
  close(): void {
    this.open = false;
    const stream = (this.pty as unknown as NodePtyInternals)._writeStream;
    if (Array.isArray(stream?._writeQueue)) stream._writeQueue.length = 0;
    stream?.dispose?.();
  }
}
