/**
 * Where notifications may go. A channel URL that reaches loopback,
 * link-local, private or otherwise special addresses (IANA's special-purpose
 * registries, isPrivateAddress below) would let whoever can
 * add a channel probe the server's own network (SSRF), so such URLs are
 * refused unless the channel says `allowPrivate`. Only http(s), no
 * credentials in the URL.
 *
 * Checked twice: when a channel is added (checkUrl + resolveAndCheck) and on
 * every send (guardedLookup, the lookup function the HTTP request uses, so
 * the address checked is the address connected to: a DNS answer that
 * changes between the two — DNS rebinding — is caught).
 */
import { isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { promisify } from 'node:util';
import ipaddr from 'ipaddr.js';

export class UrlRefused extends Error {
  override name = 'UrlRefused';
}

/** 2000::/3, the only IPv6 space IANA allocates as global unicast. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];
/** NAT64's well-known prefix (RFC 6052): its last 32 bits are the IPv4 address reached. Its local-use 64:ff9b:1::/48 is not global. */
const NAT64_V6 = ipaddr.parseCIDR('64:ff9b::/96') as [ipaddr.IPv6, number];

/** For IPv6 forms that deliver to an IPv4 address (mapped, NAT64, 6to4): that address. */
function carriedIPv4(a: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = a.parts;
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  if (a.isIPv4MappedAddress()) return a.toIPv4Address();
  if (a.match(NAT64_V6)) return v4(p[6]!, p[7]!);
  if (a.range() === '6to4') return v4(p[1]!, p[2]!);
  return null;
}

/**
 * Whether an IP address is anything but the public internet, by IANA's
 * special-purpose registries (ipaddr.js keeps their ranges): IPv4 must be
 * plain unicast (not loopback, private, link-local, CGNAT, documentation,
 * benchmarking, reserved, multicast...). IPv6 must be global unicast
 * (2000::/3) outside every special range (Teredo, ORCHID, documentation,
 * the IETF's 2001::/23...); IPv6 forms that carry an IPv4 address
 * (::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:AABB:CCDD::) are judged
 * by that address, and the deprecated ::a.b.c.d and every other form
 * outside 2000::/3 (::/96, 100::/64, ::ffff:0:a.b.c.d...) are refused.
 * Anything that is not an address is refused too.
 */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return true;
  let a: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // ipaddr.js 2.5 reads `::a.b.c.d` as `::ffff:a.b.c.d` (so `[::1.0.0.0]` passed as 1.0.0.0): hand it the
    // all-hex form the URL parser writes instead.
    a = ipaddr.parse(family === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip);
  } catch {
    return true; // isIP took it, the URL parser or ipaddr.js did not (a zone id...): not sure what it is, so not public
  }
  if (a.kind() === 'ipv4') return a.range() !== 'unicast';
  const v6 = a as ipaddr.IPv6;
  const carried = carriedIPv4(v6);
  if (carried) return carried.range() !== 'unicast';
  return !(v6.match(GLOBAL_UNICAST_V6) && v6.range() === 'unicast');
}

export interface GuardOptions {
  allowPrivate: boolean;
  /** Allow http: as well as https: (ntfy and webhooks do; push endpoints do not). */
  allowHttp?: boolean;
  /**
   * What the refusal of a private address says to do, in the words of whoever
   * asked: the CLI's `--allow-private` by default; an API client has no such
   * flag (a push subscription from a browser).
   */
  privateHint?: string;
}

const ALLOW_PRIVATE_HINT = 'allow it explicitly with --allow-private';

/**
 * The hint of a refusal at send time, when a channel's name resolves to a
 * private address: the error lands in the channel's delivery status, which
 * the API (the dashboard) shows as well as `roost notify ls`, so it names no
 * CLI option and says what holds instead.
 */
export const SEND_TIME_HINT = 'this channel was added without allowing private addresses';
/** Web Push: subscriptions come from browsers through the API, where no option allows a private address. */
export const PUSH_SERVICE_HINT = "a browser's push service is on the public internet";

const host = (u: URL): string => u.hostname.replace(/^\[|\]$/g, '');

/** Parse and check a URL's form: scheme, no credentials, and a literal IP host's range. */
export function checkUrl(raw: string, o: GuardOptions): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UrlRefused(`not a URL: ${JSON.stringify(raw.slice(0, 200))}`);
  }
  const allowHttp = o.allowHttp ?? true;
  if (u.protocol !== 'https:' && !(allowHttp && u.protocol === 'http:')) {
    throw new UrlRefused(`${u.protocol.replace(/:$/, '')} URLs are not allowed: use ${allowHttp ? 'http or https' : 'https'}`);
  }
  if (u.username || u.password) throw new UrlRefused('credentials in the URL are not allowed: use the token or secret option');
  if (!o.allowPrivate && isIP(host(u)) && isPrivateAddress(host(u))) throw privateRefusal(u.hostname, host(u), o.privateHint);
  if (!o.allowPrivate && isLoopbackName(u.hostname)) throw privateRefusal(u.hostname, u.hostname, o.privateHint);
  return u;
}

/**
 * `localhost` and every `*.localhost` name mean this machine (RFC 6761), so
 * they are refused by name, without a lookup: a Web Push endpoint is never
 * resolved when it is added (it comes from a browser, and the send-time
 * lookup checks it again), and a name that cannot mean anything else should
 * not wait for the send to fail. The URL parser has lowercased the host;
 * a final dot (the root) changes nothing.
 */
export function isLoopbackName(hostname: string): boolean {
  const name = hostname.replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function privateRefusal(hostname: string, address: string, hint = ALLOW_PRIVATE_HINT): UrlRefused {
  const what = hostname === address ? address : `${hostname} (${address})`;
  return new UrlRefused(`${what} is not a public address (loopback, private or link-local, or another special-purpose range): refused (${hint})`);
}

const lookupAll = promisify(dnsLookup) as unknown as (host: string, o: LookupAllOptions) => Promise<LookupAddress[]>;

/** Resolve the URL's host now and refuse if any address is private (add-time check). */
export async function resolveAndCheck(u: URL, o: GuardOptions): Promise<void> {
  if (o.allowPrivate || isIP(host(u))) return;
  let addrs: LookupAddress[];
  try {
    addrs = await lookupAll(host(u), { all: true });
  } catch (e) {
    throw new UrlRefused(`cannot resolve ${u.hostname}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const bad = addrs.find((a) => isPrivateAddress(a.address));
  if (bad) throw privateRefusal(u.hostname, bad.address, o.privateHint);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request: resolves like dns.lookup, and fails the
 * connection when any resolved address is private (unless allowed), saying
 * `privateHint` (SEND_TIME_HINT by default).
 * Literal IPs never reach a lookup function: check them with checkUrl.
 */
export function guardedLookup(allowPrivate: boolean, privateHint = SEND_TIME_HINT) {
  return (hostname: string, options: { all?: boolean; family?: number } | number, callback: LookupCallback): void => {
    const opts = typeof options === 'number' ? { family: options } : options;
    dnsLookup(hostname, { all: true, family: opts.family ?? 0 }, (err, addrs) => {
      if (err) return callback(err, '');
      const list = addrs as LookupAddress[];
      const bad = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      if (bad) return callback(Object.assign(privateRefusal(hostname, bad.address, privateHint), { code: 'EPRIVATE' }), '');
      if (list.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      if (opts.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
