import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, createHmac, createPublicKey, hkdfSync, randomBytes, createDecipheriv, verify } from 'node:crypto';
import { sink } from './sink.js';
import { ntfyChannel, webhookChannel, webPushChannel } from '../../src/notify/create.js';
import { sendNtfy } from '../../src/notify/ntfy.js';
import { sendWebhook } from '../../src/notify/webhook.js';
import { sendWebPush } from '../../src/notify/webpush.js';
import { toNotification } from '../../src/notify/message.js';
import { notifyEventFor } from '../../src/attention/notify-events.js';
import { DeliveryError } from '../../src/notify/http.js';
import { isPrivateAddress, UrlRefused } from '../../src/notify/url-guard.js';
import { hostname } from 'node:os';
import { lookup } from 'node:dns/promises';
import { ChannelError, type Channel, type NtfyConfig } from '../../src/notify/channels.js';
import webPush from 'web-push';
import type { StateEvent } from '../../src/attention/types.js';

const event = (o: Partial<StateEvent> = {}): StateEvent => ({
  type: 'state', session: 'main', sessionId: '$1', windowId: '@4', index: 1, name: 'claude', state: 'needs-permission', previous: 'working',
  at: 1_700_000_000_000, episode: 1, baseline: false, command: 'claude', agent: 'claude', ...o,
});
/** What the channels send for an attention event. */
const notificationFor = (e: StateEvent) => toNotification(notifyEventFor(e));

test('ntfy: POST SERVER/TOPIC with Title, Tags, Priority and the token', async () => {
  const s = await sink();
  const c = await ntfyChannel({ url: `${s.url}/`, topic: 'roost-alerts', token: 'tk_secret123', allowPrivate: true });
  assert.equal(c.kind, 'ntfy');
  await sendNtfy(c.config as NtfyConfig, true, notificationFor(event()), 'https://box.example:7373');
  const r = s.received[0]!;
  assert.equal(r.method, 'POST');
  assert.equal(r.path, '/roost-alerts');
  // The em dash makes the title non-ASCII: an RFC 2047 encoded word, which ntfy decodes.
  const m = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(String(r.headers['title']));
  assert.ok(m, String(r.headers['title']));
  assert.equal(Buffer.from(m[1]!, 'base64').toString('utf8'), 'main:1 claude — needs permission');
  assert.equal(r.headers['tags'], 'raised_hand');
  assert.equal(r.headers['priority'], '4');
  assert.equal(r.headers['authorization'], 'Bearer tk_secret123');
  assert.equal(r.headers['click'], 'https://box.example:7373/s/main/1');
  assert.equal(r.body.toString('utf8'), 'Claude needs your permission to go on.');

  await sendNtfy(c.config as NtfyConfig, true, notificationFor(event({ state: 'waiting', agent: undefined, name: 'logs', index: 2 })));
  const w = s.received[1]!;
  assert.equal(w.headers['priority'], '3');
  assert.equal(w.headers['tags'], 'hourglass_flowing_sand');
  assert.equal(w.headers['click'], undefined);
});

test('webhook: JSON body, HMAC-SHA256 over the raw body verified by the receiver, timestamp and delivery headers', async () => {
  const s = await sink();
  const c = await webhookChannel({ url: `${s.url}/hooks/roost?k=1`, allowPrivate: true });
  assert.equal(c.config.secret.length, 64, 'a 256-bit secret was made');
  const now = 1_700_000_123_456;
  await sendWebhook(c.config, true, notificationFor(event({ state: 'exited', exitStatus: 3, agent: undefined })), 'delivery-1', now);
  const r = s.received[0]!;
  assert.equal(r.path, '/hooks/roost?k=1');
  assert.equal(r.headers['content-type'], 'application/json');
  const expected = `sha256=${createHmac('sha256', c.config.secret).update(r.body).digest('hex')}`;
  assert.equal(r.headers['x-roost-signature'], expected);
  assert.equal(r.headers['x-roost-timestamp'], String(Math.floor(now / 1000)));
  assert.equal(r.headers['x-roost-delivery'], 'delivery-1');
  const body = JSON.parse(r.body.toString('utf8'));
  assert.deepEqual(body, {
    type: 'roost.notification', version: 1, id: 'delivery-1', sentAt: now, test: false,
    title: 'main:1 claude — exited', body: 'The program ended with status 3.', url: '/s/main/1', state: 'exited',
    session: 'main', window: { index: 1, name: 'claude' }, at: 1_700_000_000_000,
  });
  // A tampered body fails the receiver's check.
  const tampered = Buffer.from(r.body.toString('utf8').replace('exited', 'waiting'));
  assert.notEqual(`sha256=${createHmac('sha256', c.config.secret).update(tampered).digest('hex')}`, expected);
});

/** What a browser does when it subscribes: a P-256 key pair and a 16-byte auth secret. */
function browserSubscription(endpoint: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    subscription: { endpoint, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } },
  };
}

/** RFC 8291 (aes128gcm) decryption, as the browser's push stack does it. */
function decryptPush(body: Buffer, ecdh: ReturnType<typeof createECDH>, auth: Buffer): string {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  assert.equal(idlen, 65, 'key id is the sender\'s uncompressed public key');
  assert.ok(ciphertext.length <= rs, 'one record');
  const uaPublic = ecdh.getPublicKey();
  const shared = ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  assert.equal(padded[end], 2, 'last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}

test('Web Push: the aes128gcm payload decrypts with the subscription keys to title, body and url, nothing else', async () => {
  const s = await sink(() => 201);
  const browser = browserSubscription(`${s.url}/push/v2/abc123`);
  const vapid = webPush.generateVAPIDKeys();
  const ch = webPushChannel({ subscription: browser.subscription, allowInsecureEndpoint: true });
  await sendWebPush(ch.config, notificationFor(event({ name: 'claude', command: 'SECRET-SCREEN-TEXT' })), vapid, 'mailto:owner@example.com');
  const r = s.received[0]!;
  assert.equal(r.path, '/push/v2/abc123');
  assert.equal(r.headers['content-encoding'], 'aes128gcm');
  assert.equal(r.headers['urgency'], 'high');
  assert.ok(Number(r.headers['ttl']) > 0);

  const payload = JSON.parse(decryptPush(r.body, browser.ecdh, browser.auth));
  assert.deepEqual(payload, { title: 'main:1 claude — needs permission', body: 'Claude needs your permission to go on.', url: '/s/main/1', tag: 'roost:$1:@4', state: 'needs-permission', at: 1_700_000_000_000 });
  assert.ok(!JSON.stringify(payload).includes('SECRET-SCREEN-TEXT'));

  // VAPID: "vapid t=JWT, k=PUBLIC KEY", the JWT signed (ES256) by that key for this push service.
  const m = /^vapid t=([^,]+), k=([A-Za-z0-9_-]+)$/.exec(String(r.headers['authorization']));
  assert.ok(m, String(r.headers['authorization']));
  assert.equal(m[2], vapid.publicKey);
  const [h, p, sig] = m[1]!.split('.');
  const point = Buffer.from(vapid.publicKey, 'base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' });
  assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig!, 'base64url')));
  const claims = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'));
  assert.equal(claims.aud, s.url);
  assert.equal(claims.sub, 'mailto:owner@example.com');
});

test('Web Push: http and private endpoints are refused unless the test-only flag is set; 410 means the subscription is gone', async () => {
  const s = await sink(() => 410);
  const browser = browserSubscription(`${s.url}/push/gone`);
  assert.throws(() => webPushChannel({ subscription: browser.subscription }), UrlRefused);
  assert.throws(() => webPushChannel({ subscription: { ...browser.subscription, endpoint: 'https://127.0.0.1/x' } }), UrlRefused);
  assert.throws(() => webPushChannel({ subscription: { endpoint: 'https://push.example/x', keys: { p256dh: 'short', auth: 'x' } } }), ChannelError);
  const ch = webPushChannel({ subscription: browser.subscription, allowInsecureEndpoint: true });
  await assert.rejects(sendWebPush(ch.config, notificationFor(event()), webPush.generateVAPIDKeys()), (e: unknown) => e instanceof DeliveryError && e.gone && !e.retryable);
  // A stored channel without the flag is refused at send time too, before any request.
  await assert.rejects(sendWebPush({ ...ch.config, allowInsecureEndpoint: false }, notificationFor(event()), webPush.generateVAPIDKeys()), UrlRefused);
  assert.equal(s.received.length, 1);
});

test('Web Push: an endpoint whose name resolves to a private address is refused at send time in the words of the API it came through, naming no CLI option', async (t) => {
  const s = await sink(() => 201);
  const port = new URL(s.url).port;
  // A name, not a literal address, and not localhost (refused by name when added and sent): this machine's own
  // name, which resolves to a loopback or LAN address. The subscription is taken, the send-time lookup refuses it.
  const name = hostname().toLowerCase();
  const addrs = await lookup(name, { all: true }).catch(() => []);
  if (addrs.length === 0 || !addrs.every((a) => isPrivateAddress(a.address))) return t.skip(`${name} does not resolve to private addresses alone`);
  const ch = webPushChannel({ subscription: browserSubscription(`https://${name}:${port}/push/x`).subscription });
  const refusal = await sendWebPush(ch.config, notificationFor(event()), webPush.generateVAPIDKeys()).then(() => null, (e: unknown) => e);
  assert.ok(refusal instanceof DeliveryError && !refusal.retryable, String(refusal));
  // This line is the channel's last error, which the dashboard shows through GET /api/notify/channels.
  assert.match(refusal.message, /^[^:]+:\d+: [^ ]+ \(.+\) is not a public address .*: refused \(a browser's push service is on the public internet\)$/);
  assert.doesNotMatch(refusal.message, /--/);
  assert.equal(s.received.length, 0);
});

test('URL guard: loopback, private, link-local and non-http URLs are refused without allowPrivate, at add time and at send time', async () => {
  const s = await sink();
  const port = new URL(s.url).port;
  for (const url of [s.url, `http://localhost:${port}`, `http://[::1]:${port}`, 'http://10.1.2.3', 'http://169.254.169.254/latest', 'http://192.168.1.10', 'http://0.0.0.0', 'http://[::ffff:127.0.0.1]/', 'http://[fd00::1]/']) {
    await assert.rejects(webhookChannel({ url }), UrlRefused, url);
    await assert.rejects(ntfyChannel({ url, topic: 't' }), UrlRefused, url);
  }
  for (const url of ['file:///etc/passwd', 'ftp://example.com/', 'gopher://x', 'javascript:alert(1)', 'http://user:pw@example.com/']) {
    await assert.rejects(webhookChannel({ url, allowPrivate: true }), UrlRefused, url);
  }
  // A channel stored while the name pointed elsewhere (DNS rebinding): the send-time check stops it.
  const stored: NtfyConfig = { url: `http://localhost:${port}`, topic: 't', token: null };
  await assert.rejects(sendNtfy(stored, false, notificationFor(event())), (e: unknown) => e instanceof DeliveryError && !e.retryable && /private|loopback/.test(e.message));
  // Its line is the channel's last error, shown by the API as well as the CLI: no CLI option in it.
  await assert.rejects(sendNtfy(stored, false, notificationFor(event())), (e: unknown) => e instanceof DeliveryError && /refused \(this channel was added without allowing private addresses\)$/.test(e.message) && !e.message.includes('--'));
  await assert.rejects(sendWebhook({ url: s.url, secret: 'x' }, false, notificationFor(event()), 'id', Date.now()), (e: unknown) => e instanceof DeliveryError && !e.retryable);
  assert.equal(s.received.length, 0, 'nothing reached the sink');
  // With allowPrivate the same destinations work.
  await sendNtfy(stored, true, notificationFor(event()));
  assert.equal(s.received.length, 1);
});

test('a failing answer is a DeliveryError that says whether a retry may help, and never the URL\'s path', async () => {
  const s = await sink((_r, n) => [500, 400, 429][n] ?? 200);
  const c: Channel = { id: 1, kind: 'webhook', name: null, enabled: true, states: null, sessions: null, quiet: null, allowPrivate: true, createdAt: 0, config: { url: `${s.url}/secret-path-token`, secret: 'k' } };
  const send = () => sendWebhook(c.config as { url: string; secret: string }, true, notificationFor(event()), 'id', Date.now());
  await assert.rejects(send(), (e: unknown) => e instanceof DeliveryError && e.retryable && e.status === 500 && !e.message.includes('secret-path-token'));
  await assert.rejects(send(), (e: unknown) => e instanceof DeliveryError && !e.retryable && e.status === 400);
  await assert.rejects(send(), (e: unknown) => e instanceof DeliveryError && e.retryable && e.status === 429);
  await send();
});
