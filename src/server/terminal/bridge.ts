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
 * ACKs, or pastes a flood, costs a bounded amount of memory. Output that a
 * client fell behind on is dropped, and once it catches up tmux redraws its
 * whole screen (redrawAll), after a CAN that ends whatever escape sequence
 * the dropped bytes cut off, so its terminal starts again from a clean state.
 *
 * Output is sent once per event-loop turn: every pty read of that turn in
 * one OUTPUT frame, built with one copy.
 *
 * Which device sizes the window shown is sizing.ts's: this bridge tells it
 * where it is, and attaches its tmux client with ignore-size when another
 * device sizes the window.
 *
 * Read-only connections (attach -r) get an ERROR for INPUT, RESIZE, SELECT,
 * SCROLL, LIVE and FIT; nothing reaches the pty or the pane's mode.
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket, RawData } from 'ws';
import {
  decodeClient, encodeServer, ProtocolError, PROTOCOL_VERSION, ServerType,
  type ClientMsg, type ServerMsg, type WindowSize,
} from '../../shared/protocol.js';
import {
  hasSession, killSession, labelView, selectViewWindow, TmuxError,
  type SessionPlace, type SizeAnchor, type TmuxClient, type ViewPlace, type WindowFacts,
} from '../../tmux/index.js';
import { attachViewPty, ptyTtyName, type IPty } from '../../tmux/pty.js';
import { redrawAll } from '../../tmux/redraw.js';
import { isWindowRef } from '../../shared/names.js';
import type { Log } from '../log.js';
import { CLOSE } from '../../shared/close-codes.js';
import { ViewPlaceTracker } from './view-place.js';
import { InputGate, OutputFlow, PtyInput } from './flow.js';
import type { SizingMember, WindowSizing } from './sizing.js';
import type { SpareViews } from './spare-views.js';
import type { WarmClient } from './warm-client.js';
import { openConnectionView, type ViewOpened } from './view-open.js';

/** The client's HELLO must arrive within this many ms of the upgrade. */
export const HELLO_TIMEOUT_MS = 10_000;
/** Frames held while the view session and pty start; more is a misbehaving client. */
const MAX_QUEUED_FRAMES = 256;
/**
 * CAN: in any state (in an escape, CSI, OSC or DCS sequence, or a UTF-8
 * character) a VT parser such as xterm.js's drops what it was reading and
 * goes back to ground; in ground it does nothing. Sent before the redraw of a
 * client whose output was cut off at an arbitrary byte.
 */
const CANCEL = 0x18;

/** Resize a pty that may have ended meanwhile (then there is nothing to resize). */
function resizePty(pty: IPty, cols: number, rows: number): void {
  try {
    pty.resize(cols, rows);
  } catch {
    // ioctl on a closed pty: its exit handler ends the connection.
  }
}

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
  /** Default HELLO_TIMEOUT_MS. */
  helloTimeoutMs?: number;
  /** Told once, when the bridge has closed. */
  onClosed: (b: TerminalBridge) => void;
}

export interface BridgeStats {
  id: string;
  session: string;
  baseId: string | null;
  viewId: string | null;
  windowId: string | null;
  readOnly: boolean;
  state: BridgeState;
  /** OUTPUT bytes sent and not yet ACKed. */
  unacked: number;
  /** OUTPUT bytes handed to the socket and not yet written out. */
  sending: number;
  bufferedAmount: number;
  /** The client fell behind: its output is dropped until it catches up (then redrawn). */
  behind: boolean;
  /** OUTPUT bytes dropped because the client was behind. */
  dropped: number;
  inputBytes: number;
  outputBytes: number;
  cols: number;
  rows: number;
}

export class TerminalBridge implements SizingMember {
  readonly id = randomBytes(4).toString('hex');
  readonly createdAt = Date.now();
  state: BridgeState = 'awaiting-hello';
  baseId: string | null = null;
  viewId: string | null = null;
  /** The window this connection shows (@id), as set at start and by SELECT (not by tmux key bindings typed in it). */
  windowId: string | null = null;
  /** The browser said its page is focused and visible (FOCUS); a person is looking. Unknown counts as not. */
  focused = false;
  get readOnly(): boolean {
    return this.o.readOnly;
  }
  /** The browser's device id (HELLO); a client without one is a device of its own. */
  device = `conn-${this.id}`;
  /** The shown window's size and whether this device sizes it (sizing.ts); null until decided. */
  private size: WindowSize | null = null;
  /** The browser closed the socket itself (sizing need not wait for it to come back). */
  private closedByPage = false;
  private pty: IPty | null = null;
  /** The tmux client that came with a claimed spare view (warm-client.ts), until start() takes it. */
  private warm: WarmClient | null = null;
  /** A read-only view's size anchor (src/tmux/size-anchor.ts): its size never sizes a window. */
  private anchor: SizeAnchor | null = null;
  private queue: ClientMsg[] = [];
  /** The view, made while HELLO is on its way (view-open.ts). */
  private readonly prepared: Promise<ViewOpened>;
  private helloTimer: NodeJS.Timeout | null;
  private selecting: Promise<void> = Promise.resolve();
  /** The view's window and scrolled state (SCROLL, LIVE, VIEW); set once running. */
  private place: ViewPlaceTracker | null = null;
  /** The session name the view's status line shows (follows renames). */
  private label: string | null = null;
  /** The last TITLE sent. */
  private title: string | null = null;
  /** Set once running. */
  private output: OutputFlow | null = null;
  private gate: InputGate | null = null;
  /** Writes and resizes, dropped once the pty closes. */
  private input: PtyInput | null = null;
  private inputBytes = 0;
  private outputBytes = 0;
  /** Pty reads of this event-loop turn, sent together (flushOutput). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
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
      tmux: o.tmux, session: o.session, window: o.window, readOnly: o.readOnly, viewName: `roost-view-${this.id}`, spares: o.spares,
      closed: () => this.isClosed(),
      found: (baseId) => (this.baseId = baseId),
    }).then((v) => {
      if (v.kind !== 'ready') return v;
      // From here dispose() kills these; a close that came first already did (view-open.ts).
      this.viewId = v.opened.viewId;
      this.warm = v.warm;
      this.anchor = v.anchor;
      return v;
    });
    const ms = o.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
    this.helloTimer = setTimeout(() => this.fail('timeout', `no HELLO within ${ms / 1000} s`, CLOSE.HELLO_TIMEOUT), ms);
  }

  stats(): BridgeStats {
    return {
      id: this.id, session: this.o.session, baseId: this.baseId, viewId: this.viewId, windowId: this.windowId, readOnly: this.o.readOnly, state: this.state,
      unacked: this.output?.unacked ?? 0, sending: this.output?.sending ?? 0, bufferedAmount: this.ws.bufferedAmount,
      behind: this.output?.behind ?? false, dropped: this.output?.dropped ?? 0,
      inputBytes: this.inputBytes, outputBytes: this.outputBytes, cols: this.cols, rows: this.rows,
    };
  }

  /** End with an EXIT frame (the session ended, was killed, or the daemon stops). */
  end(reason: string, code: number = CLOSE.NORMAL): void {
    if (this.state === 'closed') return;
    this.send({ type: 'exit', reason });
    this.closeSocket(code, reason);
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
      this.start(msg.cols, msg.rows).catch((e: unknown) => this.failInternal(e));
      return;
    }
    if (msg.type === 'hello') return this.fail('protocol', 'HELLO was already sent', CLOSE.PROTOCOL);
    // Any connection, read-only too: it changes nothing in tmux, only whether notifications are held back.
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
    const input = this.input!;
    switch (msg.type) {
      case 'ack':
        this.output!.acked(msg.bytes);
        return;
      case 'input':
        if (this.o.readOnly) return this.refuse('input');
        this.inputBytes += msg.data.byteLength;
        this.place!.input(() => {
          if (this.state !== 'running') return;
          input.write(Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength));
          this.gate!.check();
        });
        return;
      case 'resize':
        if (this.o.readOnly) return this.refuse('resize');
        this.cols = msg.cols;
        this.rows = msg.rows;
        input.resize(msg.cols, msg.rows);
        return;
      case 'select': {
        if (this.o.readOnly) return this.refuse('select');
        const w = msg.window;
        if (!isWindowRef(w)) return this.send({ type: 'error', code: 'bad-window', message: `no window ${JSON.stringify(w)}: use an index or @id` });
        // One after the other, so quick tab clicks land in order.
        this.selecting = this.selecting.then(() => this.select(w));
        return;
      }
      case 'scroll':
        if (this.o.readOnly) return this.refuse('scroll');
        return this.place!.scroll(msg.lines);
      case 'live':
        if (this.o.readOnly) return this.refuse('live');
        return this.place!.live();
      case 'fit':
        if (this.o.readOnly) return this.refuse('fit');
        void this.o.sizing.take(this);
        return;
      case 'hello':
      case 'focus':
        return; // handled in onFrame
    }
  }

  /**
   * Terminals' poll of every view (started at `polledAt`): where this view
   * is, the viewed session's name for the status line, and the title of the
   * view's window (`index name[ — pane title]`), sent as TITLE when it changes.
   */
  polled(place: SessionPlace, polledAt: number, baseName: string | undefined, title: string): void {
    if (this.state !== 'running' || !this.viewId) return;
    this.place?.polled(place, polledAt);
    // The window's size as tmux has it now (the sizer resized, or the view moved); who sizes it stays sizing's.
    if (this.size && place.windowId === this.windowId && place.width > 0) this.sized(this.size.sizer, { width: place.width, height: place.height, statusRows: place.statusRows, sizer: '' });
    if (baseName !== undefined && this.label !== null && baseName !== this.label) {
      this.label = baseName;
      // The status line keeps the old name until the next poll tries again; a view gone meanwhile needs no label.
      labelView(this.o.tmux, this.viewId, baseName).catch(() => undefined);
    }
    // Programs set pane titles: keep a page title short.
    const full = `${this.label ?? this.o.session}:${title}`.slice(0, 200);
    if (full !== this.title) {
      this.title = full;
      this.send({ type: 'title', title: full });
    }
  }

  /** sizing.ts decided about the window this view shows: whether this device sizes it, and its size. */
  sized(sizer: boolean, facts: WindowFacts): void {
    this.size = { cols: facts.width, rows: facts.height + facts.statusRows, sizer };
    // Before HELLO the size goes out with it (start()).
    if (this.state === 'running') this.place?.sized(this.size);
  }

  /** tmux moved the view to another window (prefix-n, a mouse click on the status line). */
  private movedByTmux(place: ViewPlace): void {
    this.windowId = place.windowId;
    // aggressive-resize on the new window, as SELECT does; then who sizes it.
    if (this.viewId) selectViewWindow(this.o.tmux, this.viewId, null, { readOnly: this.o.readOnly }).catch(() => undefined);
    void this.o.sizing.place(this);
  }

  private async select(window: string): Promise<void> {
    if (this.state !== 'running' || !this.viewId) return;
    try {
      const viewId = this.viewId;
      await this.o.sizing.move(this, async () => {
        const current = await selectViewWindow(this.o.tmux, viewId, window, { readOnly: this.o.readOnly });
        this.windowId = current.id;
        this.place?.selected({ windowId: current.id, windowIndex: current.index });
      });
    } catch (e) {
      if (e instanceof TmuxError && e.kind !== 'no-server') this.send({ type: 'error', code: 'no-window', message: `no window ${window} in ${this.o.session}` });
      else this.failInternal(e);
    }
  }

  private refuse(what: string): void {
    this.send({ type: 'error', code: 'read-only', message: `this login is read-only: ${what} refused` });
  }

  /** A method, not a property test, because the socket may close while start() awaits tmux. */
  private isClosed(): boolean {
    return this.state === 'closed';
  }

  // --- start ----------------------------------------------------------------

  private async start(cols: number, rows: number): Promise<void> {
    const { tmux, session } = this.o;
    const prepared = await this.prepared;
    if (this.isClosed() || prepared.kind === 'closed') return;
    if (prepared.kind === 'no-session') return this.fail('no-session', `no session named ${session}`, CLOSE.NO_SESSION);
    if (prepared.kind === 'failed') throw prepared.error;
    const { opened, baseId: sessionId } = prepared;
    if (opened.missingWindow) this.send({ type: 'error', code: 'no-window', message: `no window ${this.o.window} in ${session}; showing its current window` });
    this.label = session;
    const current = opened.window;
    this.windowId = current.id;
    // A warm client is attached already, with ignore-size: at this device's size before sizing decides, so a
    // decision that it sizes the window gives the window this size at once; and known to sizing, so that
    // decision reaches it.
    const warmTty = this.warm ? ptyTtyName(this.warm.pty) : null;
    if (this.warm && warmTty) {
      resizePty(this.warm.pty, cols, rows);
      void this.o.sizing.attached(this, warmTty, true);
    }
    // Who sizes this window decides the flag the tmux client attaches with: attaching makes it the window's latest.
    const sizer = await this.o.sizing.place(this);
    if (this.isClosed()) return;
    this.place = new ViewPlaceTracker({
      tmux,
      viewId: opened.viewId,
      send: (v) => this.send({ type: 'view', ...v }),
      onWindow: (p) => this.movedByTmux(p),
      onError: (e) => {
        // A window or pane gone mid-move is not worth a message; a dead server is.
        if (!(e instanceof TmuxError) || e.kind === 'no-server') this.failInternal(e);
      },
    }, { windowId: current.id, windowIndex: current.index, size: this.size });
    // A device that does not size the window shows it whole: its tmux client takes the window's size, not the screen's.
    const size = this.size;
    if (size && !size.sizer) {
      cols = size.cols;
      rows = size.rows;
    }
    this.cols = cols;
    this.rows = rows;
    const warm = this.warm;
    this.warm = null;
    // What a warm client sent to start its terminal goes first (warm-client.ts).
    const init = warm ? warm.take() : null;
    const pty = warm ? warm.pty : attachViewPty(tmux, opened.viewId, { readOnly: this.o.readOnly, ignoreSize: !sizer, cols, rows, cwd: this.o.home });
    this.pty = pty;
    const tty = ptyTtyName(pty);
    if (tty) void this.o.sizing.attached(this, tty, !sizer || this.o.readOnly);
    this.input = new PtyInput(pty, (e) => this.o.log.warn({ err: e as Error }, `terminal ${this.o.session}: writing to its pty failed; input dropped`));
    this.output = new OutputFlow(() => this.caughtUp());
    this.gate = new InputGate(this.input, (this.ws as unknown as { _socket?: { pause(): void; resume(): void } })._socket);
    let drawn = false;
    pty.onData((d) => {
      // The tmux client is there once it draws: sizing can now change its flag if it decided otherwise meanwhile.
      if (!drawn && tty) void this.o.sizing.attached(this, tty, !sizer || this.o.readOnly, true);
      // Once this terminal's first screen is on its way, its session's next spare view may be made.
      if (!drawn) this.o.spares?.prepare(sessionId, { cols: this.cols, rows: this.rows, windowId: this.windowId });
      drawn = true;
      this.onOutput(d as unknown as Buffer);
    });
    pty.onExit(() => this.onPtyExit());
    this.state = 'running';
    this.send({ type: 'hello', v: PROTOCOL_VERSION, readOnly: this.o.readOnly, session, window: String(current.index), ...(this.size ? { size: this.size } : {}) });
    if (init) {
      // Then CAN: live output read from here on may begin inside a sequence whose start was dropped.
      this.onOutput(Buffer.concat([init, Buffer.from([CANCEL])]));
      // The redraw, absolute from a clean slate (redraw.ts): the resize's when the size changes, else asked for.
      if (pty.cols !== cols || pty.rows !== rows) this.input.resize(cols, rows);
      else redrawAll(pty);
    }
    const queued = this.queue;
    this.queue = [];
    for (const m of queued) if (this.state === 'running') this.handle(m);
  }

  // --- output and flow control ------------------------------------------

  private onOutput(data: Buffer): void {
    if (this.state !== 'running') return;
    const n = data.byteLength;
    if (!this.output!.admit(n)) return;
    this.outputBytes += n;
    // node-pty hands out each read's own Buffer, so holding it until the turn ends is safe.
    this.pending.push(data);
    this.pendingBytes += n;
    if (this.pending.length === 1) setImmediate(() => this.flushOutput());
  }

  /** One OUTPUT frame for the reads of this turn (setImmediate: after this turn's I/O, before the next wait). */
  private flushOutput(): void {
    const parts = this.pending;
    const n = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.state !== 'running' || this.ws.readyState !== this.ws.OPEN) return;
    const frame = Buffer.allocUnsafe(n + 1);
    frame[0] = ServerType.OUTPUT;
    let at = 1;
    for (const p of parts) at += p.copy(frame, at);
    this.ws.send(frame, { binary: true }, this.output!.sent(n));
  }

  /**
   * The client caught up after output was dropped: reset its parser (CAN),
   * then have tmux redraw everything. Output read before the redraw comes
   * through as usual; the redraw overwrites whatever it drew.
   */
  private caughtUp(): void {
    if (this.state !== 'running' || !this.pty) return;
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(Buffer.from([ServerType.OUTPUT, CANCEL]), { binary: true }, this.output!.sent(1));
    redrawAll(this.pty);
  }

  private onPtyExit(): void {
    if (this.state === 'closed') return;
    const base = this.baseId;
    // Did the session end, or only this tmux client (e.g. detached by a user)?
    const check = base ? hasSession(this.o.tmux, base).catch(() => false) : Promise.resolve(false);
    void check.then((alive) => this.end(alive ? 'the terminal was detached' : 'the session ended'));
  }

  // --- closing ----------------------------------------------------------------

  private send(msg: ServerMsg): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(encodeServer(msg));
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
    // Before the kill: no redraw for a client that is going, and a queued paste must not outlive it.
    this.output?.stop();
    this.input?.close();
    this.queue = [];
    // A warm client not yet taken (closed before HELLO) goes with its view.
    this.warm?.kill();
    try {
      this.pty?.kill();
    } catch {
      // Already exited: that is what we wanted.
    }
    void this.o.sizing.leave(this, this.closedByPage);
    // The anchor leaves last: alone for a moment, the read-only client would size the window.
    const anchor = this.anchor;
    void this.killView().finally(() => anchor?.close());
    this.o.onClosed(this);
  }

  /** Wait until the view session is gone (shutdown and tests). */
  async disposed(): Promise<void> {
    this.dispose();
    await this.killView();
  }
}
