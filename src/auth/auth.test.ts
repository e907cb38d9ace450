import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../store/db.js';
import { AUTH_SCHEMA } from './schema.js';
import { Auth, LOGIN_ABSOLUTE_MS, LOGIN_IDLE_MS, LOGIN_TOKEN_TTL_MS } from './auth.js';
import { matchesDigest, digestHex } from './secrets.js';

function setup(): { auth: Auth; clock: { now: number } } {
  const dir = mkdtempSync(join(tmpdir(), 'roost-auth-'));
  const db = openDb(dir, [AUTH_SCHEMA]);
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const clock = { now: 1_700_000_000_000 };
  return { auth: new Auth(db, { now: () => clock.now }), clock };
}

test('one-time login tokens: once, and only within their lifetime', async () => {
  const { auth, clock } = setup();
  assert.equal(LOGIN_TOKEN_TTL_MS, 10 * 60_000);
  const a = auth.createLoginToken();
  assert.ok(await auth.login({ token: a.token }));
  assert.equal(await auth.login({ token: a.token }), null, 'second use');
  const b = auth.createLoginToken();
  clock.now += LOGIN_TOKEN_TTL_MS;
  assert.equal(await auth.login({ token: b.token }), null, 'expired');
  assert.equal(await auth.login({ token: '' }), null);
});

test('browser logins end after the idle and the absolute lifetime', async () => {
  const { auth, clock } = setup();
  const login = (await auth.login({ token: auth.createLoginToken().token }))!;
  assert.ok(auth.fromCookie(login.cookie));
  clock.now += LOGIN_IDLE_MS - 1000;
  assert.ok(auth.fromCookie(login.cookie), 'used just in time: the idle clock restarts');
  clock.now += LOGIN_IDLE_MS - 1000;
  assert.ok(auth.stillValid(login.principal), 'an open socket counts as use');
  clock.now += LOGIN_IDLE_MS + 1;
  assert.equal(auth.fromCookie(login.cookie), null, 'idle too long');

  const busy = (await auth.login({ token: auth.createLoginToken().token }))!;
  for (let t = 0; t < LOGIN_ABSOLUTE_MS; t += LOGIN_IDLE_MS / 2) {
    clock.now += LOGIN_IDLE_MS / 2;
    if (t + LOGIN_IDLE_MS / 2 < LOGIN_ABSOLUTE_MS) assert.ok(auth.fromCookie(busy.cookie), `day ${t / 86_400_000}`);
  }
  assert.equal(auth.fromCookie(busy.cookie), null, 'past the absolute lifetime, however busy');
  assert.equal(auth.stillValid(busy.principal), false);
});

test('API tokens: 256-bit secrets stored hashed; revoke ends them and their logins', async () => {
  const { auth } = setup();
  const t = auth.createApiToken({ name: 'ci', role: 'owner' });
  const secret = t.token.slice(19);
  assert.equal(Buffer.from(secret, 'base64url').length, 32);
  const row = auth.tokens.get(t.id)!;
  assert.equal(row.hash, digestHex(secret));
  assert.ok(!Object.values(row).includes(secret));
  const p = auth.verifyBearer(t.token)!;
  assert.deepEqual(p, { kind: 'token', role: 'owner', name: 'ci', tokenId: t.id });
  // A token with the right id and a wrong secret (same length) fails.
  assert.equal(auth.verifyBearer(`roost_${t.id}_${'A'.repeat(43)}`), null);
  assert.equal(auth.verifyBearer(t.token + 'x'), null);
  const login = (await auth.login({ token: t.token }))!;
  assert.equal(login.principal.kind, 'login');
  assert.equal(auth.revokeApiToken(t.id), true);
  assert.equal(auth.revokeApiToken(t.id), false);
  assert.equal(auth.verifyBearer(t.token), null);
  assert.equal(auth.stillValid(p), false);
  assert.equal(auth.fromCookie(login.cookie), null, 'its logins end');
  assert.equal(auth.listApiTokens()[0]!.revoked !== null, true);
});

test('matchesDigest compares fixed-length digests', () => {
  assert.equal(matchesDigest('abc', digestHex('abc')), true);
  assert.equal(matchesDigest('abd', digestHex('abc')), false);
  assert.equal(matchesDigest('abc', 'short'), false);
});

test('password: scrypt, verified, and setting it ends every login', async () => {
  const { auth } = setup();
  assert.equal(auth.hasPassword(), false);
  await auth.setPassword('a good password');
  assert.equal(auth.hasPassword(), true);
  const l = (await auth.login({ password: 'a good password' }))!;
  assert.equal(l.principal.role, 'owner');
  assert.equal(await auth.login({ password: 'a good passworD' }), null);
  await auth.setPassword('another password');
  assert.equal(auth.fromCookie(l.cookie), null);
  await assert.rejects(auth.setPassword('short'), /at least 8/);
});
