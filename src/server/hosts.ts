/**
 * Host allowlist and same-origin rule (DNS rebinding and cross-site
 * requests). A TCP request must name one of the allowed hosts in its Host
 * header: 127.0.0.1, localhost and [::1] on the daemon's port, the address
 * given to --host, and any --allow-host. A browser request that changes state
 * or opens a WebSocket must carry an Origin equal to its own
 * scheme://host, compared as exact strings: `null`, another port or a
 * look-alike host is refused.
 */
import { isIPv6 } from 'node:net';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

export interface HostPolicyOptions {
  /** The address served (--host). */
  host: string;
  /** Extra names from --allow-host: "name" (the daemon's port is added) or "name:port". */
  allowHosts: readonly string[];
  tls: boolean;
  /** The port actually listened on (known only after listen with --port 0). */
  port: () => number;
}

/** "::1" → "[::1]"; names and IPv4 unchanged. */
export function hostLiteral(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * The address to listen on, as Node's listen wants it: "[::1]" (how a URL
 * writes it, so how people type it) becomes "::1", which is what it means;
 * listen would look "[::1]" up as a name (getaddrinfo ENOTFOUND). Anything
 * else in brackets is refused with a reason, and other text is left as it is.
 */
export function listenHost(host: string): { host: string } | { problem: string } {
  const m = /^\[(.*)\]$/.exec(host);
  if (!m) return { host };
  if (isIPv6(m[1]!)) return { host: m[1]! };
  return { problem: 'brackets hold an IPv6 address only (e.g. [::1] or ::1)' };
}

/** "name:port" or "[v6]:port" (a bare IPv6 address such as ::1 has colons but no port). */
export function hasPort(h: string): boolean {
  return /^\[[^\]]+\]:\d+$/.test(h) || /^[^:[\]]+:\d+$/.test(h);
}

/** A DNS name (or an IPv4 address): dot-separated labels of 1-63 letters, digits and `-`, none at a label's ends; 253 at most. */
const DNS_NAME_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Why an --allow-host value is no host a browser could send, or null when
 * it is one: NAME, NAME:PORT, an IPv6 address, [IPv6] or [IPv6]:PORT, the
 * port 1-65535. `.com` or `a..b` would sit in the allowlist matching
 * nothing, hiding the typo.
 */
export function allowHostProblem(h: string): string | null {
  const m = /^(\[([^\]]*)\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(h);
  const port = m?.[3];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return `port ${port} is not 1-65535`;
  if (m?.[2] !== undefined ? isIPv6(m[2]) : m !== null && DNS_NAME_RE.test(m[1]!)) return null;
  if (m === null && isIPv6(h)) return null;
  return 'not a host name (NAME or NAME:PORT, letters, digits, "-" and single dots; [IPv6]:PORT)';
}

export function isWildcard(host: string): boolean {
  return WILDCARDS.has(host);
}

export class HostPolicy {
  constructor(private readonly opts: HostPolicyOptions) {}

  get scheme(): 'http' | 'https' {
    return this.opts.tls ? 'https' : 'http';
  }

  /** Every accepted Host header value, lower case. */
  list(): string[] {
    const port = this.opts.port();
    const defaultPort = this.opts.tls ? 443 : 80;
    const names = [...LOOPBACK_NAMES];
    if (!isWildcard(this.opts.host)) names.push(hostLiteral(this.opts.host));
    const out = new Set<string>();
    const add = (name: string) => {
      out.add(`${name}:${port}`.toLowerCase());
      if (port === defaultPort) out.add(name.toLowerCase());
    };
    names.forEach(add);
    for (const h of this.opts.allowHosts) {
      if (hasPort(h)) out.add(h.toLowerCase());
      else add(hostLiteral(h));
    }
    return [...out];
  }

  allowed(host: string | undefined): boolean {
    return host !== undefined && this.list().includes(host.toLowerCase());
  }

  /** The one Origin a browser page served from `host` sends. */
  originFor(host: string): string {
    return `${this.scheme}://${host.toLowerCase()}`;
  }
}
