/**
 * The daemon's unix socket ($XDG_RUNTIME_DIR/roost/roost.sock): its folder is
 * 0700 and the socket 0600, so only the daemon's own user can connect, and a
 * request arriving on it is the owner. A socket file left by a daemon that
 * died is removed; one that answers means a daemon is already running.
 */
import { request } from 'node:http';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir } from '../config/files.js';

/** How long a probe of an existing socket may take before it counts as dead (ms). */
const PROBE_TIMEOUT_MS = 1500;

export class DaemonRunningError extends Error {
  override name = 'DaemonRunningError';
}

/** Does a daemon answer on `path`? */
export function probeSocket(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: path, path: '/healthz', method: 'GET', timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Make the socket's folder private and the path free; throws DaemonRunningError if a daemon answers there. */
export async function prepareSocketPath(path: string): Promise<void> {
  ensurePrivateDir(dirname(path));
  if (!existsSync(path)) return;
  if (await probeSocket(path)) throw new DaemonRunningError(`a roost daemon is already running (it answers on ${path}); stop it first`);
  rmSync(path, { force: true });
}

/** After listen: only the owner may connect (the folder already says so; this says it twice). */
export function lockSocket(path: string): void {
  chmodSync(path, 0o600);
}
