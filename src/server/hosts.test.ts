import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowHostProblem, HostPolicy, listenHost } from './hosts.js';
import { checkExposure, ExposureError, isLoopback } from './exposure.js';

test('the Host allowlist: loopback names on the port, the served host, --allow-host', () => {
  const p = new HostPolicy({ host: '127.0.0.1', allowHosts: ['box.lan', 'proxy.example:8443', '::1', '[fe80::1]:9'], tls: false, port: () => 7373 });
  for (const ok of ['127.0.0.1:7373', 'localhost:7373', '[::1]:7373', 'box.lan:7373', 'proxy.example:8443', '[fe80::1]:9', 'LocalHost:7373']) assert.ok(p.allowed(ok), ok);
  for (const bad of [undefined, '', '127.0.0.1', '127.0.0.1:7374', 'localhost', 'evil.example:7373', 'box.lan', 'box.lan.evil:7373', 'proxy.example:7373', '0.0.0.0:7373']) assert.ok(!p.allowed(bad), String(bad));
  assert.equal(p.originFor('LOCALHOST:7373'), 'http://localhost:7373');
  const wild = new HostPolicy({ host: '0.0.0.0', allowHosts: [], tls: true, port: () => 443 });
  assert.ok(wild.allowed('localhost'), 'the default port may be left out');
  assert.ok(!wild.allowed('0.0.0.0:443'), 'a wildcard address is not a name');
  assert.equal(wild.originFor('localhost'), 'https://localhost');
});

test('exposure: loopback is fine, anything else needs TLS or the insecure flag', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.ok(isLoopback(h), h);
  for (const h of ['0.0.0.0', '::', '192.168.1.2', 'example.com', '127.0.0.1.nip.io']) assert.ok(!isLoopback(h), h);
  assert.doesNotThrow(() => checkExposure('127.0.0.1', false, false));
  assert.throws(() => checkExposure('0.0.0.0', false, false), ExposureError);
  assert.doesNotThrow(() => checkExposure('0.0.0.0', true, false));
  assert.doesNotThrow(() => checkExposure('0.0.0.0', false, true));
});

test('--allow-host takes host names, addresses and ports, nothing else', () => {
  for (const ok of ['box.lan', 'proxy.example:8443', 'a', 'my-box.example.com', '192.168.1.2', '192.168.1.2:80', '::1', 'fe80::1', '[::1]', '[fe80::1]:9', 'x'.repeat(63)]) {
    assert.equal(allowHostProblem(ok), null, ok);
  }
  for (const bad of ['.com', 'a..b', 'box.', '-box.lan', 'box-.lan', 'a_b.lan', 'box.lan:0', 'box.lan:70000', 'box.lan:', 'box:lan:80', '[box.lan]', '[::1', '::1]', '[::1]:', 'x'.repeat(64), '', 'a b', 'box.lan/x']) {
    assert.notEqual(allowHostProblem(bad), null, bad);
  }
});

test('listenHost: a bracketed IPv6 address is listened on as the address; other brackets are refused', () => {
  assert.deepEqual(listenHost('[::1]'), { host: '::1' });
  assert.deepEqual(listenHost('[fe80::1]'), { host: 'fe80::1' });
  for (const h of ['::1', '127.0.0.1', 'localhost', '0.0.0.0']) assert.deepEqual(listenHost(h), { host: h });
  for (const h of ['[localhost]', '[127.0.0.1]', '[]', '[::1']) {
    const r = listenHost(h);
    if (h === '[::1') assert.deepEqual(r, { host: h }, 'no closing bracket: not a literal, listen says what it is');
    else assert.match('problem' in r ? r.problem : '', /IPv6 address only/, h);
  }
});
