/**
 * permessage-deflate on the daemon's WebSockets, where it pays. Terminal
 * output (tmux's redraws: colours, spaces, repeated escape sequences)
 * compresses about 5x, which a phone on a mobile network pays for in time
 * and money; on loopback it only costs CPU and latency (every INPUT frame a
 * browser compresses must be inflated on zlib's thread pool before it
 * reaches the pty). So a peer on loopback (the same machine, a local
 * reverse proxy, an SSH tunnel's end) gets no compression: its offer is
 * removed before ws sees it. Everyone else gets it with settings measured on
 * tmux output (120x40, `ls -laR --color`, `git log -p --color`, 5.7 MB):
 *
 *   level 1: 5.3x, ~15-25 ms of CPU per MB; level 6 (ws's default): 6.6x at
 *   up to twice the CPU on a busy machine; windowBits 13 / memLevel 7: 5.0x.
 *   threshold 256 bytes: a keystroke's echo (tens of bytes) is never
 *   compressed, so typing pays no zlib round trip; tmux's redraws are
 *   0.5-4 kB and are.
 */
import type { HttpApp } from './http/app.js';
import type { PerMessageDeflateOptions } from 'ws';
import { isLoopback } from './exposure.js';

export const PER_MESSAGE_DEFLATE: PerMessageDeflateOptions = {
  threshold: 256,
  zlibDeflateOptions: { level: 1 },
};

/** Whether a socket's peer address is this machine (an IPv4-mapped IPv6 address too); a unix socket's peer (no address) is. */
export function isLocalPeer(address: string | undefined): boolean {
  if (address === undefined || address === '') return true;
  return isLoopback(address.startsWith('::ffff:') ? address.slice(7) : address);
}

/** Loopback peers' WebSocket upgrades are answered without permessage-deflate. */
export function localPeersUncompressed(app: HttpApp): void {
  app.addHook('onRequest', (req) => {
    if (req.headers['sec-websocket-extensions'] !== undefined && isLocalPeer(req.raw.socket.remoteAddress)) delete req.raw.headers['sec-websocket-extensions'];
  });
}
