/**
 * The daemon's unix socket serves only processes of its own user: with the
 * folder and socket opened up on purpose, a client running as `nobody`
 * reaches the socket and is refused; the owner's client is served.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { request } from 'node:http';
import { dirname } from 'node:path';
import { startServer } from '../helpers/server.js';
import { peerInodeIn } from '../../src/server/peer-check.js';

function getOverUnix(socketPath: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = request({ socketPath, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    r.on('error', reject);
    r.end();
  });
}

/** The same request from a node process running as nobody:nogroup (setpriv). */
function getAsNobody(socketPath: string, path: string): Promise<string> {
  const script = `require('http').request({ socketPath: ${JSON.stringify(socketPath)}, path: ${JSON.stringify(path)} }, (res) => {
    let b = ''; res.on('data', (c) => b += c); res.on('end', () => console.log(res.statusCode + ' ' + b));
  }).on('error', (e) => console.log('error ' + e.code)).end();`;
  return new Promise((resolve) => {
    execFile('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', script], { cwd: '/', timeout: 30_000 }, (err, stdout, stderr) => {
      resolve(err ? `failed: ${stderr || err.message}` : stdout.trim());
    });
  });
}

test('another user who can reach the unix socket is refused; the owner is served', { skip: process.getuid?.() !== 0 && 'needs root to run a client as nobody' }, async () => {
  const s = await startServer();
  const sock = s.daemon.paths.socket;
  // Open the way on purpose (the real folder is 0700): only the peer check is left to stop another user.
  for (let d = dirname(sock); d.startsWith(s.dir); d = dirname(d)) chmodSync(d, 0o711);
  chmodSync(sock, 0o666);

  const owner = await getOverUnix(sock, '/api/sessions');
  assert.equal(owner.status, 200, owner.body);
  for (const path of ['/api/sessions', '/healthz']) {
    const other = await getAsNobody(sock, path);
    assert.match(other, /^403 .*"not-owner"/, `${path} as nobody: ${other}`);
  }
  assert.equal((await getOverUnix(sock, '/api/sessions')).status, 200, 'the owner is still served');
});

test('peerInodeIn reads the peer inode from ss -xnH lines, paths with spaces included', () => {
  const out = [
    'u_str ESTAB 0      0      /run/user/1000/roost dir/roost.sock 4242 * 4243',
    'u_str ESTAB 0      0                        * 4243 /run/user/1000/roost dir/roost.sock 4242',
    'u_str ESTAB 0      0                        * 99 * 100 <->',
  ].join('\n');
  assert.equal(peerInodeIn(out, 4242), 4243);
  assert.equal(peerInodeIn(out, 4243), 4242);
  assert.equal(peerInodeIn(out, 99), 100);
  assert.equal(peerInodeIn(out, 42), null);
});
