/**
 * What a browser terminal says to the daemon and what the daemon's frames
 * mean to it: the protocol of src/shared/protocol.ts (HELLO, OUTPUT with
 * ACKs, INPUT, RESIZE, SELECT, SCROLL, LIVE, FIT, VIEW, TITLE, ERROR, EXIT)
 * as this device's view of the session (its window, the window's size,
 * scrolled back or live, read-only or not, and the session's name, which
 * follows a rename: the daemon says so in VIEW while connected, the page
 * (rename()) when it learns it otherwise, and the next socket asks for the
 * new name. Typing into a window another
 * device sizes sends FIT first (typing takes the window's size; anything
 * else sent, such as the terminal's own replies, does not). The socket
 * under it, and reconnecting when it drops, is connection-link.ts.
 *
 * DOM-free: the socket, the screen (TerminalSink), the clock and the login
 * check are passed in, so unit tests drive it with the real codec and a fake
 * socket.
 */
import { decodeServer, MAX_SCROLL_LINES, PROTOCOL_VERSION, ProtocolError, type WindowSize } from '../../shared/protocol.js';
import { TerminalLink, type LinkEvents, type LinkOptions } from './connection-link.js';
import { chunks } from './flow.js';

/** Where the output goes (xterm, through view.ts). */
export interface TerminalSink {
  /** Render `data`; call `done` once rendered (xterm's write callback). */
  write(data: Uint8Array, done: () => void): void;
  /** Forget the screen before a reconnected daemon redraws it; ordered after writes already queued. */
  reset(): void;
  /** The size to announce in HELLO. */
  size(): { cols: number; rows: number };
}

export interface ConnectionEvents extends LinkEvents {
  /** The daemon's HELLO: whether this view is read-only, and the window shown. */
  onHello(hello: { readOnly: boolean; session: string; window: string | null }): void;
  /** This device's view moved to another window, or into or out of the scrolled-back history (VIEW). */
  onView(view: { window: string; scrolled: boolean }): void;
  /** The session was renamed (VIEW): this is its name now. */
  onRenamed(session: string): void;
  /** The shown window's size, or whether this device sizes it, changed (HELLO, VIEW). */
  onSize(size: WindowSize): void;
  onTitle(title: string): void;
  onError(code: string, message: string): void;
}

export interface ConnectionOptions extends LinkOptions {
  /** The session's name as the page was opened. */
  session: string;
  /** Window to show first (index as text), or null for the session's current one. */
  window: string | null;
  sink: TerminalSink;
  events: ConnectionEvents;
  /** This browser's device id (prefs.ts), the same on every connection; absent, each connection is a device of its own. */
  device?: string;
}

export class TerminalConnection {
  private readonly link: TerminalLink;
  private focused = false;
  /** Something was drawn since the page opened: a new HELLO must clear it first. */
  private drawn = false;
  private readOnlyView = false;
  /** What our HELLO (and the FOCUS after it) said; both may change before the daemon answers. */
  private helloSize = { cols: 0, rows: 0 };
  private helloFocused = false;
  private windowWanted: string | null;
  /** The session's name: as opened, then as renamed. */
  private sessionName: string;
  /** This page scrolled the view back (SCROLL): typing returns it to live output first. */
  private scrolledHere = false;
  /** The shown window's size and whether this device sizes it; null until the daemon said. */
  private windowSize: WindowSize | null = null;
  /** Whether the daemon last said this view is scrolled back (VIEW). */
  private viewScrolled = false;
  /** FIT sent since the daemon last said another device sizes the window: typing does not send it again. */
  private fitSent = false;

  constructor(private readonly o: ConnectionOptions) {
    this.windowWanted = o.window;
    this.sessionName = o.session;
    this.link = new TerminalLink(o, {
      session: () => this.sessionName,
      window: () => this.windowWanted,
      hello: () => this.sayHello(),
      message: (data) => this.receive(data),
      drawn: () => this.drawn,
    });
  }

  /** The window this device shows (as last asked for or announced). */
  get window(): string | null {
    return this.windowWanted;
  }

  /** The session's name now (renames followed). */
  get session(): string {
    return this.sessionName;
  }

  get readOnly(): boolean {
    return this.readOnlyView;
  }

  get isOpen(): boolean {
    return this.link.isOpen;
  }

  /** The shown window's size and whether this device sizes it (null: not known, an older daemon). */
  get size(): WindowSize | null {
    return this.windowSize;
  }

  start(): void {
    this.link.start();
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
    for (const piece of chunks(data)) this.link.send({ type: 'input', data: piece });
    if (typed) this.link.expectAnswer();
    return true;
  }

  /** The terminal was resized (fit). Read-only views never resize the session. */
  resize(cols: number, rows: number): void {
    if (!this.isOpen || this.readOnlyView) return;
    this.link.send({ type: 'resize', cols, rows });
  }

  /**
   * Scroll this device's view through the session's history by `lines`
   * (negative: back into history; positive: towards live output). The daemon
   * does it in tmux copy mode, which the pane's other viewers see too.
   */
  scroll(lines: number): boolean {
    if (!this.isOpen || this.readOnlyView || lines === 0) return false;
    if (lines < 0) this.scrolledHere = true;
    this.link.send({ type: 'scroll', lines: Math.max(-MAX_SCROLL_LINES, Math.min(MAX_SCROLL_LINES, Math.trunc(lines))) });
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
    if (this.isOpen) this.link.send({ type: 'focus', focused });
  }

  /** Size the shown window for this device (FIT): the "fit to this screen" button, and typing. */
  fit(): boolean {
    if (!this.isOpen || this.readOnlyView) return false;
    this.fitSent = true;
    this.link.send({ type: 'fit' });
    return true;
  }

  /** Back to live output: leave copy mode (any other tmux mode too). */
  live(): boolean {
    this.scrolledHere = false;
    if (!this.isOpen || this.readOnlyView) return false;
    this.link.send({ type: 'live' });
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
    if (this.isOpen && !this.readOnlyView) this.link.send({ type: 'select', window });
    else this.link.reconnectNow();
  }

  /**
   * A moment when the link may be stale or a retry may work (back-forward
   * cache, tab visible again, network back). `force` replaces even a socket
   * that looks open, since after sleep or a network change it may be dead
   * without knowing it.
   */
  wake(force: boolean): void {
    this.link.wake(force);
  }

  /**
   * The page found its session under another name (the live listing, by
   * its tmux id): renamed while no daemon could say so in VIEW (the daemon
   * restarting, the network away). The next socket asks for the new name;
   * a terminal that ended because the old one was not found connects again.
   */
  rename(session: string): void {
    if (session === this.sessionName) return;
    this.sessionName = session;
    if (this.link.endedMissing) this.link.restart();
  }

  /** Connect again after the terminal ended (EXIT), e.g. from a "Reconnect" button. */
  restart(): void {
    this.link.restart();
  }

  /** Close for good (leaving the page). */
  dispose(): void {
    this.link.dispose();
  }

  /** The socket opened: HELLO, and FOCUS if a person is looking. */
  private sayHello(): void {
    const { cols, rows } = this.o.sink.size();
    this.helloSize = { cols, rows };
    this.link.send({ type: 'hello', v: PROTOCOL_VERSION, cols, rows, ...(this.o.device ? { device: this.o.device } : {}) });
    // The daemon starts each connection as not looked at: only a focused page says so.
    this.helloFocused = this.focused;
    if (this.focused) this.link.send({ type: 'focus', focused: true });
  }

  private receive(data: Uint8Array | string): void {
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
          this.link.halt();
          this.o.events.onError('version', `The daemon speaks protocol version ${msg.v}, this page ${PROTOCOL_VERSION}: reload the page.`);
          this.o.events.onState('closed');
          return;
        }
        if (this.drawn) this.o.sink.reset();
        this.link.answered();
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
          this.link.send({ type: 'resize', cols: now.cols, rows: now.rows });
        }
        if (this.focused !== this.helloFocused) this.link.send({ type: 'focus', focused: this.focused });
        this.link.opened();
        this.o.events.onHello({ readOnly: msg.readOnly, session: msg.session, window: msg.window });
        return;
      }
      case 'output': {
        this.drawn = true;
        this.o.sink.write(msg.data, this.link.ackWhenRendered(msg.data.length));
        return;
      }
      case 'view': {
        if (msg.size) this.sized(msg.size);
        if (msg.session !== undefined && msg.session !== this.sessionName) {
          this.sessionName = msg.session;
          this.o.events.onRenamed(msg.session);
        }
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
        this.link.noteError(msg.message);
        return this.o.events.onError(msg.code, msg.message);
      case 'exit': return this.link.end(msg.reason);
    }
  }

  private sized(size: WindowSize): void {
    const was = this.windowSize;
    if (was && was.cols === size.cols && was.rows === size.rows && was.sizer === size.sizer) return;
    if (!size.sizer && was?.sizer !== false) this.fitSent = false;
    this.windowSize = size;
    this.o.events.onSize(size);
  }

  /** The daemon sent something this page cannot read: say so, drop the socket, retry later. */
  private fail(code: string, message: string): void {
    this.o.events.onError(code, message);
    this.link.drop();
  }
}
