/**
 * Stand-ins for the browser around the DOM-free web modules: a manual clock
 * and a socket factory that records every socket the code opens. The
 * protocol frames themselves go through the real codec.
 */
import type { Clock } from '../../src/web/reconnect.js';
import type { OpenSocket, SocketHandlers } from '../../src/web/transport.js';

export class ManualClock implements Clock {
  now = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;
  rand = 0.5;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  random(): number {
    return this.rand;
  }
  /** Delays of the timers pending now, soonest first. */
  pending(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.now).sort((a, b) => a - b);
  }
  /** Move time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }
}

export interface FakeSocket {
  path: string;
  handlers: SocketHandlers;
  sent: (Uint8Array | string)[];
  closedByClient: boolean;
  /** The test closed it from the far side (handlers.close). */
  closedByServer: boolean;
}

export class SocketLog {
  readonly sockets: FakeSocket[] = [];
  readonly open: OpenSocket = (path, handlers) => {
    const s: FakeSocket = {
      path,
      handlers: {
        open: () => handlers.open(),
        message: (d) => handlers.message(d),
        close: (code, reason) => {
          s.closedByServer = true;
          handlers.close(code, reason);
        },
      },
      sent: [],
      closedByClient: false,
      closedByServer: false,
    };
    this.sockets.push(s);
    return {
      send: (d) => {
        if (s.closedByClient) throw new Error('send on a closed socket');
        s.sent.push(d);
      },
      close: () => {
        s.closedByClient = true;
      },
    };
  };
  get last(): FakeSocket {
    const s = this.sockets.at(-1);
    if (!s) throw new Error('no socket opened');
    return s;
  }
  /** Sockets closed by neither side. */
  live(): FakeSocket[] {
    return this.sockets.filter((s) => !s.closedByClient && !s.closedByServer);
  }
}

/** Let pending promise callbacks run. */
export const settle = () => new Promise<void>((r) => setImmediate(r));
