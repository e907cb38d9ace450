/**
 * The live session listing: the /api/events WebSocket (its messages in
 * src/shared/events.ts), which sends {"type":"sessions","sessions":[...]}
 * first and on every change, kept alive with the same backoff as the
 * terminal. While the socket is down, every
 * failed attempt also fetches GET /api/sessions, so the listing stays fresh
 * where WebSockets do not get through, and an expired login is noticed.
 *
 * DOM-free (socket, clock and fetch passed in) so it is unit-tested in Node.
 */
import type { SessionInfo } from '../shared/api.js';
import { CLOSE } from '../shared/close-codes.js';
import { decodeEventsServer, type EventsServerMsg } from '../shared/events.js';
import { ProtocolError } from '../shared/protocol.js';
import { Reconnector, type Clock } from './reconnect.js';
import type { OpenSocket, Socket } from './transport.js';

export type FetchResult = { ok: true; sessions: SessionInfo[] } | { ok: false; unauthorized: boolean };

export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface EventsOptions {
  openSocket: OpenSocket;
  fetchSessions: () => Promise<FetchResult>;
  clock: Clock;
  onSessions(sessions: SessionInfo[]): void;
  /** The tmux server stopped (every session ended) or runs again; `at` is epoch ms. */
  onTmux?(running: boolean, at: number): void;
  onState(state: FeedState, delayMs?: number): void;
  onUnauthorized(): void;
}

/** Decode one events message (src/shared/events.ts); null for a malformed one or a type this page does not know. */
export function decodeEvent(text: string): EventsServerMsg | null {
  try {
    return decodeEventsServer(text);
  } catch (e) {
    // A malformed message is dropped: the listing on screen stays until the next good one.
    if (e instanceof ProtocolError) return null;
    throw e;
  }
}

/** Parse one events message; null for anything that is not a sessions listing. */
export function parseEvent(text: string): SessionInfo[] | null {
  const msg = decodeEvent(text);
  return msg?.type === 'sessions' ? msg.sessions : null;
}

export class EventsFeed {
  private socket: Socket | null = null;
  private generation = 0;
  private disposed = false;
  private everLive = false;
  private readonly retry: Reconnector;

  constructor(private readonly o: EventsOptions) {
    this.retry = new Reconnector(o.clock, {
      attempt: () => this.connect(),
      abandon: () => this.drop(),
      onState: (s, delay) => {
        if (s === 'waiting') o.onState('reconnecting', delay);
        else if (s === 'connecting') o.onState(this.everLive ? 'reconnecting' : 'connecting');
        else if (s === 'open') o.onState('live');
      },
    });
  }

  start(): void {
    // The HTTP listing usually answers before the socket's first message: paint with it.
    void this.poll();
    this.retry.start();
  }

  /** See TerminalConnection.wake. */
  wake(force: boolean): void {
    if (this.disposed) return;
    if (this.retry.current === 'waiting') this.retry.retryNow();
    else if (force && this.retry.current === 'open') {
      this.drop();
      this.retry.stop();
      this.retry.start();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.retry.stop();
    this.drop();
    this.o.onState('closed');
  }

  private connect(): void {
    this.drop();
    const gen = ++this.generation;
    const live = () => gen === this.generation && !this.disposed;
    try {
      this.socket = this.o.openSocket('/api/events', {
        open: () => {},
        message: (data) => {
          if (!live() || typeof data !== 'string') return;
          const msg = decodeEvent(data);
          if (msg?.type === 'tmux') return this.o.onTmux?.(msg.running, msg.at);
          if (msg?.type !== 'sessions') return;
          const sessions = msg.sessions;
          if (this.retry.current === 'connecting') {
            this.everLive = true;
            this.retry.opened();
          }
          this.o.onSessions(sessions);
        },
        close: (code) => {
          if (!live()) return;
          this.socket = null;
          if (code === CLOSE.AUTH_ENDED) return this.loginGone();
          this.lost();
        },
      });
    } catch {
      // See TerminalLink.connect: a constructor error is a refused connection.
      this.socket = null;
      this.lost();
    }
  }

  private lost(): void {
    this.retry.failed();
    void this.poll();
  }

  private async poll(): Promise<void> {
    const r = await this.o.fetchSessions();
    if (this.disposed) return;
    if (r.ok) {
      // A late HTTP answer must not overwrite a newer socket listing.
      if (this.retry.current !== 'open') this.o.onSessions(r.sessions);
    } else if (r.unauthorized) {
      this.loginGone();
    }
  }

  private loginGone(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.retry.stop();
    this.drop();
    this.o.onState('closed');
    this.o.onUnauthorized();
  }

  private drop(): void {
    this.generation++;
    const s = this.socket;
    this.socket = null;
    s?.close();
  }
}
