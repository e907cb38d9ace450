/**
 * One browser terminal's output, from its pty to its WebSocket.
 *
 * Sent at most once per event-loop turn: every pty read of that turn goes
 * out in one OUTPUT frame, built with one copy (setImmediate: after this
 * turn's I/O, before the next wait), so a flood is a few large frames, not
 * one frame and one allocation per read. While output keeps coming, frames
 * are also at least FRAME_GAP_MS apart, once the terminal's start and
 * first screen are out (START_MS).
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
/**
 * For this long (ms) after a terminal's first frame, frames are not held
 * apart: a tmux client's start and its first screen come in a few reads
 * within milliseconds, and the gap held the screen back (~2 ms of a ~7 ms
 * attach, measured with termbench's attach breakdown).
 */
const START_MS = 50;

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
  /** When the first OUTPUT frame was sent (performance.now()), or -1. */
  private firstFlush = -1;

  /**
   * `redraw`: have tmux redraw this terminal's whole screen (redrawAll, or its share's: viewer-shares.ts).
   * `frameGapMs`, `startMs`: FRAME_GAP_MS and START_MS (tests stretch or drop them to see frames joined whatever the machine's speed).
   */
  constructor(
    private readonly ws: WebSocket, private readonly redraw: () => void,
    private readonly frameGapMs = FRAME_GAP_MS, private readonly startMs = START_MS,
  ) {}

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
    // The tmux client's start (or a taken client's, with its CAN) and its first screen come in a few reads
    // a moment apart: not output that keeps coming, so nothing is held back for START_MS after the first frame.
    const now = performance.now();
    if (this.firstFlush < 0) this.firstFlush = now;
    this.lastFlush = now - this.firstFlush < this.startMs ? -Infinity : now;
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
