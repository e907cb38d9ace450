/**
 * The daemon mounts attention: an agent hook run inside a pane reports over
 * the daemon's unix socket and the window's state changes in the live
 * listing; browsers register push subscriptions (owner only).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCli, CLI } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession, sendText, sendKeys } from '../../src/tmux/index.js';
import type { SessionInfo } from '../../src/shared/api.js';
import { attentionService } from '../../src/attention/daemon-service.js';

// Nothing after the hook: the shell's prompt is empty (PS1 below). Output past AGENT_GRACE_SECONDS after the
// report would rightly end it, and a loaded machine can take that long to end the hook's process.
const hookLine = (event: Record<string, string>) =>
  `printf '%s' '${JSON.stringify({ session_id: 'abc-123', cwd: '/tmp', transcript_path: '/tmp/t.jsonl', ...event })}' | ${process.execPath} ${CLI} hook claude`;

test('a Claude hook run in a pane changes that window\'s state and remembers the session id', async () => {
  const s = await startServer();
  const id = await newSession(s.tmux.client, { name: 'agent', command: ['sh'], env: { PS1: '' } });
  const cookie = await s.login();
  const pane = async () => ((await s.request('GET', '/api/sessions', { cookie })).json as SessionInfo[])[0]!.windows[0]!;

  await sendText(s.tmux.client, `${id}:`, hookLine({ hook_event_name: 'SessionStart', source: 'startup' }));
  await sendKeys(s.tmux.client, `${id}:`, 'Enter');
  const paneId = (await pane()).panes[0]!.id;
  await waitFor(() => s.daemon.get(attentionService).attention.paneAgents.get(paneId)?.sessionId === 'abc-123', 15_000, 'stored session id');

  await sendText(s.tmux.client, `${id}:`, `clear; ${hookLine({ hook_event_name: 'Notification', notification_type: 'permission_prompt', message: 'Claude needs your permission' })}`);
  await sendKeys(s.tmux.client, `${id}:`, 'Enter');
  const w = await waitFor(async () => {
    const x = await pane();
    return x.agent === 'needs-permission' ? x : null;
  }, 15_000, 'needs-permission in the listing');
  assert.equal(w.name, 'sh');

  // `roost ls` asks the daemon, so the CLI says what the dashboard says; without the daemon, tmux alone answers.
  const ls = await runCli(['-L', s.tmux.socket, 'ls'], s.env);
  assert.equal(ls.code, 0, ls.stderr);
  assert.match(ls.stdout, /^ {2}\* 0 sh +sh +needs permission !$/m);
  const json = JSON.parse((await runCli(['-L', s.tmux.socket, 'ls', '--json'], s.env)).stdout) as SessionInfo[];
  assert.equal(json[0]!.windows[0]!.agent, 'needs-permission');
  const other = await runCli(['-L', `${s.tmux.socket}-other`, 'ls'], s.env);
  assert.equal(other.stdout.trim(), `no sessions (start one with: roost -L ${s.tmux.socket}-other)`, 'another tmux server: not the daemon\'s listing');
  await s.close();
  const alone = await runCli(['-L', s.tmux.socket, 'ls'], s.env);
  assert.equal(alone.code, 0, alone.stderr);
  assert.doesNotMatch(alone.stdout, /needs permission/);
  assert.match(alone.stdout, /^ {2}\* 0 sh +sh +(shell|working)$/m, 'tmux alone: the shell at its prompt');
});

test('push subscriptions: owner only, validated, listed without secrets', async () => {
  const s = await startServer();
  const cookie = await s.login();
  const key = (await s.request('GET', '/api/push/key', { cookie })).json as { key: string };
  assert.match(key.key, /^[A-Za-z0-9_-]{80,}$/);
  const subscription = {
    endpoint: 'https://push.example.com/send/abcdef',
    keys: { p256dh: 'B' + 'A'.repeat(86), auth: 'A'.repeat(22) },
  };
  const bad = await s.request('POST', '/api/push/subscriptions', { cookie, body: { subscription: { endpoint: 'http://127.0.0.1/x', keys: subscription.keys } } });
  assert.equal(bad.status, 400);
  // An API client has no --allow-private: the refusal says what holds, in its own words.
  const local = await s.request('POST', '/api/push/subscriptions', { cookie, body: { subscription: { endpoint: 'https://127.0.0.1/x', keys: subscription.keys } } });
  assert.equal(local.status, 400);
  const message = (local.json as { error: { message: string } }).error.message;
  assert.match(message, /^127\.0\.0\.1 is not a public address .*: refused \(a browser's push service is on the public internet\)$/);
  assert.doesNotMatch(message, /--allow-private/);
  // A name that always means this machine is refused when added too, like 127.0.0.1 and [::1].
  for (const endpoint of ['https://localhost/x', 'https://push.localhost/x', 'https://[::1]/x']) {
    const r = await s.request('POST', '/api/push/subscriptions', { cookie, body: { subscription: { endpoint, keys: subscription.keys } } });
    assert.equal(r.status, 400, endpoint);
    assert.equal((r.json as { error: { code: string } }).error.code, 'bad-subscription', endpoint);
  }
  const ok = await s.request('POST', '/api/push/subscriptions', { cookie, body: { subscription, name: 'phone' } });
  assert.equal(ok.status, 201, ok.text);
  const list = (await s.request('GET', '/api/notify/channels', { cookie })).json as { kind: string; name: string; destination: string }[];
  assert.deepEqual(list.map((c) => [c.kind, c.name, c.destination]), [['webpush', 'phone', 'https://push.example.com/…']]);
  assert.ok(!JSON.stringify(list).includes('abcdef'), 'the endpoint is a capability: not listed');
  const gone = await s.request('DELETE', '/api/push/subscriptions', { cookie, body: { endpoint: subscription.endpoint } });
  assert.equal(gone.status, 204);
  assert.deepEqual((await s.request('GET', '/api/notify/channels', { cookie })).json, []);
  assert.equal((await s.request('POST', '/api/push/subscriptions', { body: { subscription } })).status, 401);
});
