import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLocalPeer } from './ws-deflate.js';

test('loopback peers (IPv4, IPv6, IPv4-mapped, a unix socket) are local; others are not', () => {
  for (const a of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1', undefined, '']) assert.ok(isLocalPeer(a), String(a));
  for (const a of ['10.0.0.2', '192.168.1.20', '::ffff:10.1.2.3', 'fe80::1', '2001:db8::1']) assert.ok(!isLocalPeer(a), a);
});
