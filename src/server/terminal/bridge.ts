/**
 * One browser terminal: a WebSocket on one side, one node-pty running
 * `tmux attach-session` on the other, speaking src/shared/protocol.ts.
 *
 * Life of a connection:
 *   awaiting-hello  the client must send HELLO within HELLO_TIMEOUT_MS;
 *                   meanwhile its per-device view session is made (grouped
 *                   with the target, so this device keeps its own current
 *                   window) and the requested window selected: none of that
 *                   needs HELLO, so it overlaps the page's answer (view-open.ts)
 *   starting        who sizes the window is decided and the pty spawned;
 *                   frames that arrive meanwhile wait in a short queue
 *   running         OUTPUT flows out, INPUT/RESIZE/ACK/SELECT/SCROLL/LIVE/FOCUS/FIT
 *                   flow in; VIEW goes out when the view's window, scrolled
 *                   state or window size changes (view-place.ts)
 *   closed          the pty is killed and the view session destroyed (tmux's
 *                   destroy-unattached is the backstop if the daemon dies)
 *
 * Flow control, both ways, is flow.ts: a client that never reads or never
 * ACKs, or pastes a flood, costs a bounded amount of memory. Output, sent
 * once per event-loop turn and dropped while a client is behind, is
 * output.ts's; the view's window and its moves (SELECT, SCROLL, LIVE, tmux's
 * own) are view-place.ts's.
 *
 * Which device sizes the window shown is sizing.ts's: this bridge tells it
 * where it is, and attaches its tmux client with ignore-size when another
 * device sizes the window.
 *
 * Read-only connections (attach -r) get an ERROR for INPUT, RESIZE, SELECT,
 * SCROLL, LIVE and FIT; nothing reaches the pty or the pane's mode. A page
 * that stops reading meanwhile is closed once those answers pile up
 * (ws-backlog.ts). Those
 * on one window share one view and tmux client (viewer-shares.ts): such a
 * connection reads the shared pty and leaves it to the share when it goes.
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket, RawData } from 'ws';
import {
  decodeClient, encodeServer, ProtocolError, PROTOCOL_VERSION,
  type ClientMsg, type ServerMsg,
} from '../../shared/protocol.js';
import {
  hasSession, killSession, TmuxError,
  type SessionPlace, type TmuxClient, type WindowFacts,
} from '../../tmux/index.js';
import type { IDisposable, IPty } from '../../tmux/pty.js';
import { redrawAll } from '../../tmux/redraw.js';
import { isWindowRef } from '../../shared/names.js';
import type { Log } from '../log.js';
import { CLOSE } from '../../shared/close-codes.js';
import { EXIT_REASON, noSessionMessage } from '../../shared/terminal-exit.js';
import { ViewPlaceTracker } from './view-place.js';
import { InputGate, PtyInput } from './flow.js';
import { CANCEL, NO_OUTPUT, TerminalOutput, type OutputStats } from './output.js';
import type { SizingMember, WindowSizing } from './sizing.js';
import type { SpareViews } from './spare-views.js';
import type { WarmClient } from './warm-client.js';
import { attachConnectionView, openConnectionView, type Joined, type ViewOpened } from './view-open.js';
import type { ViewerShares } from './viewer-shares.js';
import { notReading } from '../ws-backlog.js';
import { Liveness } from './liveness.js';

/** The client's HELLO must arrive within this many ms of the upgrade. */
export const HELLO_TIMEOUT_MS = 10_000;
/** Frames held while the view session and pty start; more is a misbehaving client. */
const MAX_QUEUED_FRAMES = 256;
/** Frames that change what tmux shows or the pty reads: refused to a read-only connection. */
const CHANGES: ReadonlySet<ClientMsg['type']> = new Set(['input', 'resize', 'select', 'scroll', 'live', 'fit']);
export type BridgeState = 'awaiting-hello' | 'starting' | 'running' | 'closed';

export interface BridgeOptions {
  tmux: TmuxClient;
  log: Log;
  /** Working directory for the pty (the tmux client; panes keep their own). */
  home: string;
  session: string;
  /** Window index or @id from the URL, or null for the session's current window. */
  window: string | null;
  readOnly: boolean;
  /** Who sizes the windows terminals show (one for all terminals). */
  sizing: WindowSizing;
  /** Views made ahead, one per session (spare-views.ts): a terminal that finds one claims it, and each makes the next. */
  spares?: SpareViews;
  /** Read-only terminals' shared clients, one per window (viewer-shares.ts). */
  shares: ViewerShares;
  /** Default HELLO_TIMEOUT_MS. */
  helloTimeoutMs?: number;
  /** Pings and their patience (liveness.ts; tests shorten them). */
  liveness?: { everyMs: number; staleMs: number };
  /** Told once, when the bridge has closed. */
  onClosed: (b: TerminalBridge) => void;
}

export interface BridgeStats extends OutputStats {
  id: string;
  session: string;
  baseId: string | null;
  viewId: string | null;
  windowId: string | null;
  readOnly: boolean;
  state: BridgeState;
  bufferedAmount: number;
  inputBytes: number;
  cols: number;
  rows: number;
}

export class TerminalBridge implements SizingMember {
  readonly id = randomBytes(4).toString('hex');
  readonly createdAt = Date.now();
  state: BridgeState = 'awaiting-hello';
  baseId: string | null = null;
  viewId: string | null = null;
  /** The browser said its page is focused and visible (FOCUS); a person is looking (the owner, unless readOnly). Unknown counts as not. */
  focused = false;
  get readOnly(): boolean {
    return this.o.readOnly;
  }
  /** The browser's device id (HELLO); a client without one is a device of its own. */
  device = `conn-${this.id}`;
  /** The browser closed the socket itself (sizing need not wait for it to come back). */
  private closedByPage = false;
  private pty: IPty | null = null;
  /** The tmux client that came with a claimed spare view (warm-client.ts), until start() takes it. */
  private warm: WarmClient | null = null;
  /** A read-only connection's share: its view, anchor, pty and pty input are the share's, not this bridge's. */
  private share: Joined | null = null;
  /** This connection's listeners on its pty (a shared one goes on without them). */
  private ptySubs: IDisposable[] = [];
  /** Resolves once what this connection leaves behind is gone (its view, or its part in a share). */
  private leaving: Promise<void> = Promise.resolve();
  private queue: ClientMsg[] = [];
  /** The view, made while HELLO is on its way (view-open.ts). */
  private readonly prepared: Promise<ViewOpened>;
  private helloTimer: NodeJS.Timeout | null;
  /** The view's window, its size and scrolled state; set once the view is open. */
  private place: ViewPlaceTracker | null = null;
  /** Set once running. */
  private output: TerminalOutput | null = null;
  private gate: InputGate | null = null;
  /** Writes and resizes, dropped once the pty closes. */
  private input: PtyInput | null = null;
  private inputBytes = 0;
  /** Pings a writable terminal's page: input from one cut off is dropped (liveness.ts). */
  private readonly liveness: Liveness | null;
  private cols = 0;
  private rows = 0;

  constructor(private readonly ws: WebSocket, private readonly o: BridgeOptions) {
    ws.on('message', (data) => this.onFrame(data));
    ws.on('close', (code) => {
      // The page closed it (1000: left the terminal or reconnects; 1001: the tab went), not a lost connection (1006).
      if (this.state !== 'closed') this.closedByPage = code === 1000 || code === 1001;
      this.dispose();
    });
    // The view needs nothing from HELLO: made while the page answers the upgrade (view-open.ts).
    this.prepared = openConnectionView({
      tmux: o.tmux, session: o.session, window: o.window, readOnly: o.readOnly, viewName: `roost-view-${this.id}`, spares: o.spares, shares: o.shares,
      closed: () => this.isClosed(),
      found: (baseId) => (this.baseId = baseId),
    }).then((v) => {
      if (v.kind !== 'ready') return v;
      // From here dispose() kills these; a close that came first already did (view-open.ts).
      this.viewId = v.opened.viewId;
      this.warm = v.warm;
      this.share = v.share;
      return v;
    });
    this.liveness = o.readOnly ? null : new Liveness(ws, o.liveness?.everyMs, o.liveness?.staleMs);
    const ms = o.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
    this.helloTimer = setTimeout(() => this.fail('timeout', `no HELLO within ${ms / 1000} s`, CLOSE.HELLO_TIMEOUT), ms);
  }

  /** The window this connection shows (@id), null before the view is open (sizing.ts reads it). */
  get windowId(): string | null {
    return this.place?.windowId ?? null;
  }

  stats(): BridgeStats {
    return {
      id: this.id, session: this.o.session, baseId: this.baseId, viewId: this.viewId, windowId: this.windowId, readOnly: this.o.readOnly, state: this.state,
      ...(this.output?.stats() ?? NO_OUTPUT), bufferedAmount: this.ws.bufferedAmount, inputBytes: this.inputBytes, cols: this.cols, rows: this.rows,
    };
  }

  /** End with an EXIT frame (the session ended, was killed, or the daemon stops). */
  end(reason: string, code: number = CLOSE.NORMAL): void {
    if (this.state === 'closed') return;
    this.send({ type: 'exit', reason });
    this.closeSocket(code, reason);
    this.dispose();
  }

  /** Close with 1001, no EXIT: the daemon stops, the session does not, and the page reconnects to the next daemon. */
  goAway(reason: string): void {
    if (this.state === 'closed') return;
    this.closeSocket(CLOSE.GOING_AWAY, reason);
    this.dispose();
  }

  // --- incoming frames ------------------------------------------------------

  private onFrame(data: RawData): void {
    if (this.state === 'closed') return;
    // ws gives a Buffer (binaryType nodebuffer, the default): read it in place.
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    let msg: ClientMsg;
    try {
      msg = decodeClient(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
    } catch (e) {
      if (e instanceof ProtocolError) return this.fail('protocol', e.message, CLOSE.PROTOCOL);
      throw e;
    }
    if (this.state === 'awaiting-hello') {
      if (msg.type !== 'hello') return this.fail('protocol', 'the first frame must be HELLO', CLOSE.PROTOCOL);
      if (msg.v !== PROTOCOL_VERSION) return this.fail('version', `protocol version ${msg.v} is not supported (this daemon speaks ${PROTOCOL_VERSION}); reload the page`, CLOSE.PROTOCOL);
      clearTimeout(this.helloTimer!);
      this.helloTimer = null;
      if (msg.device !== undefined) this.device = msg.device;
      this.state = 'starting';
      this.start({ cols: msg.cols, rows: msg.rows }).catch((e: unknown) => this.failInternal(e));
      return;
    }
    if (msg.type === 'hello') return this.fail('protocol', 'HELLO was already sent', CLOSE.PROTOCOL);
    // Taken from any connection (the page sends it whatever its role): it changes nothing in tmux, and a read-only one's counts for nothing (Terminals.isLookedAt).
    if (msg.type === 'focus') {
      this.focused = msg.focused;
      return;
    }
    if (this.state === 'starting') {
      if (this.queue.length >= MAX_QUEUED_FRAMES) return this.fail('busy', 'too many frames before the terminal started', CLOSE.PROTOCOL);
      this.queue.push(msg);
      return;
    }
    this.handle(msg);
  }

  private handle(msg: ClientMsg): void {
    if (this.o.readOnly && CHANGES.has(msg.type)) return this.refuse(msg.type);
    const input = this.input!;
    switch (msg.type) {
      case 'ack':
        this.output!.acked(msg.bytes);
        return;
      case 'input':
        if (this.liveness?.cutOff(Date.now())) {
          this.o.log.info(`terminal ${this.o.session}: input from a page that stopped answering pings dropped; it reconnects`);
          this.closeSocket(CLOSE.TRY_LATER, 'unanswered');
          this.dispose();
          return;
        }
        this.inputBytes += msg.data.byteLength;
        this.place!.input(() => {
          if (this.state !== 'running') return;
          input.write(Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength));
          this.gate!.check();
        });
        return;
      case 'resize':
        this.cols = msg.cols;
        this.rows = msg.rows;
        input.resize(msg.cols, msg.rows);
        return;
      case 'select': {
        const w = msg.window;
        if (!isWindowRef(w)) return this.send({ type: 'error', code: 'bad-window', message: `no window ${JSON.stringify(w)}: use an index or @id` });
        return this.place!.select(w);
      }
      case 'scroll':
        return this.place!.scroll(msg.lines);
      case 'live':
        return this.place!.live();
      case 'fit':
        void this.o.sizing.take(this);
        return;
      case 'hello':
      case 'focus':
        return; // handled in onFrame
    }
  }

  /** Terminals' poll of every view (started at `polledAt`): this view's row, and the viewed session's name now. */
  polled(place: SessionPlace, polledAt: number, baseName: string | undefined): void {
    if (this.state !== 'running') return;
    this.place?.polled(place, polledAt, baseName);
    this.share?.share.placed(place.windowId, place.windowIndex);
  }

  /** The terminals' poll (about once a second): ping the page when it is time. */
  tick(now: number): void {
    if (this.state === 'running') this.liveness?.tick(now);
  }

  /** sizing.ts decided about the window this view shows: whether this device sizes it, and its size. */
  sized(sizer: boolean, facts: WindowFacts): void {
    this.place?.sized(sizer, facts);
  }

  private refuse(what: string): void {
    this.send({ type: 'error', code: 'read-only', message: `this login is read-only: ${what} refused` });
  }

  /** A method, not a property test, because the socket may close while start() awaits tmux. */
  private isClosed(): boolean {
    return this.state === 'closed';
  }

  // --- start ----------------------------------------------------------------

  /** `screen`: the device's, from HELLO. */
  private async start(screen: { cols: number; rows: number }): Promise<void> {
    const { tmux, session } = this.o;
    const prepared = await this.prepared;
    if (this.isClosed() || prepared.kind === 'closed') return;
    if (prepared.kind === 'no-session') return this.fail('no-session', noSessionMessage(session), CLOSE.NO_SESSION);
    if (prepared.kind === 'failed') throw prepared.error;
    const { opened, baseId: sessionId } = prepared;
    if (opened.missingWindow) this.send({ type: 'error', code: 'no-window', message: `no window ${this.o.window} in ${session}; showing its current window` });
    const current = opened.window;
    this.place = new ViewPlaceTracker({
      tmux, viewId: opened.viewId, readOnly: this.o.readOnly, sizing: this.o.sizing, member: this, label: session,
      // Before HELLO a size goes out with it, not as a VIEW.
      send: (v) => {
        if (this.state === 'running') this.send({ type: 'view', ...v });
      },
      title: (title) => this.send({ type: 'title', title }),
      // A read-only page never sends RESIZE: its client is kept at the window's size here.
      ...(this.o.readOnly ? { resized: (c: number, r: number) => this.input?.resize(c, r) } : {}),
      noWindow: (w) => this.send({ type: 'error', code: 'no-window', message: `no window ${w} in ${session}` }),
      onError: (e) => {
        // A window or pane gone mid-move is not worth a message; a dead server is.
        if (!(e instanceof TmuxError) || e.kind === 'no-server') this.failInternal(e);
      },
    }, { windowId: current.id, windowIndex: current.index });
    const attached = await attachConnectionView({
      tmux, sizing: this.o.sizing, member: this, viewId: opened.viewId, readOnly: this.o.readOnly, home: this.o.home,
      warm: this.warm, share: this.share, place: this.place, ...screen, closed: () => this.isClosed(),
    });
    if (!attached) return;
    // Taken: from here the pty is this bridge's.
    this.warm = null;
    const { pty, tty, sizer, init, cols, rows } = attached;
    this.pty = pty;
    this.cols = cols;
    this.rows = rows;
    this.input = this.share?.ready.input ?? new PtyInput(pty, (e) => this.o.log.warn({ err: e as Error }, `terminal ${this.o.session}: writing to its pty failed; input dropped`));
    const share = this.share?.share;
    const redraw = share ? () => share.redraw() : () => void redrawAll(pty);
    const output = new TerminalOutput(this.ws, redraw);
    this.output = output;
    this.gate = new InputGate(this.input, (this.ws as unknown as { _socket?: { pause(): void; resume(): void } })._socket);
    let drawn = false;
    this.ptySubs.push(pty.onData((d) => {
      // The tmux client is there once it draws: sizing can now change its flag if it decided otherwise meanwhile.
      if (!drawn && tty) void this.o.sizing.attached(this, tty, !sizer || this.o.readOnly, true);
      // Once this terminal's first screen is on its way, its session's next spare view may be made.
      if (!drawn) this.o.spares?.prepare(sessionId, { cols: this.cols, rows: this.rows, windowId: this.windowId });
      drawn = true;
      output.push(d as unknown as Buffer);
    }), pty.onExit(() => this.onPtyExit()));
    // A shared client that exited before this connection listened.
    if (this.share?.share.ended) return this.onPtyExit();
    this.state = 'running';
    const size = this.place.size;
    this.send({ type: 'hello', v: PROTOCOL_VERSION, readOnly: this.o.readOnly, session, window: String(current.index), ...(size ? { size } : {}) });
    if (init) {
      // Then CAN: live output read from here on may begin inside a sequence whose start was dropped.
      output.push(Buffer.concat([init, Buffer.from([CANCEL])]));
      // The redraw, absolute from a clean slate (redraw.ts): the resize's when the size changes, else asked for.
      if (pty.cols !== cols || pty.rows !== rows) this.input.resize(cols, rows);
      else redraw();
    }
    const queued = this.queue;
    this.queue = [];
    for (const m of queued) if (this.state === 'running') this.handle(m);
  }

  private onPtyExit(): void {
    if (this.state === 'closed') return;
    const base = this.baseId;
    // Did the session end, or only this tmux client (e.g. detached by a user)?
    const check = base ? hasSession(this.o.tmux, base).catch(() => false) : Promise.resolve(false);
    void check.then((alive) => this.end(alive ? EXIT_REASON.detached : EXIT_REASON.ended));
  }

  // --- closing ----------------------------------------------------------------

  private send(msg: ServerMsg): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    // A page that stopped reading while frames still come in (a flood of refused ones answered with ERROR,
    // or hours of TITLEs): closed before its backlog grows the daemon (ws-backlog.ts).
    if (notReading(this.ws)) {
      this.closeSocket(CLOSE.TRY_LATER, 'not reading');
      this.dispose();
      return;
    }
    this.ws.send(encodeServer(msg));
  }

  private closeSocket(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason.slice(0, 120));
  }

  /** ERROR frame, close the socket with `closeCode`, clean up. Affects this connection only. */
  fail(code: string, message: string, closeCode: number): void {
    if (this.state === 'closed') return;
    this.send({ type: 'error', code, message });
    this.closeSocket(closeCode, code);
    this.dispose();
  }

  private failInternal(e: unknown): void {
    if (this.state === 'closed') return;
    if (e instanceof TmuxError) {
      this.o.log.warn({ err: e }, `terminal ${this.o.session}: tmux failed`);
      return this.fail('tmux', `tmux: ${e.message.split('\n')[0]}`, CLOSE.INTERNAL);
    }
    this.o.log.error({ err: e as Error }, `terminal ${this.o.session} failed`);
    this.fail('internal', 'internal error (see the daemon log)', CLOSE.INTERNAL);
  }

  private killView(): Promise<void> {
    const id = this.viewId;
    if (!id) return Promise.resolve();
    // Gone already (destroy-unattached got there first) is fine.
    return killSession(this.o.tmux, id).catch(() => undefined);
  }

  /** Idempotent: kill the pty and the view session, stop timers, tell the owner. */
  dispose(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.gate?.stop();
    this.place?.stop();
    // Before the kill: no redraw for a client that is going, and a queued paste must not outlive it.
    this.output?.stop();
    this.queue = [];
    for (const s of this.ptySubs) s.dispose();
    this.ptySubs = [];
    // A warm client not yet taken (closed before HELLO) goes with its view.
    this.warm?.kill();
    if (this.share) {
      // The share's last connection ends it (its client, view and anchor).
      this.leaving = this.share.share.leave();
    } else {
      this.input?.close();
      try {
        this.pty?.kill();
      } catch {
        // Already exited: that is what we wanted.
      }
      this.leaving = this.killView();
    }
    void this.o.sizing.leave(this, this.closedByPage);
    this.o.onClosed(this);
  }

  /** Wait until the view session is gone (shutdown and tests). */
  async disposed(): Promise<void> {
    this.dispose();
    await this.leaving;
  }
}
