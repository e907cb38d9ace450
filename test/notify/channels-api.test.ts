/**
 * What GET /api/notify/channels shows to whom, on a real daemon: no channel's
 * secret to anyone; an ntfy topic (the channel's only secret: whoever knows
 * it reads and publishes) to the owner, who subscribes to it on the phone,
 * and never to a read-only login; `hasSecret` is true for it either way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startServer } from '../helpers/server.js';

test('an ntfy topic is shown to the owner only; a read-only login sees the server\'s origin alone, not its path', async () => {
  const s = await startServer();
  // A self-hosted ntfy behind a secret path: the path is as secret as a webhook's.
  const add = await runCli(['notify', 'add', 'ntfy', '--url', 'http://127.0.0.1:9/ntfy/PATHSECRET', '--topic', 'my-secret-topic', '--allow-private'], s.env);
  assert.equal(add.code, 0, add.stderr);
  const ro = s.daemon.auth.createApiToken({ name: 'viewer', role: 'read-only' });
  const roCookie = await s.login({ token: ro.token });
  const owner = await s.login();
  const destinations = async (auth: { cookie: string } | { bearer: string }) => {
    const r = await s.request('GET', '/api/notify/channels', auth);
    assert.equal(r.status, 200, r.text);
    return { text: r.text, list: (r.json as { destination: string }[]).map((c) => c.destination), hasSecret: (r.json as { hasSecret: boolean }[]).map((c) => c.hasSecret) };
  };
  for (const auth of [{ bearer: ro.token }, { cookie: roCookie }]) {
    const seen = await destinations(auth);
    assert.deepEqual(seen.list, ['http://127.0.0.1:9/…']);
    assert.doesNotMatch(seen.text, /my-secret-topic|PATHSECRET/);
    // No token, but the topic is a secret this login does not see: it is told one is held back.
    assert.deepEqual(seen.hasSecret, [true]);
  }
  assert.deepEqual((await destinations({ cookie: owner })).hasSecret, [true]);
  assert.equal(JSON.parse((await runCli(['notify', 'ls', '--json'], s.env)).stdout)[0].hasSecret, true, 'roost notify ls --json says the same');
  assert.deepEqual((await destinations({ cookie: owner })).list, ['http://127.0.0.1:9/ntfy/PATHSECRET/my-secret-topic']);
  // The owner's answer to a switch says the topic too; the CLI (the owner) as before.
  const off = await s.request('POST', '/api/notify/channels/1/disable', { cookie: owner, body: {} });
  assert.equal((off.json as { destination: string }).destination, 'http://127.0.0.1:9/ntfy/PATHSECRET/my-secret-topic');
  assert.match((await runCli(['notify', 'ls'], s.env)).stdout, /http:\/\/127\.0\.0\.1:9\/ntfy\/PATHSECRET\/my-secret-topic/);
});
