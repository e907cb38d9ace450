/**
 * Bad input to the daemon-side commands: one line, the right exit code, and
 * nothing changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';

function oneLine(r: { code: number; stderr: string }, code: number, re: RegExp): void {
  assert.equal(r.code, code, r.stderr);
  assert.match(r.stderr, re);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
}

test('an empty secret or token file is refused, not read as "no secret"', async () => {
  const home = tempDir();
  const empty = join(home, 'empty');
  writeFileSync(empty, '\n');
  oneLine(await runCli(['notify', 'add', 'webhook', '--url', 'http://127.0.0.1:9/x', '--allow-private', '--secret-file', empty], { home }), 1, /secret file .* is empty; nothing changed/);
  oneLine(await runCli(['notify', 'add', 'ntfy', '--url', 'http://127.0.0.1:9', '--topic', 't', '--allow-private', '--token-file', empty], { home }), 1, /token file .* is empty/);
  const ls = await runCli(['notify', 'ls', '--json'], { home });
  assert.deepEqual(JSON.parse(ls.stdout), []);
});

test('hooks --project must name an existing folder; nothing is created', async () => {
  const home = tempDir();
  const typo = join(home, 'no-such-project');
  oneLine(await runCli(['hooks', 'install', 'claude', '--project', typo], { home }), 1, /no such folder/);
  assert.equal(existsSync(typo), false);
});

test('serve --port takes a decimal port only', async () => {
  const home = tempDir();
  for (const p of ['0x1F', '1e3', '', '70000']) oneLine(await runCli(['serve', '--port', p], { home }), 2, /invalid port/);
  // A value that looks like an option is the argument parser's to refuse.
  oneLine(await runCli(['serve', '--port', '-1'], { home }), 2, /--port/);
});

test('serve --allow-host takes a host name: a stray dot is refused before anything starts', async () => {
  const home = tempDir();
  // The TLS files do not exist: were the name taken, serve would stop there (exit 1), never serving.
  const tls = ['--tls-cert', join(home, 'no-cert'), '--tls-key', join(home, 'no-key')];
  for (const h of ['.com', 'a..b', 'box.lan:0', '[box]']) {
    oneLine(await runCli(['serve', ...tls, '--allow-host', 'ok.example', '--allow-host', h], { home }), 2, new RegExp(`^roost serve: invalid --allow-host "${h.replace(/[.[\]]/g, '\\$&')}": `));
  }
});

test('missing IDs: one pointer to --help, not two', async () => {
  const home = tempDir();
  for (const argv of [['token', 'revoke'], ['notify', 'rm']]) {
    const r = await runCli(argv, { home });
    oneLine(r, 2, /missing (token|channel) ID \(see roost (token|notify) --help\)\n$/);
  }
});

test('passwd --clear with no password set says so and ends no login', async () => {
  const home = tempDir();
  const r = await runCli(['passwd', '--clear'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'no password is set; nothing changed');
});
