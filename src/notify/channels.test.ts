import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelError, inQuietHours, parseQuiet, parseSessions, parseStates, publicChannel, type Channel } from './channels.js';

const at = (h: number, m: number) => new Date(2026, 2, 1, h, m);

test('quiet hours wrap midnight; start inclusive, end exclusive', () => {
  const q = parseQuiet('22:00 - 07:00');
  assert.equal(q, '22:00-07:00');
  assert.deepEqual([at(21, 59), at(22, 0), at(3, 0), at(6, 59), at(7, 0), at(12, 0)].map((d) => inQuietHours(q, d)), [false, true, true, true, false, false]);
  assert.deepEqual([at(12, 0), at(13, 29), at(13, 30)].map((d) => inQuietHours('12:00-13:30', d)), [true, true, false]);
  assert.equal(inQuietHours(null, at(3, 0)), false);
  for (const bad of ['22-07', '24:00-07:00', '22:00-22:00', '7:00-8:00', 'x']) assert.throws(() => parseQuiet(bad), ChannelError, bad);
});

/** The kinds the sources send (attention's, here by hand: notify imports no source). */
const KINDS = ['waiting', 'bell', 'exited', 'needs-permission', 'idle', 'done'];

test('state and session filters', () => {
  assert.deepEqual(parseStates(['needs-permission,done', 'done'], KINDS), ['needs-permission', 'done']);
  assert.throws(() => parseStates(['working'], KINDS), /unknown state "working"/);
  assert.throws(() => parseStates(['nap'], KINDS), ChannelError);
  assert.deepEqual(parseSessions(['main,work']), ['main', 'work']);
  assert.throws(() => parseSessions(['#(touch /tmp/x)']), ChannelError);
});

test('the public view carries no secret; an ntfy topic only to the owner', () => {
  const base = { id: 1, name: null, enabled: true, states: null, sessions: null, quiet: null, allowPrivate: false, createdAt: 0 };
  const channels: Channel[] = [
    { ...base, kind: 'ntfy', config: { url: 'https://ntfy.sh', topic: 'TOPIC-x', token: 'TOKEN-abc' } },
    { ...base, kind: 'webhook', config: { url: 'https://hooks.example.com/services/SECRET-PATH', secret: 'SECRET-hmac' } },
    { ...base, kind: 'webpush', config: { endpoint: 'https://push.example.com/send/CAPABILITY', keys: { p256dh: 'KEY-p256', auth: 'KEY-auth' }, allowInsecureEndpoint: false } },
  ];
  for (const c of channels) {
    const text = JSON.stringify(publicChannel(c, 'read-only'));
    for (const secret of ['TOPIC-x', 'TOKEN-abc', 'SECRET-PATH', 'SECRET-hmac', 'CAPABILITY', 'KEY-p256', 'KEY-auth']) assert.ok(!text.includes(secret), `${c.kind}: ${text}`);
  }
  assert.equal(publicChannel(channels[0]!, 'read-only').destination, 'https://ntfy.sh/…');
  assert.equal(publicChannel(channels[0]!, 'owner').destination, 'https://ntfy.sh/TOPIC-x', 'the owner subscribes to it');
  assert.equal(publicChannel(channels[1]!, 'owner').destination, 'https://hooks.example.com/…');
  assert.equal(publicChannel(channels[0]!, 'owner').hasSecret, true);
  // A self-hosted server behind a secret path: a read-only login sees its origin alone, like a webhook's.
  const pathed: Channel = { ...base, kind: 'ntfy', config: { url: 'http://127.0.0.1:17798/ntfy/PATHSECRET', topic: 'TOPIC-z', token: null } };
  assert.equal(publicChannel(pathed, 'read-only').destination, 'http://127.0.0.1:17798/…');
  assert.ok(!JSON.stringify(publicChannel(pathed, 'read-only')).includes('PATHSECRET'));
  assert.equal(publicChannel(pathed, 'owner').destination, 'http://127.0.0.1:17798/ntfy/PATHSECRET/TOPIC-z');
  // Without a token an ntfy channel still holds a secret: its topic.
  const tokenless: Channel = { ...base, kind: 'ntfy', config: { url: 'https://ntfy.sh', topic: 'TOPIC-y', token: null } };
  for (const viewer of ['owner', 'read-only'] as const) assert.equal(publicChannel(tokenless, viewer).hasSecret, true, viewer);
});
