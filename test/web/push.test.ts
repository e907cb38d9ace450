import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64UrlBytes, deviceName, parsePushPayload, safeTarget } from '../../src/web/push-payload.js';

test('a push payload becomes its notification: title, body, per-window tag, target', () => {
  const n = parsePushPayload(JSON.stringify({ title: 'main:1 claude — needs permission', body: 'Claude needs your permission to go on.', url: '/s/main/1', tag: 'roost:$1:@4', state: 'needs-permission', at: 1 }));
  assert.deepEqual(n, { title: 'main:1 claude — needs permission', body: 'Claude needs your permission to go on.', tag: 'roost:$1:@4', url: '/s/main/1' });
});

test('a payload that is not ours still shows something, and opens the dashboard', () => {
  for (const raw of [null, '', 'not json', '[1]', '{"title":7}']) {
    const n = parsePushPayload(raw);
    assert.equal(n.title, 'Roost');
    assert.equal(n.url, '/');
  }
});

test('a tap opens only terminal pages and job logs of this origin', () => {
  assert.equal(safeTarget('/s/main/1'), '/s/main/1');
  assert.equal(safeTarget('/jobs/train-3'), '/jobs/train-3', 'a job\'s end opens its log (docs/notifications.md)');
  for (const bad of ['https://evil.example/s/x', '//evil.example/s/x', '/login', '/s\\..', 'javascript:alert(1)', '/s/a\nb', 7, null]) {
    assert.equal(safeTarget(bad), '/', String(bad));
  }
});

test('the VAPID key decodes from base64url; devices get a readable name', () => {
  assert.deepEqual([...base64UrlBytes('AP-_')], [0x00, 0xff, 0xbf]);
  assert.deepEqual([...base64UrlBytes('AQ')], [1]);
  assert.equal(deviceName('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36'), 'Chrome on Android');
  assert.equal(deviceName('Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0'), 'Firefox on Linux');
  assert.equal(deviceName('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1'), 'Safari on iOS');
});
