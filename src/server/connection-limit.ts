/**
 * Who may hold the daemon's TCP connections. Node's maxConnections refuses
 * the NEWEST connection once full, so whoever holds the slots locks everyone
 * else out (1,100 idle connections from one address did, for as long as it
 * kept reconnecting). Here instead:
 *
 *   - a connection is unproven until a request on it carries a valid
 *     credential (app.ts calls prove() after the access hook);
 *   - at most `perAddress` unproven connections per address (an IPv4
 *     address, an IPv6 /64): a new one evicts that address's oldest
 *     unproven connection;
 *   - at most `total` connections: a new one evicts the oldest unproven
 *     connection; only when all are proven is the new one refused.
 *
 * A logged-in browser proves its connections with its first request (the
 * cookie), and proven connections are never evicted, so a flood of
 * unauthenticated connections, even from the browser's own address, cannot
 * shut it out. Read-only logins may hold at most `total` less a quarter
 * proven: past that, prove() says no and the connection stays unproven
 * (the request is refused), so a read-only link's holder cannot fill every
 * slot and lock the owner out. Idle unproven connections also end at the headers deadline
 * (app.ts: headersTimeout, checked every second).
 */
import type { Server } from 'node:net';
import type { Socket } from 'node:net';
import { isIPv6 } from 'node:net';

export interface ConnectionLimits {
  /** Unproven connections per address (default 32). */
  perAddress?: number;
  /** All connections (default 1024). */
  total?: number;
}

export const DEFAULT_PER_ADDRESS = 32;
export const DEFAULT_TOTAL = 1024;

/** The key an address is limited under: IPv4 as is, IPv6 by its /64 (one host usually has a whole /64). */
export function addressKey(address: string | undefined): string {
  if (!address) return '?';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  // Expand "::" so the first four groups are the /64.
  const [head = '', tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '').toLowerCase()).join(':')}::/64`;
}

export class ConnectionLimiter {
  readonly perAddress: number;
  readonly total: number;
  /** Every open connection. */
  private readonly open = new Set<Socket>();
  /** Unproven connections, oldest first, with their address key. */
  private readonly unproven = new Map<Socket, string>();
  /** Unproven connections per address key, oldest first. */
  private readonly byKey = new Map<string, Set<Socket>>();
  /** Connections proven by a read-only login. */
  private readonly readOnly = new Set<Socket>();
  /** How many of them there may be. */
  readonly readOnlyMax: number;

  constructor(limits: ConnectionLimits = {}) {
    this.perAddress = limits.perAddress ?? DEFAULT_PER_ADDRESS;
    this.total = limits.total ?? DEFAULT_TOTAL;
    this.readOnlyMax = this.total - Math.ceil(this.total / 4);
  }

  /** Limit the connections of `server` (for TLS: its raw TCP connections, before the handshake). */
  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.admit(socket));
  }

  admit(socket: Socket): void {
    const key = addressKey(socket.remoteAddress);
    const mine = this.byKey.get(key);
    if (mine && mine.size >= this.perAddress) this.evict(mine.values().next().value!);
    if (this.open.size >= this.total) {
      const oldest = this.unproven.keys().next();
      if (oldest.done) {
        // Every slot is held by a proven connection: the owner's own load. Refuse the newcomer.
        socket.destroy();
        return;
      }
      this.evict(oldest.value);
    }
    this.open.add(socket);
    this.unproven.set(socket, key);
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(socket);
    socket.once('close', () => this.forget(socket));
  }

  /**
   * A request on `socket` carried a valid credential: never evict it. For
   * TLS, pass the request's socket; its raw TCP socket (`_parent`) is the
   * one admitted. False: a read-only login over its share; the connection
   * stays unproven and its request should be refused.
   */
  prove(socket: Socket, readOnly = false): boolean {
    const raw = this.unproven.has(socket) ? socket : (socket as Socket & { _parent?: Socket })._parent;
    if (!raw || !this.unproven.has(raw)) return true;
    if (readOnly) {
      if (this.readOnly.size >= this.readOnlyMax) return false;
      this.readOnly.add(raw);
    }
    this.dropUnproven(raw);
    return true;
  }

  stats(): { open: number; unproven: number } {
    return { open: this.open.size, unproven: this.unproven.size };
  }

  private evict(socket: Socket): void {
    this.forget(socket);
    socket.destroy();
  }

  private forget(socket: Socket): void {
    this.open.delete(socket);
    this.readOnly.delete(socket);
    this.dropUnproven(socket);
  }

  private dropUnproven(socket: Socket): void {
    const key = this.unproven.get(socket);
    if (key === undefined) return;
    this.unproven.delete(socket);
    const set = this.byKey.get(key);
    set?.delete(socket);
    if (set?.size === 0) this.byKey.delete(key);
  }
}
