import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUrl, guardedLookup, isPrivateAddress, UrlRefused } from './url-guard.js';

/** Every form that must not pass, by IANA's special-purpose registries (IPv4 and IPv6), and a few that must. */
const REFUSED: [string, string][] = [
  ['0.0.0.0', 'this host'], ['0.1.2.3', 'this network'], ['10.0.0.1', 'private'], ['100.64.0.1', 'CGNAT'], ['100.127.255.255', 'CGNAT'],
  ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'], ['169.254.169.254', 'link-local, cloud metadata'], ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'], ['192.0.0.1', 'IETF protocol assignments'], ['192.0.0.170', 'NAT64 discovery'], ['192.0.2.1', 'TEST-NET-1'],
  ['192.31.196.1', 'AS112'], ['192.52.193.1', 'AMT'], ['192.88.99.1', '6to4 relay'], ['192.168.1.1', 'private'], ['192.175.48.1', 'AS112'],
  ['198.18.0.1', 'benchmarking'], ['198.19.255.255', 'benchmarking'], ['198.51.100.1', 'TEST-NET-2'], ['203.0.113.1', 'TEST-NET-3'],
  ['224.0.0.1', 'multicast'], ['239.255.255.255', 'multicast'], ['240.0.0.1', 'reserved'], ['255.255.255.255', 'broadcast'],
  ['::', 'unspecified'], ['::1', 'loopback'], ['::127.0.0.1', 'IPv4-compatible loopback'], ['::169.254.169.254', 'IPv4-compatible metadata'], ['::1.0.0.0', 'IPv4-compatible (ipaddr.js reads it as mapped)'], ['::8.8.8.8', 'IPv4-compatible'],
  ['::ffff:127.0.0.1', 'mapped loopback'], ['::ffff:169.254.169.254', 'mapped metadata'], ['::ffff:10.0.0.1', 'mapped private'],
  ['::ffff:0:a9fe:a9fe', 'IPv4-translated metadata (RFC 6145)'], ['::ffff:0:7f00:1', 'IPv4-translated loopback'],
  ['64:ff9b::7f00:1', 'NAT64 of loopback'], ['64:ff9b::a9fe:a9fe', 'NAT64 of metadata'], ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
  ['64:ff9b:1::808:808', 'local-use NAT64'], ['100::1', 'discard-only'], ['100::ffff:1', 'discard-only'], ['2001::1', 'Teredo'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'], ['2001:2::1', 'benchmarking'], ['2001:db8::1', 'documentation'], ['2001:10::1', 'ORCHID'],
  ['2001:20::1', 'ORCHIDv2'], ['2001:1ff::1', 'IETF protocol assignments'], ['2002:7f00:1::1', '6to4 of loopback'],
  ['2002:a9fe:a9fe::1', '6to4 of metadata'], ['2002:c0a8:101::1', '6to4 of 192.168.1.1'], ['3fff::1', 'documentation'],
  ['5f00::1', 'segment routing'], ['fc00::1', 'unique local'], ['fd12:3456::1', 'unique local'], ['fe80::1', 'link-local'],
  ['fec0::1', 'site-local'], ['ff02::1', 'multicast'], ['ff0e::1', 'multicast'], ['4000::1', 'unallocated'], ['e000::1', 'unallocated'],
  ['not-an-ip', 'a name'], ['', 'empty'], ['1.2.3', 'short IPv4'], ['::g', 'bad IPv6'],
];
const PUBLIC = ['1.1.1.1', '8.8.8.8', '172.32.0.1', '192.169.0.1', '100.128.0.1', '223.255.255.254', '2606:4700:4700::1111',
  '2001:4860:4860::8888', '2a00:1450:4001:81b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];

test('isPrivateAddress: every special-purpose form of both families is refused, public unicast passes', () => {
  for (const [ip, what] of REFUSED) assert.equal(isPrivateAddress(ip), true, `${ip} (${what})`);
  for (const ip of PUBLIC) assert.equal(isPrivateAddress(ip), false, ip);
});

test('checkUrl: every refused address as a URL host, including the spellings the URL parser folds', () => {
  for (const [ip, what] of REFUSED) {
    if (!/^[\d.]+$|:/.test(ip) || ip.split('.').length === 3) continue; // names are resolved later, not here
    const host = ip.includes(':') ? `[${ip}]` : ip;
    let url: string;
    try {
      url = new URL(`http://${host}:8080/x`).href;
    } catch {
      continue; // the URL parser refuses it first
    }
    assert.throws(() => checkUrl(url, { allowPrivate: false }), UrlRefused, `${url} (${what})`);
  }
  for (const url of ['http://2130706433/', 'http://0x7f.1/', 'http://0177.0.0.1/', 'http://127.1/', 'http://0/', 'http://[::7f00:1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/', 'http://[::FFFF:169.254.169.254]/', 'http://%31%32%37.0.0.1/', 'http://127.0.0.1.:1/']) {
    assert.throws(() => checkUrl(url, { allowPrivate: false }), UrlRefused, url);
  }
  for (const ip of PUBLIC) assert.ok(checkUrl(`https://${ip.includes(':') ? `[${ip}]` : ip}/`, { allowPrivate: false }));
});

test('checkUrl: localhost and *.localhost are refused by name (RFC 6761), in any case and with a final dot', () => {
  for (const url of ['https://localhost/x', 'https://LOCALHOST:8443/x', 'https://localhost./x', 'https://app.localhost/x', 'http://a.b.localhost.:1/']) {
    assert.throws(() => checkUrl(url, { allowPrivate: false }), /is not a public address .*: refused/, url);
    assert.ok(checkUrl(url, { allowPrivate: true }), url);
  }
  for (const url of ['https://localhost.example.com/', 'https://notlocalhost/', 'https://mylocalhost.net/']) assert.ok(checkUrl(url, { allowPrivate: false }), url);
});

test('checkUrl: scheme, credentials, literal private hosts', () => {
  assert.equal(checkUrl('https://ntfy.sh/', { allowPrivate: false }).host, 'ntfy.sh');
  assert.equal(checkUrl('http://127.0.0.1:8080/x', { allowPrivate: true }).port, '8080');
  assert.throws(() => checkUrl('http://127.0.0.1:8080/x', { allowPrivate: false }), /loopback, private or link-local.*--allow-private/);
  assert.throws(() => checkUrl('http://[::1]/', { allowPrivate: false }), UrlRefused);
  assert.throws(() => checkUrl('http://example.com/', { allowPrivate: false, allowHttp: false }), /use https/);
  assert.throws(() => checkUrl('ftp://example.com/', { allowPrivate: true }), /ftp URLs are not allowed/);
  assert.throws(() => checkUrl('https://u:p@example.com/', { allowPrivate: true }), /credentials/);
  assert.throws(() => checkUrl('nonsense', { allowPrivate: true }), /not a URL/);
});

test('guardedLookup: the send-time check refuses a name that resolves to a private address, and hands on only checked addresses', async () => {
  const lookup = guardedLookup(false);
  const err = await new Promise<NodeJS.ErrnoException | null>((r) => lookup('localhost', { all: true }, (e) => r(e)));
  assert.equal(err?.code, 'EPRIVATE');
  // Allowed: what the connection is handed is exactly what was resolved and checked (no second lookup happens later).
  const got = await new Promise<unknown>((r) => guardedLookup(true)('localhost', { all: true }, (_e, a) => r(a)));
  assert.ok(Array.isArray(got) && got.length > 0 && got.every((a: { address: string }) => isPrivateAddress(a.address)));
});
