/**
 * The daemon's unix socket ($XDG_RUNTIME_DIR/roost/roost.sock): its folder is
 * 0700 and the socket 0600, so only the daemon's own user can connect, and a
 * request arriving on it is the owner. A socket file left by a daemon that
 * died is removed; one that answers means a daemon is already running, and
 * one that answers "stopping" is waited for.
 */
import { request } from 'node:http';
import { chmodSync, existsSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir } from '../config/files.js';

/** How long a probe of an existing socket may take before it counts as dead (ms). */
const PROBE_TIMEOUT_MS = 1500;

export class DaemonRunningError extends Error {
  override name = 'DaemonRunningError';
}

/** How long (ms) a new daemon waits for one that is stopping to let go of the socket. */
const STOPPING_WAIT_MS = 20_000;
const STOPPING_POLL_MS = 100;

/** Who answers on `path`: a daemon, a daemon that is stopping (503), or nobody. */
export function probeSocket(path: string): Promise<'running' | 'stopping' | 'none'> {
  return new Promise((resolve) => {
    const req = request({ socketPath: path, path: '/healthz', method: 'GET', timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? 'running' : res.statusCode === 503 ? 'stopping' : 'none');
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve('none'));
    req.end();
  });
}

/**
 * Make the socket's folder private and the path free; throws DaemonRunningError if a daemon answers there.
 * A daemon that is stopping (Ctrl-C, then roost serve again at once) is waited for: it removes the socket
 * as it closes it, and would remove ours instead had we taken the path first.
 */
export async function prepareSocketPath(path: string): Promise<void> {
  ensurePrivateDir(dirname(path));
  for (const deadline = Date.now() + STOPPING_WAIT_MS; ;) {
    if (!existsSync(path)) return;
    const who = await probeSocket(path);
    if (who === 'running') throw new DaemonRunningError(`a roost daemon is already running (it answers on ${path}); stop it first`);
    if (who === 'none') break;
    if (Date.now() > deadline) throw new DaemonRunningError(`a roost daemon is still stopping after ${STOPPING_WAIT_MS / 1000} s (it answers on ${path}); try again when it has exited`);
    await new Promise((r) => setTimeout(r, STOPPING_POLL_MS));
  }
  rmSync(path, { force: true });
}

/** The socket file this daemon made (its inode), to remove at the end only if it is still that one. */
export function socketIdentity(path: string): number | null {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
}

/** Remove the socket file if it is still the one `identity` names (another daemon may have bound the path since). */
export function removeOwnSocket(path: string, identity: number | null): void {
  if (identity !== null && socketIdentity(path) === identity) rmSync(path, { force: true });
}

/** After listen: only the owner may connect (the folder already says so; this says it twice). */
export function lockSocket(path: string): void {
  chmodSync(path, 0o600);
}
