/**
 * One browser terminal's link to the daemon: the protocol of
 * src/shared/protocol.ts (HELLO, OUTPUT with ACKs, INPUT, RESIZE, SELECT,
 * SCROLL, LIVE, FIT, VIEW, TITLE, ERROR, EXIT) and reconnecting when the
 * socket drops. Typing into a window another device sizes sends FIT first
 * (typing takes the window's size; anything else sent, such as the
 * terminal's own replies, does not).
 *
 * DOM-free: the socket, the screen (TerminalSink), the clock and the login
 * check are passed in, so unit tests drive it with the real codec and a fake
 * socket. There is at most one live socket: a new attempt starts only after
 * the previous socket was closed and detached.
 */
import { CLOSE } from '../../shared/close-codes.js';
import {
  decodeServer, encodeClient, MAX_SCROLL_LINES, PROTOCOL_VERSION, ProtocolError, type ClientMsg, type WindowSize,
} from '../../shared/protocol.js';
import { Reconnector, type Clock } from '../reconnect.js';
import type { AuthCheck, OpenSocket, Socket } from '../transport.js';
import { AckCounter, chunks } from './flow.js';

/** Where the output goes (xterm, through view.ts). */
export interface TerminalSink {
  /** Render `data`; call `done` once rendered (xterm's write callback). */
  write(data: Uint8Array, done: () => void): void;
  /** Forget the screen before a reconnected daemon redraws it; ordered after writes already queued. */
  reset(): void;
  /** The size to announce in HELLO. */
  size(): { cols: number; rows: number };
}

export type ConnectionState =
  | 'connecting'
  /** Live: output flows, input is sent. */
  | 'open'
  /** Lost; retrying (see `delayMs`). */
  | 'reconnecting'
  /** The session's terminal ended (EXIT); no retry. */
  | 'ended'
  /** dispose() was called, or the login is gone. */
  | 'closed';

export interface ConnectionEvents {
  onState(state: ConnectionState, delayMs?: number): void;
  /** The daemon's HELLO: whether this view is read-only, and the window shown. */
  onHello(hello: { readOnly: boolean; session: string; window: string | null }): void;
  /** This device's view moved to another window, or into or out of the scrolled-back history (VIEW). */
  onView(view: { window: string; scrolled: boolean }): void;
  /** The shown window's size, or whether this device sizes it, changed (HELLO, VIEW). */
  onSize(size: WindowSize): void;
  onTitle(title: string): void;
  onError(code: string, message: string): void;
  onExit(reason: string): void;
  /** The login expired or was revoked: go to the login page. */
  onUnauthorized(): void;
}

export interface ConnectionOptions {
  session: string;
  /** Window to show first (index as text), or null for the session's current one. */
  window: string | null;
  openSocket: OpenSocket;
  checkAuth: AuthCheck;
  clock: Clock;
  sink: TerminalSink;
  events: ConnectionEvents;
  /** This browser's device id (prefs.ts), the same on every connection; absent, each connection is a device of its own. */
  device?: string;
}

export class TerminalConnection {
  private socket: Socket | null = null;
  /** Bumped per socket, so write callbacks of an old socket never ACK on a new one. */
  private generation = 0;
  private focused = false;
  private greeted = false;
  /** Something was drawn since the page opened: a new HELLO must clear it first. */
  private drawn = false;
  private readOnlyView = false;
  /** What our HELLO (and the FOCUS after it) said; both may change before the daemon answers. */
  private helloSize = { cols: 0, rows: 0 };
  private helloFocused = false;
  private windowWanted: string | null;
  /** This page scrolled the view back (SCROLL): typing returns it to live output first. */
  private scrolledHere = false;
  private acks = new AckCounter();
  /** The shown window's size and whether this device sizes it; null until the daemon said. */
  private windowSize: WindowSize | null = null;
  /** Whether the daemon last said this view is scrolled back (VIEW). */
  private viewScrolled = false;
  /** FIT sent since the daemon last said another device sizes the window: typing does not send it again. */
  private fitSent = false;
  /** The last ERROR's message on this socket, to explain a refusal that follows. */
  private lastError: string | null = null;
  /** No more attempts until restart() (EXIT, version mismatch). */
  private ended = false;
  /** No more attempts ever (dispose, login gone). */
  private disposed = false;
  private readonly retry: Reconnector;

  constructor(private readonly o: ConnectionOptions) {
    this.windowWanted = o.window;
    this.retry = new Reconnector(o.clock, {
      attempt: () => this.connect(),
      abandon: () => this.dropSocket(),
      onState: (s, delay) => {
        if (s === 'waiting') this.o.events.onState('reconnecting', delay);
        else if (s === 'connecting') this.o.events.onState(this.drawn ? 'reconnecting' : 'connecting');
        else if (s === 'open') this.o.events.onState('open');
      },
    });
  }

  /** The window this device shows (as last asked for or announced). */
  get window(): string | null {
    return this.windowWanted;
  }

  get readOnly(): boolean {
    return this.readOnlyView;
  }

  get isOpen(): boolean {
    return this.greeted && this.socket !== null;
  }

  /** The shown window's size and whether this device sizes it (null: not known, an older daemon). */
  get size(): WindowSize | null {
    return this.windowSize;
  }

  start(): void {
    this.retry.start();
  }

  /**
   * Send keyboard input (also the seam for an on-screen key bar). Dropped
   * while disconnected or read-only: queued keystrokes replayed later could
   * run something the user thought was lost. `typed`: a person typed it
   * (keys, a paste, the key bar), not the terminal answering the program:
   * in a window another device sizes, it takes the window's size first.
   */
  sendInput(data: Uint8Array, typed = false): boolean {
    if (!this.isOpen || this.readOnlyView || data.length === 0) return false;
    if (typed && this.windowSize && !this.windowSize.sizer && !this.fitSent) this.fit();
    // Keys typed into a history this page scrolled back would drive tmux's copy mode instead of the program.
    if (this.scrolledHere) this.live();
    for (const piece of chunks(data)) this.send({ type: 'input', data: piece });
    return true;
  }

  /** The terminal was resized (fit). Read-only views never resize the session. */
  resize(cols: number, rows: number): void {
    if (!this.isOpen || this.readOnlyView) return;
    this.send({ type: 'resize', cols, rows });
  }

  /**
   * Scroll this device's view through the session's history by `lines`
   * (negative: back into history; positive: towards live output). The daemon
   * does it in tmux copy mode, which the pane's other viewers see too.
   */
  scroll(lines: number): boolean {
    if (!this.isOpen || this.readOnlyView || lines === 0) return false;
    if (lines < 0) this.scrolledHere = true;
    this.send({ type: 'scroll', lines: Math.max(-MAX_SCROLL_LINES, Math.min(MAX_SCROLL_LINES, Math.trunc(lines))) });
    return true;
  }

  /**
   * Whether a person has this page in front of them (focused and visible).
   * The daemon holds back notifications for a window someone is looking at;
   * sent right after HELLO and on every change, read-only views too.
   */
  setFocused(focused: boolean): void {
    if (focused === this.focused) return;
    this.focused = focused;
    if (this.isOpen) this.send({ type: 'focus', focused });
  }

  /** Size the shown window for this device (FIT): the "fit to this screen" button, and typing. */
  fit(): boolean {
    if (!this.isOpen || this.readOnlyView) return false;
    this.fitSent = true;
    this.send({ type: 'fit' });
    return true;
  }

  /** Back to live output: leave copy mode (any other tmux mode too). */
  live(): boolean {
    this.scrolledHere = false;
    if (!this.isOpen || this.readOnlyView) return false;
    this.send({ type: 'live' });
    return true;
  }

  /**
   * Show another window. The daemon gives each device its own view, so this
   * moves only this device. A read-only view may not SELECT: it reconnects
   * to the other window instead.
   */
  select(window: string): void {
    if (window === this.windowWanted && this.isOpen) return;
    this.windowWanted = window;
    if (this.isOpen && !this.readOnlyView) this.send({ type: 'select', window });
    else this.reconnectNow();
  }

  /**
   * A moment when the link may be stale or a retry may work (back-forward
   * cache, tab visible again, network back). `force` replaces even a socket
   * that looks open, since after sleep or a network change it may be dead
   * without knowing it.
   */
  wake(force: boolean): void {
    if (this.ended || this.retry.current === 'stopped') return;
    if (this.retry.current === 'waiting') this.retry.retryNow();
    else if (force && this.retry.current === 'open') this.reconnectNow();
  }

  /** Connect again after the terminal ended (EXIT), e.g. from a "Reconnect" button. */
  restart(): void {
    if (this.disposed || !this.ended) return;
    this.ended = false;
    this.retry.start();
  }

  /** Close for good (leaving the page). */
  dispose(): void {
    this.disposed = true;
    this.ended = true;
    this.retry.stop();
    this.dropSocket();
    this.o.events.onState('closed');
  }

  private reconnectNow(): void {
    if (this.ended) return;
    this.dropSocket();
    this.retry.stop();
    this.retry.start();
  }

  private connect(): void {
    this.dropSocket();
    const gen = ++this.generation;
    this.greeted = false;
    this.acks = new AckCounter();
    this.lastError = null;
    let path = `/api/terminal?session=${encodeURIComponent(this.o.session)}`;
    if (this.windowWanted !== null) path += `&window=${encodeURIComponent(this.windowWanted)}`;
    const live = () => gen === this.generation;
    try {
      this.socket = this.o.openSocket(path, {
        open: () => {
          if (!live()) return;
          const { cols, rows } = this.o.sink.size();
          this.helloSize = { cols, rows };
          this.send({ type: 'hello', v: PROTOCOL_VERSION, cols, rows, ...(this.o.device ? { device: this.o.device } : {}) });
          // The daemon starts each connection as not looked at: only a focused page says so.
          this.helloFocused = this.focused;
          if (this.focused) this.send({ type: 'focus', focused: true });
        },
        message: (data) => {
          if (live()) this.receive(data, gen);
        },
        close: (code) => {
          if (!live()) return;
          const wasGreeted = this.greeted;
          this.socket = null;
          this.greeted = false;
          // Not retried: the login ended, or the request itself is wrong (bad name, no such session).
          if (code === CLOSE.AUTH_ENDED) return this.loginGone();
          if (code === CLOSE.NO_SESSION || code === CLOSE.BAD_REQUEST) {
            return this.end(this.lastError ?? (code === CLOSE.NO_SESSION ? `there is no session named ${this.o.session}` : 'the daemon refused this terminal'));
          }
          this.lost(wasGreeted);
        },
      });
    } catch {
      // A WebSocket constructor throws only on a malformed URL or a blocked
      // port; treat it like a refused connection so the banner shows it.
      this.socket = null;
      this.lost(false);
    }
  }

  private lost(wasGreeted: boolean): void {
    if (this.ended) return;
    this.retry.failed();
    // A drop after a working session is usually the network or a restart;
    // a refused attempt may be an expired login, which the upgrade hides.
    if (!wasGreeted) void this.checkLogin();
  }

  private async checkLogin(): Promise<void> {
    const verdict = await this.o.checkAuth();
    if (verdict !== 'unauthorized' || this.ended) return;
    this.loginGone();
  }

  private loginGone(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ended = true;
    this.retry.stop();
    this.dropSocket();
    this.o.events.onState('closed');
    this.o.events.onUnauthorized();
  }

  private dropSocket(): void {
    this.generation++;
    const s = this.socket;
    this.socket = null;
    this.greeted = false;
    s?.close();
  }

  private send(msg: ClientMsg): void {
    this.socket?.send(encodeClient(msg));
  }

  private receive(data: Uint8Array | string, gen: number): void {
    if (typeof data === 'string') return this.fail('protocol', 'the daemon sent text on the terminal socket');
    let msg;
    try {
      msg = decodeServer(data);
    } catch (e) {
      if (e instanceof ProtocolError) return this.fail('protocol', e.message);
      throw e;
    }
    switch (msg.type) {
      case 'hello': {
        if (msg.v !== PROTOCOL_VERSION) {
          this.ended = true;
          this.retry.stop();
          this.dropSocket();
          this.o.events.onError('version', `The daemon speaks protocol version ${msg.v}, this page ${PROTOCOL_VERSION}: reload the page.`);
          this.o.events.onState('closed');
          return;
        }
        if (this.drawn) this.o.sink.reset();
        this.greeted = true;
        this.scrolledHere = false;
        this.readOnlyView = msg.readOnly;
        if (msg.window !== null) this.windowWanted = msg.window;
        // First: a device that does not size the window takes the window's grid, and the size check below sees it.
        this.windowSize = null;
        this.viewScrolled = false;
        if (msg.size) this.sized(msg.size);
        // A fit or a focus change between our HELLO and this answer (a
        // phone's key bar appearing, the tab left) could not be sent then:
        // send it now, or tmux draws for a size the screen no longer has.
        const now = this.o.sink.size();
        if (!msg.readOnly && (now.cols !== this.helloSize.cols || now.rows !== this.helloSize.rows)) {
          this.send({ type: 'resize', cols: now.cols, rows: now.rows });
        }
        if (this.focused !== this.helloFocused) this.send({ type: 'focus', focused: this.focused });
        this.retry.opened();
        this.o.events.onHello({ readOnly: msg.readOnly, session: msg.session, window: msg.window });
        return;
      }
      case 'output': {
        this.drawn = true;
        const n = msg.data.length;
        this.o.sink.write(msg.data, () => {
          if (gen !== this.generation) return;
          const ack = this.acks.rendered(n);
          if (ack > 0) this.send({ type: 'ack', bytes: ack });
        });
        return;
      }
      case 'view': {
        if (msg.size) this.sized(msg.size);
        // A VIEW for a new size alone says nothing new about where the view is: the page's tabs and URL stay.
        const moved = msg.window !== this.windowWanted || msg.scrolled !== this.viewScrolled;
        this.windowWanted = msg.window;
        this.viewScrolled = msg.scrolled;
        if (!msg.scrolled) this.scrolledHere = false;
        if (moved) this.o.events.onView({ window: msg.window, scrolled: msg.scrolled });
        return;
      }
      case 'title': return this.o.events.onTitle(msg.title);
      case 'error':
        this.lastError = msg.message;
        return this.o.events.onError(msg.code, msg.message);
      case 'exit': return this.end(msg.reason);
    }
  }

  private sized(size: WindowSize): void {
    const was = this.windowSize;
    if (was && was.cols === size.cols && was.rows === size.rows && was.sizer === size.sizer) return;
    if (!size.sizer && was?.sizer !== false) this.fitSent = false;
    this.windowSize = size;
    this.o.events.onSize(size);
  }

  /** The terminal is over (EXIT, or the daemon refused it for good): no retries until restart(). */
  private end(reason: string): void {
    this.ended = true;
    this.retry.stop();
    this.dropSocket();
    this.o.events.onExit(reason);
    this.o.events.onState('ended');
  }

  /** The daemon sent something this page cannot read: say so, drop the socket, retry later. */
  private fail(code: string, message: string): void {
    this.o.events.onError(code, message);
    const wasGreeted = this.greeted;
    this.dropSocket();
    this.lost(wasGreeted);
  }
}
