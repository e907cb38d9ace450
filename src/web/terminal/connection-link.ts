/**
 * The socket under a browser terminal (connection.ts): opening it, trying
 * again with backoff when it drops (reconnect.ts), and giving up when the
 * daemon refuses the request, the terminal ends or the login is gone.
 *
 * Apart from connection.ts so that the rules for which socket still counts
 * sit in one place, and that file reads as what the frames mean: there is
 * at most one live socket, a new attempt starts only after the previous
 * socket was closed and detached, and nothing of an old socket (its close,
 * a late write callback's ACK) acts on the new one. DOM-free like
 * connection.ts: the socket, the clock and the login check are passed in.
 */
import { CLOSE } from '../../shared/close-codes.js';
import { encodeClient, type ClientMsg } from '../../shared/protocol.js';
import { noSessionMessage } from '../../shared/terminal-exit.js';
import { Reconnector, type Clock } from '../reconnect.js';
import type { AuthCheck, OpenSocket, Socket } from '../transport.js';
import { AckCounter } from './flow.js';

/**
 * Typed input and nothing at all from the daemon for this long (ms): the
 * socket may be dead without knowing it (a daemon that hangs, a connection
 * a network change dropped silently while the page stayed in front), so it
 * is replaced. A shell echoes within milliseconds; a program that does not
 * echo costs a reconnect, which redraws the same screen.
 */
export const NO_ANSWER_MS = 6000;

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

/** What the link tells the page; connection.ts's ConnectionEvents adds what the frames say. */
export interface LinkEvents {
  onState(state: ConnectionState, delayMs?: number): void;
  onExit(reason: string): void;
  /** The login expired or was revoked: go to the login page. */
  onUnauthorized(): void;
}

export interface LinkOptions {
  openSocket: OpenSocket;
  checkAuth: AuthCheck;
  clock: Clock;
  events: LinkEvents;
}

/** What the link asks of the terminal above it. */
export interface LinkHooks {
  /** The session's name to ask for on the next socket: it follows renames (connection.ts). */
  session(): string;
  /** The window to ask for on the next socket (index as text), or null for the session's current one. */
  window(): string | null;
  /** The socket opened: say HELLO. */
  hello(): void;
  /** A message on the current socket. */
  message(data: Uint8Array | string): void;
  /** Something was drawn since the page opened: a new attempt reads as reconnecting. */
  drawn(): boolean;
}

export class TerminalLink {
  private socket: Socket | null = null;
  /** Bumped per socket, so write callbacks of an old socket never ACK on a new one. */
  private generation = 0;
  private greeted = false;
  private acks = new AckCounter();
  /** The last ERROR's message on this socket, to explain a refusal that follows. */
  private lastError: string | null = null;
  /** No more attempts until restart() (EXIT, version mismatch). */
  private ended = false;
  /** Ended because the daemon found no session by the name asked for (4404): a rename found later may restart it. */
  private missing = false;
  /** No more attempts ever (dispose, login gone). */
  private disposed = false;
  private readonly retry: Reconnector;
  /** Armed by typed input on an open socket, cleared by anything the daemon sends on it. */
  private answerTimer: unknown = null;

  constructor(private readonly o: LinkOptions, private readonly hooks: LinkHooks) {
    this.retry = new Reconnector(o.clock, {
      attempt: () => this.connect(),
      abandon: () => this.dropSocket(),
      onState: (s, delay) => {
        if (s === 'waiting') this.o.events.onState('reconnecting', delay);
        else if (s === 'connecting') this.o.events.onState(this.hooks.drawn() ? 'reconnecting' : 'connecting');
        else if (s === 'open') this.o.events.onState('open');
      },
    });
  }

  /** The daemon answered this socket's HELLO: frames may be sent. */
  get isOpen(): boolean {
    return this.greeted && this.socket !== null;
  }

  start(): void {
    this.retry.start();
  }

  /** See TerminalConnection.wake. */
  wake(force: boolean): void {
    if (this.ended || this.retry.current === 'stopped') return;
    if (this.retry.current === 'waiting') this.retry.retryNow();
    else if (force && this.retry.current === 'open') this.reconnectNow();
  }

  restart(): void {
    if (this.disposed || !this.ended) return;
    this.ended = false;
    this.missing = false;
    this.retry.start();
  }

  dispose(): void {
    this.disposed = true;
    this.halt();
    this.o.events.onState('closed');
  }

  /** A fresh socket now: a read-only view's other window, or one that may be dead without knowing it (wake). */
  reconnectNow(): void {
    if (this.ended) return;
    this.dropSocket();
    this.retry.stop();
    this.retry.start();
  }

  send(msg: ClientMsg): void {
    this.socket?.send(encodeClient(msg));
  }

  /** A person's input went out: the daemon must say something soon (its echo, at least), or the socket is replaced. */
  expectAnswer(): void {
    if (this.answerTimer !== null || !this.isOpen) return;
    const gen = this.generation;
    this.answerTimer = this.o.clock.setTimeout(() => {
      this.answerTimer = null;
      if (gen === this.generation && this.isOpen) this.reconnectNow();
    }, NO_ANSWER_MS);
  }

  private heard(): void {
    if (this.answerTimer === null) return;
    this.o.clock.clearTimeout(this.answerTimer);
    this.answerTimer = null;
  }

  /** The terminal ended because no session had the name asked for (close 4404), and was not restarted since. */
  get endedMissing(): boolean {
    return this.ended && this.missing;
  }

  /** The daemon answered HELLO on this socket: from here the page may send. */
  answered(): void {
    this.greeted = true;
  }

  /** The HELLO is dealt with: the attempt worked (state 'open', the next loss starts from the shortest delay). */
  opened(): void {
    this.retry.opened();
  }

  /** The write callback for `n` bytes of this socket's OUTPUT: once rendered they are acknowledged in steps, on this socket only. */
  ackWhenRendered(n: number): () => void {
    const gen = this.generation;
    return () => {
      if (gen !== this.generation) return;
      const ack = this.acks.rendered(n);
      if (ack > 0) this.send({ type: 'ack', bytes: ack });
    };
  }

  /** The daemon's ERROR on this socket: it explains a refusal that follows. */
  noteError(message: string): void {
    this.lastError = message;
  }

  /** No more attempts until restart(): the terminal ended, or the daemon speaks another protocol. */
  halt(): void {
    this.ended = true;
    this.retry.stop();
    this.dropSocket();
  }

  /** The terminal is over (EXIT, or the daemon refused it for good): no retries until restart(). */
  end(reason: string): void {
    this.halt();
    this.o.events.onExit(reason);
    this.o.events.onState('ended');
  }

  /** The daemon sent something this page cannot read: drop the socket, retry later. */
  drop(): void {
    const wasGreeted = this.greeted;
    this.dropSocket();
    this.lost(wasGreeted);
  }

  private connect(): void {
    this.dropSocket();
    const gen = ++this.generation;
    this.greeted = false;
    this.acks = new AckCounter();
    this.lastError = null;
    const window = this.hooks.window();
    const session = this.hooks.session();
    let path = `/api/terminal?session=${encodeURIComponent(session)}`;
    if (window !== null) path += `&window=${encodeURIComponent(window)}`;
    const live = () => gen === this.generation;
    try {
      this.socket = this.o.openSocket(path, {
        open: () => {
          if (live()) this.hooks.hello();
        },
        message: (data) => {
          if (!live()) return;
          this.heard();
          this.hooks.message(data);
        },
        close: (code) => {
          if (!live()) return;
          const wasGreeted = this.greeted;
          this.socket = null;
          this.greeted = false;
          // Not retried: the login ended, or the request itself is wrong (bad name, no such session).
          if (code === CLOSE.AUTH_ENDED) return this.loginGone();
          // Renamed while this attempt was on its way (a listing seen meanwhile): the next one asks for the new name.
          if (code === CLOSE.NO_SESSION && this.hooks.session() !== session) return this.lost(wasGreeted);
          if (code === CLOSE.NO_SESSION || code === CLOSE.BAD_REQUEST) {
            this.missing = code === CLOSE.NO_SESSION;
            return this.end(this.lastError ?? (this.missing ? noSessionMessage(session) : 'the daemon refused this terminal'));
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
    this.dispose();
    this.o.events.onUnauthorized();
  }

  private dropSocket(): void {
    this.heard();
    this.generation++;
    const s = this.socket;
    this.socket = null;
    this.greeted = false;
    s?.close();
  }
}
