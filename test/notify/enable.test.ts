/**
 * Switching a channel off and on, from the CLI (on the database, under a
 * running daemon) and through the API (owner only): a disabled webhook gets
 * nothing for an event, and keeps its settings; enabled again, it does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { sink, type Sink } from './sink.js';
import { newSession, newWindow } from '../../src/tmux/index.js';
import type { SessionInfo } from '../../src/shared/api.js';

const titles = (hook: Sink) => hook.received.map((r) => JSON.parse(r.body.toString()).title as string);

/** A window that exits 3 (an `exited` event), once the daemon shows it exited. */
async function exitWindow(s: TestServer, cookie: string, name: string): Promise<void> {
  await newWindow(s.tmux.client, { session: 'main', name, command: ['exit 3'], detached: true });
  await waitFor(async () => {
    const sessions = (await s.request('GET', '/api/sessions', { cookie })).json as SessionInfo[];
    return sessions.find((x) => x.name === 'main')?.windows.find((w) => w.name === name)?.status === 'exited';
  }, 20_000, `${name} exited`);
}

test('a disabled channel gets nothing and keeps its settings; enabled again (CLI or API) it does', async () => {
  const s = await startServer({ feedIntervalMs: 200 });
  await newSession(s.tmux.client, { name: 'main', command: ['sleep', '600'] });
  await s.tmux.run('set-option', '-g', 'remain-on-exit', 'on');
  const cookie = await s.login();
  await waitFor(async () => ((await s.request('GET', '/api/sessions', { cookie })).json as SessionInfo[]).length === 1, 20_000, 'the first listing');
  const hook = await sink();
  const cli = (...argv: string[]) => runCli(argv, s.env);
  const add = await cli('notify', 'add', 'webhook', '--url', hook.url, '--allow-private', '--states', 'exited', '--name', 'ci');
  assert.equal(add.code, 0, add.stderr);

  const off = await cli('notify', 'disable', '1');
  assert.deepEqual([off.code, off.stdout, off.stderr], [0, 'disabled channel 1\n', '']);
  assert.match((await cli('notify', 'ls')).stdout, /^1 +webhook +ci .* exited; private ok; disabled /m);
  const listed = JSON.parse((await cli('notify', 'ls', '--json')).stdout)[0];
  assert.deepEqual([listed.enabled, listed.states, listed.name], [false, ['exited'], 'ci'], 'settings kept');
  await exitWindow(s, cookie, 'one');
  await new Promise((ok) => setTimeout(ok, 1500)); // time to deliver, were it sent
  assert.deepEqual(titles(hook), [], 'disabled: nothing');

  const on = await cli('notify', 'enable', '1');
  assert.deepEqual([on.code, on.stdout], [0, 'enabled channel 1\n']);
  await exitWindow(s, cookie, 'two');
  await waitFor(() => titles(hook).includes('main:2 two — exited'), 20_000, `enabled: delivered (${titles(hook)})`);

  // Bad input: one line, nothing changed.
  for (const [argv, code, err] of [
    [['notify', 'disable', '7'], 1, /^roost notify: no channel 7 \(see roost notify ls\)\n$/],
    [['notify', 'disable', 'x1'], 1, /^roost notify: invalid channel ID "x1"/],
    [['notify', 'enable'], 2, /missing channel ID/],
    [['notify', 'enable', '1', '2'], 2, /./],
    [['notify', 'disable', '1', '--json'], 2, /--json does not apply to "notify disable"/],
  ] as const) {
    const r = await cli(...argv);
    assert.equal(r.code, code, `${argv.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, err, argv.join(' '));
  }
  assert.equal(JSON.parse((await cli('notify', 'ls', '--json')).stdout)[0].enabled, true, 'unchanged by bad input');

  // The API: owner only, the ID checked.
  const ro = s.daemon.auth.createApiToken({ name: 'viewer', role: 'read-only' });
  assert.equal((await s.request('POST', '/api/notify/channels/1/disable', { bearer: ro.token, body: {} })).status, 403);
  assert.equal((await s.request('POST', '/api/notify/channels/1/disable', { body: {} })).status, 401);
  assert.equal((await s.request('POST', '/api/notify/channels/01/disable', { cookie, body: {} })).status, 400);
  assert.equal((await s.request('POST', '/api/notify/channels/9/disable', { cookie, body: {} })).status, 404);
  assert.equal(JSON.parse((await cli('notify', 'ls', '--json')).stdout)[0].enabled, true, 'unchanged by refused requests');
  const apiOff = await s.request('POST', '/api/notify/channels/1/disable', { cookie, body: {} });
  assert.equal(apiOff.status, 200, apiOff.text);
  assert.equal((apiOff.json as { enabled: boolean }).enabled, false);
  await exitWindow(s, cookie, 'three');
  await new Promise((ok) => setTimeout(ok, 1500));
  assert.ok(!titles(hook).some((t) => t.includes('three')), `disabled by the API: nothing (${titles(hook)})`);
  const apiOn = await s.request('POST', '/api/notify/channels/1/enable', { cookie, body: {} });
  assert.equal((apiOn.json as { enabled: boolean }).enabled, true);
  await exitWindow(s, cookie, 'four');
  await waitFor(() => titles(hook).includes('main:4 four — exited'), 20_000, `enabled by the API: delivered (${titles(hook)})`);
});
