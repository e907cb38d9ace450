/**
 * Where the daemon may listen. Loopback (127.0.0.0/8, ::1, localhost) is
 * always fine. Any other address serves a remote shell to the network, so it
 * needs TLS, or a flag whose name says it is insecure.
 */
import { isIP } from 'node:net';

export class ExposureError extends Error {
  override name = 'ExposureError';
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** Throws ExposureError (one line) when `host` may not be served this way. */
export function checkExposure(host: string, tls: boolean, insecureNoTls: boolean): void {
  if (isLoopback(host) || tls || insecureNoTls) return;
  throw new ExposureError(`refusing to serve ${host} without TLS: a remote shell needs --tls-cert and --tls-key (or, at your own risk, --insecure-no-tls)`);
}
