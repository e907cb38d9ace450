/**
 * permessage-deflate where it pays (src/server/ws-deflate.ts), through the
 * real daemon: a browser on another machine gets compressed frames, one on
 * loopback does not, and a compressed message that inflates past the 1 MiB
 * limit closes with 1009 before it reaches a pty. The remote peer is this
 * machine's own non-loopback address (the daemon listening on all
 * addresses); a machine with no such address cannot run the test and skips
 * it, saying so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { WebSocket } from 'ws';
import { startServer } from '../helpers/server.js';
import { newSession } from '../../src/tmux/index.js';
import { encodeClient, MAX_FRAME_BYTES, PROTOCOL_VERSION } from '../../src/shared/protocol.js';

const remote = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

/** A terminal WebSocket offering permessage-deflate (as browsers do) from `via` to the daemon. */
function open(port: number, via: string, cookie: string): Promise<WebSocket> {
  const origin = `http://${via}:${port}`;
  const ws = new WebSocket(`ws://${via}:${port}/api/terminal?session=main`, { headers: { origin, cookie }, perMessageDeflate: true });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

test('permessage-deflate: a remote browser gets it, a loopback one does not; an inflated message over 1 MiB closes with 1009', { skip: remote ? false : 'this machine has no non-loopback IPv4 address' }, async () => {
  const s = await startServer({ host: '0.0.0.0', allowHosts: [remote!], insecureNoTls: true });
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();

  const local = await open(s.port, '127.0.0.1', cookie);
  assert.equal(local.extensions, '', 'loopback: no compression (it only costs CPU there)');
  local.close();

  const far = await open(s.port, remote!, cookie);
  assert.match(far.extensions, /permessage-deflate/, 'a remote peer: compressed');
  far.send(encodeClient({ type: 'hello', v: PROTOCOL_VERSION, cols: 80, rows: 24 }));
  await new Promise<void>((resolve) => far.once('message', () => resolve()));
  // 2 MiB of one byte compresses to a few kB on the wire; the limit is on what it inflates to.
  const closed = new Promise<number>((resolve) => far.once('close', (code) => resolve(code)));
  far.send(encodeClient({ type: 'input', data: new Uint8Array(2 * MAX_FRAME_BYTES).fill(0x61) }));
  assert.equal(await closed, 1009);
  assert.equal(s.daemon.terminals.stats().reduce((n, x) => n + x.inputBytes, 0), 0, 'none of it reached a pty');
});
