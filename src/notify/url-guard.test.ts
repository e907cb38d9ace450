import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUrl, isPrivateAddress, UrlRefused } from './url-guard.js';

test('private, loopback, link-local and special addresses', () => {
  for (const ip of ['127.0.0.1', '127.9.9.9', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '0.0.0.0', '100.64.0.1',
    '224.0.0.1', '255.255.255.255', '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::1', 'not-an-ip']) {
    assert.equal(isPrivateAddress(ip), true, ip);
  }
  for (const ip of ['1.1.1.1', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.equal(isPrivateAddress(ip), false, ip);
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
