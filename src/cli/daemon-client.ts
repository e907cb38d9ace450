/**
 * Talking to the running daemon over its unix socket (HTTP, JSON): how CLI
 * commands and agent hooks reach it. The socket's folder is 0700, so the
 * daemon treats every request here as its owner's.
 */
import { request } from 'node:http';

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
}

/**
 * One request; resolves with the parsed JSON body (undefined for 204).
 * Rejects with DaemonNotRunningError when nothing listens, DaemonError on a 4xx/5xx.
 */
export function callDaemon<T = unknown>(socket: string, method: string, path: string, body?: unknown, opts: DaemonClientOptions = {}): Promise<T> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = request({
      socketPath: socket,
      method,
      path,
      timeout: opts.timeoutMs ?? 10_000,
      // The daemon wants a JSON content type on every state-changing request, body or not.
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), Accept: 'application/json' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        const status = res.statusCode ?? 0;
        if (status >= 400) {
          const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
          return reject(new DaemonError(status, err?.code ?? 'error', err?.message ?? `the daemon answered ${status}`));
        }
        resolve(json as T);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`the roost daemon did not answer within ${(opts.timeoutMs ?? 10_000) / 1000} s`)));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED') reject(new DaemonNotRunningError(socket));
      else reject(e);
    });
    req.end(payload);
  });
}

/**
 * Tell a running daemon that credentials changed, so it closes affected
 * sockets now. Best effort: the change is already in the database, which the
 * daemon re-reads every second anyway.
 */
export async function pokeAuthChanged(socket: string): Promise<boolean> {
  try {
    await callDaemon(socket, 'POST', '/api/internal/auth-changed', undefined, { timeoutMs: 3000 });
    return true;
  } catch {
    return false;
  }
}
