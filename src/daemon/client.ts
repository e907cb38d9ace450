/**
 * The one client of the running daemon's unix socket (HTTP, JSON): CLI
 * commands, `roost hooks status` and agent hooks all reach the daemon
 * through requestDaemon. The socket's folder is 0700, so the daemon treats
 * every request here as its owner's. Light on purpose: an agent hook loads
 * this and node:http, nothing else.
 */
import { request } from 'node:http';
import type { Socket } from 'node:net';

export class DaemonNotRunningError extends Error {
  override name = 'DaemonNotRunningError';
  constructor(socket: string) {
    super(`the roost daemon is not running (no answer on ${socket}); start it with: roost serve`);
  }
}

/** The daemon answered with an error status; `message` is its one-line explanation. */
export class DaemonError extends Error {
  override name = 'DaemonError';
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface DaemonClientOptions {
  /** Give up after this many ms (default 10 s). */
  timeoutMs?: number;
  /**
   * At the deadline, before this process lets go of the connection: its socket, the whole request
   * written, for a caller that hands it on (an agent hook's report, whose answer another process
   * waits for). The connection stays open as long as another process holds it.
   */
  handOff?: (socket: Socket) => void;
}

/** What came of one request: the daemon's answer, or why there was none (`down`). */
export type DaemonReply =
  | { status: number; body: unknown }
  | { down: 'not-running' | 'no-answer' | 'broken'; message: string };

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * One request, one connection (closed after the answer, so nothing keeps a
 * short-lived process alive). Never rejects: a daemon that is down, silent
 * or cut off is a value.
 */
export function requestDaemon(socket: string, method: string, path: string, body?: unknown, opts: DaemonClientOptions = {}): Promise<DaemonReply> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: DaemonReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = request({
      socketPath: socket,
      method,
      path,
      agent: false,
      // The daemon wants a JSON content type on every state-changing request, body or not.
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), Accept: 'application/json' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => finish({ down: 'broken', message: e.message }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined; // not JSON: the status alone says what happened
        }
        finish({ status: res.statusCode ?? 0, body: json });
      });
    });
    // A whole-request deadline (not the socket's idle timeout): a daemon that accepts and never answers costs at most this.
    const timer = setTimeout(() => {
      const sock = req.socket;
      if (opts.handOff && sock && !sock.connecting && !sock.destroyed && req.writableFinished) opts.handOff(sock);
      req.destroy();
      finish({ down: 'no-answer', message: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      const down = e.code === 'ENOENT' || e.code === 'ECONNREFUSED';
      finish(down ? { down: 'not-running', message: `${e.code}: the daemon is not running (roost serve)` } : { down: 'broken', message: e.code ?? e.message });
    });
    req.end(payload);
  });
}

/**
 * One request; resolves with the parsed JSON body (undefined for 204).
 * Rejects with DaemonNotRunningError when nothing listens, DaemonError on a 4xx/5xx.
 */
export async function callDaemon<T = unknown>(socket: string, method: string, path: string, body?: unknown, opts: DaemonClientOptions = {}): Promise<T> {
  const r = await requestDaemon(socket, method, path, body, opts);
  if ('down' in r) {
    if (r.down === 'not-running') throw new DaemonNotRunningError(socket);
    if (r.down === 'no-answer') throw new Error(`the roost daemon did not answer within ${(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s`);
    throw new Error(`the roost daemon's answer broke off: ${r.message}`);
  }
  if (r.status >= 400) {
    const err = (r.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new DaemonError(r.status, err?.code ?? 'error', err?.message ?? `the daemon answered ${r.status}`);
  }
  return r.body as T;
}

/** Whether a daemon answers on `socket` within `timeoutMs` (GET /healthz). */
export async function daemonAnswers(socket: string, timeoutMs: number): Promise<boolean> {
  const r = await requestDaemon(socket, 'GET', '/healthz', undefined, { timeoutMs });
  return 'status' in r && r.status === 200;
}

/** The running daemon's public address (e.g. "https://host:7373"), or null when no daemon answers within `timeoutMs` (or an older one has no such route). */
export async function daemonPublicUrl(socket: string, timeoutMs: number): Promise<string | null> {
  const r = await requestDaemon(socket, 'GET', '/api/internal/url', undefined, { timeoutMs });
  if (!('status' in r) || r.status !== 200) return null;
  const url = (r.body as { url?: unknown } | undefined)?.url;
  return typeof url === 'string' ? url : null;
}

/**
 * Tell a running daemon that credentials changed, so it closes affected
 * sockets now. Best effort: the change is already in the database, which the
 * daemon re-reads every second anyway.
 */
export async function pokeAuthChanged(socket: string): Promise<boolean> {
  const r = await requestDaemon(socket, 'POST', '/api/internal/auth-changed', undefined, { timeoutMs: 3000 });
  return 'status' in r && r.status < 400;
}
