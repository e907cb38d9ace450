import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testEnv, RM_TREE } from '../helpers/tmux.js';
import { sink } from './sink.js';

const bin = join(resolve(import.meta.dirname, '../../..'), 'bin', 'roost');

function home() {
  const h = mkdtempSync(join(tmpdir(), 'roost-notify-'));
  after(() => rmSync(h, RM_TREE));
  const env = testEnv({ HOME: h, XDG_STATE_HOME: join(h, 'state'), XDG_CONFIG_HOME: join(h, 'config'), XDG_RUNTIME_DIR: join(h, 'run') });
  // Asynchronous: the sinks answer from this very process.
  const roost = (...args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((ok) => {
    const p = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const r = { status: null as number | null, stdout: '', stderr: '' };
    p.stdout.on('data', (c) => (r.stdout += c));
    p.stderr.on('data', (c) => (r.stderr += c));
    const guard = setTimeout(() => p.kill('SIGKILL'), 30_000);
    p.on('close', (code) => {
      clearTimeout(guard);
      r.status = code;
      ok(r);
    });
  });
  return { dir: h, roost };
}

test('notify add webhook → secret shown once, ls hides it, test delivers a signed request, rm removes it', async () => {
  const s = await sink();
  const { dir, roost } = home();
  const add = await roost('notify', 'add', 'webhook', '--url', `${s.url}/in`, '--allow-private', '--states', 'needs-permission,done', '--quiet', '22:00-07:00', '--name', 'ci');
  assert.equal(add.status, 0, add.stderr);
  const secret = add.stdout.trim().split('\n').find((l) => /^[0-9a-f]{64}$/.test(l));
  assert.ok(secret, add.stdout);
  assert.equal(statSync(join(dir, 'state', 'roost', 'roost.db')).mode & 0o777, 0o600);

  const ls = await roost('notify', 'ls');
  assert.equal(ls.status, 0, ls.stderr);
  assert.match(ls.stdout, /^1 +webhook +ci +http:\/\/127\.0\.0\.1:\d+\/… +needs-permission,done; quiet 22:00-07:00; private ok/m);
  const lsJson = await roost('notify', 'ls', '--json');
  for (const out of [ls.stdout, lsJson.stdout]) assert.ok(!out.includes(secret!), 'no secret in lists');
  assert.equal(JSON.parse(lsJson.stdout)[0].hasSecret, true);

  const t = await roost('notify', 'test', '1');
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /1 webhook .*: sent/);
  const r = s.received[0]!;
  assert.equal(r.path, '/in');
  assert.equal(r.headers['x-roost-signature'], `sha256=${createHmac('sha256', secret!).update(r.body).digest('hex')}`);
  assert.equal(JSON.parse(r.body.toString()).test, true);
  assert.notEqual(JSON.parse((await roost('notify', 'ls', '--json')).stdout)[0].status.lastOkAt, null);

  assert.equal((await roost('notify', 'rm', '1')).status, 0);
  assert.match((await roost('notify', 'ls')).stdout, /no notification channels/);
  assert.equal((await roost('notify', 'rm', '1')).status, 1);
});

test('notify add ntfy reads the token from a file; a failing sink shows in ls and fails the test', async () => {
  const s = await sink(() => 500);
  const { dir, roost } = home();
  writeFileSync(join(dir, 'token'), 'tk_from_file\n');
  const add = await roost('notify', 'add', 'ntfy', '--url', s.url, '--topic', 'roost', '--token-file', join(dir, 'token'), '--allow-private');
  assert.equal(add.status, 0, add.stderr);
  const t = await roost('notify', 'test');
  assert.equal(t.status, 1);
  assert.match(t.stderr, /failed: 127\.0\.0\.1:\d+ answered 500/);
  assert.equal(s.received[0]!.headers['authorization'], 'Bearer tk_from_file');
  const ls = await roost('notify', 'ls');
  assert.match(ls.stdout, /answered 500/);
  assert.ok(!ls.stdout.includes('tk_from_file'));
});

test('a server\'s error page cannot drive the terminal: its control characters never reach notify test or notify ls', async () => {
  // Escape sequences a terminal acts on: a title, a clear screen, a colour, a clipboard write (OSC 52).
  const hostile = '\x1b]0;PWNED\x07\x1b[2J\x1b[31mred\x1b]52;c;ZWNobyBoaQ==\x07 \x9b2J end';
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(500, { 'content-type': 'text/plain' }).end(hostile));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  after(() => server.close());
  const { roost } = home();
  const add = await roost('notify', 'add', 'webhook', '--url', `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`, '--allow-private');
  assert.equal(add.status, 0, add.stderr);
  const t = await roost('notify', 'test');
  assert.equal(t.status, 1);
  const ls = await roost('notify', 'ls');
  for (const [what, text] of [['notify test', t.stderr], ['notify ls', ls.stdout]] as const) {
    assert.match(text, /answered 500: .*PWNED.*red.* end/, what);
    assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/, `${what} prints no control character: ${JSON.stringify(text)}`);
  }
});

test('bad input: one line, exit 1 or 2, nothing added', async () => {
  const s = await sink();
  const { roost } = home();
  const cases: [string[], number, RegExp][] = [
    [['notify', 'add', 'webhook', '--url', s.url], 1, /loopback, private or link-local.*--allow-private/],
    [['notify', 'add', 'webhook', '--url', 'file:///etc/passwd'], 1, /file URLs are not allowed/],
    [['notify', 'add', 'ntfy', '--url', 'https://ntfy.example', '--topic', 'a b'], 1, /invalid ntfy topic/],
    [['notify', 'add', 'webhook', '--url', s.url, '--allow-private', '--quiet', '25:00-07:00'], 1, /invalid quiet hours/],
    [['notify', 'add', 'webhook', '--url', s.url, '--allow-private', '--states', 'sleepy'], 1, /unknown state "sleepy"/],
    [['notify', 'add', 'ntfy', '--url', s.url], 2, /needs --url and --topic/],
    [['notify', 'add', 'carrier-pigeon'], 2, /unknown channel kind/],
    [['notify', 'rm', 'abc'], 1, /invalid channel ID/],
  ];
  for (const [args, code, re] of cases) {
    const r = await roost(...args);
    assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.match((await roost('notify', 'ls')).stdout, /no notification channels/);
});
