/**
 * Where notifications may go. A channel URL that reaches loopback,
 * link-local, private or otherwise special addresses would let whoever can
 * add a channel probe the server's own network (SSRF), so such URLs are
 * refused unless the channel says `allowPrivate`. Only http(s), no
 * credentials in the URL.
 *
 * Checked twice: when a channel is added (checkUrl + resolveAndCheck) and on
 * every send (guardedLookup, the lookup function the HTTP request uses, so
 * the address checked is the address connected to: a DNS answer that
 * changes between the two — DNS rebinding — is caught).
 */
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { promisify } from 'node:util';

export class UrlRefused extends Error {
  override name = 'UrlRefused';
}

/** IPv4 and IPv6 ranges that are not the public internet. */
const SPECIAL: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network", incl. 0.0.0.0
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'], // link-local, cloud metadata
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['ff00::', 8, 'ipv6'], // multicast
  ['64:ff9b::', 96, 'ipv6'], // NAT64: carries an IPv4 address
  ['2002::', 16, 'ipv6'], // 6to4: carries an IPv4 address
];

function specialList(): BlockList {
  const b = new BlockList();
  for (const [net, prefix, type] of SPECIAL) b.addSubnet(net, prefix, type);
  return b;
}
const SPECIAL_LIST = specialList();

/** Whether an IP address is loopback, private, link-local or otherwise not public. */
export function isPrivateAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) return SPECIAL_LIST.check(ip, 'ipv4');
  if (v === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped) return SPECIAL_LIST.check(mapped[1]!, 'ipv4');
    return SPECIAL_LIST.check(ip, 'ipv6');
  }
  return true; // not an address at all: refuse
}

export interface GuardOptions {
  allowPrivate: boolean;
  /** Allow http: as well as https: (ntfy and webhooks do; push endpoints do not). */
  allowHttp?: boolean;
}

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
  if (!o.allowPrivate && isIP(host(u)) && isPrivateAddress(host(u))) throw privateRefusal(u.hostname, host(u));
  return u;
}

function privateRefusal(hostname: string, address: string): UrlRefused {
  const what = hostname === address ? address : `${hostname} (${address})`;
  return new UrlRefused(`${what} is a loopback, private or link-local address: refused (allow it explicitly with --allow-private)`);
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
  if (bad) throw privateRefusal(u.hostname, bad.address);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request: resolves like dns.lookup, and fails the
 * connection when any resolved address is private (unless allowed).
 * Literal IPs never reach a lookup function: check them with checkUrl.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number } | number, callback: LookupCallback): void => {
    const opts = typeof options === 'number' ? { family: options } : options;
    dnsLookup(hostname, { all: true, family: opts.family ?? 0 }, (err, addrs) => {
      if (err) return callback(err, '');
      const list = addrs as LookupAddress[];
      const bad = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      if (bad) return callback(Object.assign(privateRefusal(hostname, bad.address), { code: 'EPRIVATE' }), '');
      if (list.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      if (opts.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
