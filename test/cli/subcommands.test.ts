/**
 * Commands with subcommands (token, notify, hooks): each subcommand takes
 * only its own options, and their tables print local times with the offset.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';

function usageError(r: CliResult, cmd: string, option: string, sub: string): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `roost ${cmd}: --${option} does not apply to "${sub}" (see roost ${cmd} --help)\n`);
}

/** A loopback port nothing listens on: a delivery there fails at once. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', () => ok()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

/** What localTime should print for `ms` in a zone `east` minutes ahead of UTC, without a daylight-saving change. */
function expected(ms: number, east: number): string {
  const a = Math.abs(east);
  const zone = `${east < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  return `${new Date(ms + east * 60_000).toISOString().slice(0, 16).replace('T', ' ')} ${zone}`;
}

// Zones without daylight saving, so the offset is known whatever the date. Etc/GMT+5 is UTC-5 (POSIX signs).
const ZONES: [string, number][] = [['Asia/Kolkata', 330], ['Etc/GMT+5', -300], ['UTC', 0]];

test('token: each subcommand refuses the others\' options, and nothing changes', async () => {
  const home = tempDir();
  const created = await runCli(['token', 'create', '--name', 'ci', '--read-only', '--json'], { home });
  assert.equal(created.code, 0, created.stderr);
  const id = (JSON.parse(created.stdout) as { id: string }).id;

  usageError(await runCli(['token', 'ls', '--read-only'], { home }), 'token', 'read-only', 'token ls');
  usageError(await runCli(['token', 'list', '--name', 'x'], { home }), 'token', 'name', 'token list');
  usageError(await runCli(['token', 'revoke', id, '--name', 'x'], { home }), 'token', 'name', 'token revoke');
  usageError(await runCli(['token', 'revoke', id, '--json'], { home }), 'token', 'json', 'token revoke');

  const ls = await runCli(['token', 'ls', '--json', '--debug'], { home });
  assert.equal(ls.code, 0, ls.stderr);
  const tokens = JSON.parse(ls.stdout) as { id: string; revoked: number | null }[];
  assert.deepEqual(tokens.map((t) => [t.id, t.revoked]), [[id, null]], 'still one token, not revoked');
});

test('notify: ls, rm and test take only their options; add takes its kind\'s', async () => {
  const home = tempDir();
  const url = `http://127.0.0.1:${await closedPort()}/in`;
  usageError(await runCli(['notify', 'add', 'webhook', '--url', url, '--allow-private', '--topic', 't'], { home }), 'notify', 'topic', 'notify add webhook');
  usageError(await runCli(['notify', 'add', 'webhook', '--url', url, '--allow-private', '--token-file', '/dev/null'], { home }), 'notify', 'token-file', 'notify add webhook');
  usageError(await runCli(['notify', 'add', 'ntfy', '--url', url, '--topic', 't', '--allow-private', '--secret-file', '/dev/null'], { home }), 'notify', 'secret-file', 'notify add ntfy');
  assert.deepEqual(JSON.parse((await runCli(['notify', 'ls', '--json'], { home })).stdout), [], 'nothing added');

  const add = await runCli(['notify', 'add', 'webhook', '--url', url, '--allow-private', '--name', 'ci', '--states', 'done', '--json'], { home });
  assert.equal(add.code, 0, add.stderr);
  usageError(await runCli(['notify', 'ls', '--topic', 'x'], { home }), 'notify', 'topic', 'notify ls');
  usageError(await runCli(['notify', 'rm', '1', '--json'], { home }), 'notify', 'json', 'notify rm');
  usageError(await runCli(['notify', 'test', '1', '--url', url], { home }), 'notify', 'url', 'notify test');
  const ls = JSON.parse((await runCli(['notify', 'ls', '--json'], { home })).stdout) as { id: number; status: { lastErrorAt: number | null } }[];
  assert.deepEqual(ls.map((c) => [c.id, c.status.lastErrorAt]), [[1, null]], 'not removed, not tested');
});

test('hooks: --json is only for status; install refuses it and writes nothing', async () => {
  const home = tempDir();
  usageError(await runCli(['hooks', 'install', 'claude', '--json'], { home }), 'hooks', 'json', 'hooks install');
  usageError(await runCli(['hooks', 'uninstall', 'claude', '--json'], { home }), 'hooks', 'json', 'hooks uninstall');
  assert.equal(existsSync(join(home, '.claude')), false);
  const st = await runCli(['hooks', 'status', '--json', '--project', home], { home });
  assert.equal(st.code, 0, st.stderr);
  assert.equal((JSON.parse(st.stdout) as { claude: unknown[] }).claude.length, 2);
});

test('token ls prints local times with the UTC offset; --json keeps epoch ms', async () => {
  const home = tempDir();
  const c = await runCli(['token', 'create', '--name', 'laptop', '--json'], { home });
  assert.equal(c.code, 0, c.stderr);
  const id = (JSON.parse(c.stdout) as { id: string }).id;
  assert.equal((await runCli(['token', 'revoke', id], { home })).code, 0);
  const json = await runCli(['token', 'ls', '--json'], { home, env: { TZ: 'Asia/Kolkata' } });
  const [t] = JSON.parse(json.stdout) as Record<string, unknown>[];
  assert.deepEqual(Object.keys(t!), ['id', 'name', 'role', 'created', 'lastUsed', 'revoked']);
  assert.equal(typeof t!['created'], 'number');
  assert.equal(typeof t!['revoked'], 'number');

  for (const [tz, east] of ZONES) {
    const ls = await runCli(['token', 'ls'], { home, env: { TZ: tz } });
    assert.equal(ls.code, 0, ls.stderr);
    const line = ls.stdout.split('\n').find((l) => l.startsWith(id))!;
    const want = `${id}  laptop  owner  ${expected(t!['created'] as number, east)}  -          revoked ${expected(t!['revoked'] as number, east)}`;
    assert.equal(line, want, `TZ=${tz}`);
    assert.match(ls.stdout, /^ID +NAME +ROLE +CREATED {18}LAST USED +STATUS$/m, 'headers line up with the wider times');
  }
});

test('notify ls prints local times with the UTC offset; --json keeps epoch ms', async () => {
  const home = tempDir();
  const add = await runCli(['notify', 'add', 'webhook', '--url', `http://127.0.0.1:${await closedPort()}/in`, '--allow-private'], { home });
  assert.equal(add.code, 0, add.stderr);
  assert.equal((await runCli(['notify', 'test', '1'], { home })).code, 1, 'the delivery fails: nothing listens');
  const [ch] = JSON.parse((await runCli(['notify', 'ls', '--json'], { home, env: { TZ: 'Asia/Kolkata' } })).stdout) as { createdAt: unknown; status: { lastOkAt: unknown; lastErrorAt: unknown } }[];
  assert.equal(typeof ch!.createdAt, 'number');
  assert.equal(ch!.status.lastOkAt, null);
  assert.equal(typeof ch!.status.lastErrorAt, 'number');

  for (const [tz, east] of ZONES) {
    const ls = await runCli(['notify', 'ls'], { home, env: { TZ: tz } });
    assert.equal(ls.code, 0, ls.stderr);
    const row = ls.stdout.split('\n').find((l) => l.startsWith('1 '))!;
    // LAST OK is "-", then LAST ERROR: its time, then the error.
    assert.ok(row.includes(`  -        ${expected(ch!.status.lastErrorAt as number, east)} 127.0.0.1:`), `TZ=${tz}: ${row}`);
  }
});
