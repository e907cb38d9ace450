/**
 * A spare view's tmux client, attached ahead (spare-views.ts): the next
 * browser terminal on the session takes the view with its client already
 * running, so its first screen is one redraw away instead of a process
 * spawn and a tmux client's start (~6 ms of the ~8 ms an attach took).
 *
 * While warm, the client's output is read and dropped: a tmux client whose
 * pty is not read blocks, and the tmux server then buffers for it without
 * bound. What a browser terminal needs from it is only what tmux sent once,
 * when it started the terminal (its "init", start-bytes.ts): a terminal
 * that takes a warm client gets the init, a CAN (whatever live output comes
 * next may start inside a sequence), then the redraw.
 *
 * A warm client is attached with ignore-size (it sizes no window) and is no
 * device: the listing and the scheduler leave out clients of a spare. One
 * whose session is chatty retires after WARM_DROP_MAX bytes (its view goes
 * with it: destroy-unattached), so an unwatched flood costs a bounded amount
 * of reading; the session's next terminal attaches the usual way.
 */
import type { TmuxClient } from '../../tmux/index.js';
import { attachViewPty, type IDisposable, type IPty } from '../../tmux/pty.js';
import { StartBytes } from './start-bytes.js';

/** Output a warm client may drop before it retires (bytes). */
export const WARM_DROP_MAX = 1 << 20;
/** A client that has not started its terminal this long (ms) after it was spawned never will: it retires. */
const INIT_TIMEOUT_MS = 5000;

export interface WarmOptions {
  tmux: TmuxClient;
  /** The spare view (a session id) to attach to. */
  viewId: string;
  cols: number;
  rows: number;
  /** Working directory of the tmux client. */
  cwd: string;
  /** The client ended (its view was killed, it retired, the server went) before a terminal took it. */
  onGone: () => void;
}

export class WarmClient {
  readonly pty: IPty;
  /** What tmux sent to start the terminal. */
  private readonly init = new StartBytes();
  private dropped = 0;
  private subs: IDisposable[];
  private taken = false;
  private gone = false;
  /** Waiting for whenReady(). */
  private waiting: ((ready: boolean) => void)[] = [];
  private initTimer: NodeJS.Timeout | null;

  constructor(private readonly o: WarmOptions) {
    this.pty = attachViewPty(o.tmux, o.viewId, { readOnly: false, ignoreSize: true, cols: o.cols, rows: o.rows, cwd: o.cwd });
    this.subs = [
      this.pty.onData((d) => this.read(d as unknown as Buffer)),
      this.pty.onExit(() => {
        this.dispose();
        o.onGone();
      }),
    ];
    this.initTimer = setTimeout(() => this.retire(), INIT_TIMEOUT_MS);
    // Never worth keeping a stopping daemon alive for.
    this.initTimer.unref();
  }

  /** Resolves true once a browser terminal may take the client, false if it ended (or was taken) first. */
  whenReady(): Promise<boolean> {
    if (this.ready || this.gone || this.taken) return Promise.resolve(this.ready);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** The client has started the terminal: a browser terminal may take it now. */
  get ready(): boolean {
    return this.init.bytes !== null && !this.taken && !this.gone;
  }

  /**
   * A browser terminal takes the client: this stops reading it, and hands
   * back what to send first (the init). The caller reads the pty from now
   * on, sends a CAN after the init, and asks tmux for the redraw (a resize,
   * or redrawAll) once it reads.
   */
  take(): Buffer {
    this.taken = true;
    this.dispose();
    return this.init.bytes ?? Buffer.alloc(0);
  }

  /** End the client (its view goes with it). Idempotent. */
  kill(): void {
    this.dispose();
    try {
      this.pty.kill();
    } catch {
      // Exited already: that is what we wanted.
    }
  }

  private read(d: Buffer): void {
    if (!this.init.done) {
      this.dropped += this.init.push(d);
      // Not a tmux that queries as 3.3a does: no init to hand on, so no use as a warm client.
      if (this.init.missed) return this.retire();
      if (this.init.bytes !== null) this.settle();
      return;
    }
    this.dropped += d.byteLength;
    if (this.dropped > WARM_DROP_MAX) this.retire();
  }

  private retire(): void {
    this.kill();
    this.o.onGone();
  }

  private dispose(): void {
    this.gone = true;
    for (const s of this.subs) s.dispose();
    this.subs = [];
    this.settle();
  }

  /** Tell whoever waits for whenReady(): ready, or no longer to be. */
  private settle(): void {
    if (this.initTimer && (this.init.bytes !== null || this.gone)) {
      clearTimeout(this.initTimer);
      this.initTimer = null;
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w(this.ready);
  }
}
