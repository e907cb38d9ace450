/**
 * One browser terminal's output, from its pty to its WebSocket.
 *
 * Sent at most once per event-loop turn: every pty read of that turn goes
 * out in one OUTPUT frame, built with one copy (setImmediate: after this
 * turn's I/O, before the next wait), so a flood is a few large frames, not
 * one frame and one allocation per read. While output keeps coming, frames
 * are also at least FRAME_GAP_MS apart; the first frame (the tmux client's
 * start) holds back nothing, so the first screen follows it at once.
 *
 * How much is in flight is flow.ts's (OutputFlow). Output a client fell
 * behind on is dropped; once it catches up it gets a CAN, which ends
 * whatever escape sequence the dropped bytes cut off, and tmux redraws its
 * whole screen (redrawAll), so its terminal starts again from a clean state.
 */
import type { WebSocket } from 'ws';
import { ServerType } from '../../shared/protocol.js';
import { OutputFlow } from './flow.js';

/**
 * CAN: in any state (in an escape, CSI, OSC or DCS sequence, or a UTF-8
 * character) a VT parser such as xterm.js's drops what it was reading and
 * goes back to ground; in ground it does nothing. Sent before the redraw of a
 * client whose output was cut off at an arbitrary byte.
 */
export const CANCEL = 0x18;

/**
 * Least time (ms) between two OUTPUT frames of one terminal. A program
 * printing fast has tmux write its client a redraw every fraction of a
 * millisecond (tens of bytes each); one frame per event-loop turn sent
 * them as ~2,000 frames a second, each a writev and a wakeup of the
 * reader. Reads that come within this long of the last frame wait for the
 * next one: measured with termbench's 20 MB throughput, the daemon's CPU
 * fell from ~0.26 s to ~0.15 s. A keystroke's echo after a pause is sent at
 * once (the last frame is older than this), and 4 ms is a quarter of a
 * 60 Hz screen refresh, so nothing a person sees comes later.
 */
export const FRAME_GAP_MS = 4;

/** What one terminal's output counts (the bridge's stats). */
export interface OutputStats {
  /** OUTPUT bytes sent and not yet ACKed. */
  unacked: number;
  /** OUTPUT bytes handed to the socket and not yet written out. */
  sending: number;
  /** The client fell behind: its output is dropped until it catches up (then redrawn). */
  behind: boolean;
  /** OUTPUT bytes dropped because the client was behind. */
  dropped: number;
  /** OUTPUT bytes read from the pty and not dropped. */
  outputBytes: number;
}

/** The counts of a terminal that has not started. */
export const NO_OUTPUT: Readonly<OutputStats> = { unacked: 0, sending: 0, behind: false, dropped: 0, outputBytes: 0 };

export class TerminalOutput {
  private bytes = 0;
  private readonly flow = new OutputFlow(() => this.caughtUp());
  /** Pty reads of this event-loop turn, sent together (flush). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private stopped = false;
  /** When the last OUTPUT frame was sent (performance.now()). */
  private lastFlush = -Infinity;
  /** An OUTPUT frame was sent (flush). */
  private sentFirst = false;

  /**
   * `redraw`: have tmux redraw this terminal's whole screen (redrawAll, or its share's: viewer-shares.ts).
   * `frameGapMs`: FRAME_GAP_MS (a test slows it down to see frames joined whatever the machine's speed).
   */
  constructor(private readonly ws: WebSocket, private readonly redraw: () => void, private readonly frameGapMs = FRAME_GAP_MS) {}

  stats(): OutputStats {
    const { unacked, sending, behind, dropped } = this.flow;
    return { unacked, sending, behind, dropped, outputBytes: this.bytes };
  }

  /** Bytes the pty gave (or a taken client's start): sent at the end of this turn, or dropped while the client is behind. */
  push(data: Buffer): void {
    if (this.stopped) return;
    const n = data.byteLength;
    if (!this.flow.admit(n)) return;
    this.bytes += n;
    // node-pty hands out each read's own Buffer, so holding it until the frame is sent is safe.
    this.pending.push(data);
    this.pendingBytes += n;
    if (this.pending.length !== 1) return;
    const wait = this.lastFlush + this.frameGapMs - performance.now();
    if (wait <= 0) setImmediate(() => this.flush());
    else setTimeout(() => this.flush(), wait);
  }

  /** The client ACKed `n` more bytes. */
  acked(n: number): void {
    this.flow.acked(n);
  }

  /** The connection is closing: nothing more is sent, and no redraw asked for. */
  stop(): void {
    this.stopped = true;
    this.pending = [];
    this.flow.stop();
  }

  private flush(): void {
    // The first frame is the tmux client's start (or a taken client's, with its CAN), and its first screen
    // follows a moment later: not output that keeps coming, so it does not hold that screen back.
    this.lastFlush = this.sentFirst ? performance.now() : -Infinity;
    this.sentFirst = true;
    const parts = this.pending;
    const n = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.stopped || this.ws.readyState !== this.ws.OPEN) return;
    const frame = Buffer.allocUnsafe(n + 1);
    frame[0] = ServerType.OUTPUT;
    let at = 1;
    for (const p of parts) at += p.copy(frame, at);
    this.ws.send(frame, { binary: true }, this.flow.sent(n));
  }

  /**
   * The client caught up after output was dropped: reset its parser (CAN),
   * then have tmux redraw everything. Output read before the redraw comes
   * through as usual; the redraw overwrites whatever it drew.
   */
  private caughtUp(): void {
    if (this.stopped) return;
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(Buffer.from([ServerType.OUTPUT, CANCEL]), { binary: true }, this.flow.sent(1));
    this.redraw();
  }
}
