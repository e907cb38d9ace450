/**
 * The answers Node and `ws` would write on their own, before any hook runs,
 * made like every other answer: the security headers and a fixed message
 * that never repeats the request's path. (A malformed %-escape, a path part
 * over 256 characters and a request while the daemon stops go through the
 * hooks like any request: http/app.ts.)
 *
 *   clientErrorHandler  a request Node could not parse, headers too large,
 *                       or a request not sent in time: written straight to
 *                       the socket, which is then closed.
 *   upgradeChecks       the WebSocket handshake checks `ws` would answer
 *                       straight on the socket (method, key, version), made
 *                       first, as ordinary errors.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody, HttpError } from './errors.js';
import { isUpgrade } from './http/request.js';
import { securityHeaders } from './headers.js';
import type { HttpApp } from './http/app.js';

/** The server's 'clientError' listener: the socket gets one fixed answer and is closed. */
export function clientErrorHandler(tls: boolean) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    // A reset connection has nobody left to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, code, message] = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'timeout', 'the request was not sent in time']
      : err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'headers-too-large', 'the request headers are too large']
        : [400, 'bad-request', 'the request is not valid HTTP'];
    const body = JSON.stringify(errorBody(code, message));
    const headers = { ...securityHeaders(tls, ''), 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
    if (socket.writable) {
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`);
    }
    socket.destroy(err);
  };
}

/** A Sec-WebSocket-Key as `ws` accepts it: 16 bytes, base64. */
const WS_KEY = /^[+/0-9A-Za-z]{22}==$/;

/**
 * After the access hook, for WebSocket upgrades: what `ws` would refuse on
 * the raw socket is refused here, with the usual headers. Roost speaks no
 * subprotocol, so an offered one is dropped (ws would otherwise echo the
 * first, and answer a malformed list itself).
 */
export function upgradeChecks(app: HttpApp): void {
  app.addHook('onRequest', (req) => {
    if (!isUpgrade(req)) return;
    if (req.method !== 'GET') throw new HttpError(405, 'bad-upgrade', 'a WebSocket upgrade must be a GET');
    if (!WS_KEY.test(req.headers['sec-websocket-key'] ?? '')) throw new HttpError(400, 'bad-upgrade', 'missing or invalid Sec-WebSocket-Key');
    const version = req.headers['sec-websocket-version'];
    if (version !== '13' && version !== '8') throw new HttpError(426, 'bad-upgrade', 'missing or invalid Sec-WebSocket-Version (use 13)', { 'Sec-WebSocket-Version': '13' });
    delete req.raw.headers['sec-websocket-protocol'];
  });
}
