/**
 * The answers Fastify and Node write on their own, before any hook runs,
 * made like every other answer: the security headers, the Host check (TCP),
 * and a fixed message that never repeats the request's path.
 *
 *   frameworkErrors     a path with a malformed %-escape (`/assets/%c0%ae`,
 *                       FST_ERR_BAD_URL) or a parameter over maxParamLength:
 *                       Fastify answers these before routing, so without
 *                       this they skip onRequest and onSend.
 *   clientErrorHandler  a request Node could not parse, headers too large,
 *                       or a request not sent in time: written straight to
 *                       the socket, which is then closed.
 *   whileClosing        requests on kept-alive connections while the daemon
 *                       stops (Fastify's own 503 for these has no hooks).
 *   upgradeChecks       the WebSocket handshake checks `ws` would answer
 *                       straight on the socket (method, key, version), made
 *                       first, as ordinary errors.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, HttpError } from './errors.js';
import { hostRefused, isUpgrade } from './access.js';
import { securityHeaders } from './headers.js';
import type { HostPolicy } from './hosts.js';
import type { Transport } from './types.js';

export interface FrameworkErrorOptions {
  transport: Transport;
  hosts: HostPolicy;
  tls: boolean;
}

/** Fastify's `frameworkErrors` option. */
export function frameworkErrors(o: FrameworkErrorOptions) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply): void => {
    let e: HttpError;
    if (o.transport === 'tcp' && !o.hosts.allowed(req.headers.host)) e = hostRefused();
    else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') e = new HttpError(414, 'bad-url', 'a part of the request path is too long');
    else if (err.code === 'FST_ERR_BAD_URL') e = new HttpError(400, 'bad-url', 'the request path is not valid (a malformed percent escape)');
    else e = new HttpError(500, 'internal', 'internal error (see the daemon log)');
    if (e.status >= 500) req.log.error({ err }, 'request failed');
    void reply.code(e.status).headers(securityHeaders(o.tls, req.url)).type('application/json; charset=utf-8').send(errorBody(e.code, e.message));
  };
}

/** Fastify's `clientErrorHandler` option: `this` is unused, the socket gets one fixed answer and is closed. */
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

/** Answer 503 through the usual hooks once the app is closing (use with return503OnClosing: false). */
export function whileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async () => {
    if (closing) throw new HttpError(503, 'stopping', 'the daemon is stopping');
  });
}

/** A Sec-WebSocket-Key as `ws` accepts it: 16 bytes, base64. */
const WS_KEY = /^[+/0-9A-Za-z]{22}==$/;

/**
 * After the access hook, for WebSocket upgrades: what `ws` would refuse on
 * the raw socket is refused here, with the usual headers. Roost speaks no
 * subprotocol, so an offered one is dropped (ws would otherwise echo the
 * first, and answer a malformed list itself).
 */
export function upgradeChecks(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (!isUpgrade(req)) return;
    if (req.method !== 'GET') throw new HttpError(405, 'bad-upgrade', 'a WebSocket upgrade must be a GET');
    if (!WS_KEY.test(req.headers['sec-websocket-key'] ?? '')) throw new HttpError(400, 'bad-upgrade', 'missing or invalid Sec-WebSocket-Key');
    const version = req.headers['sec-websocket-version'];
    if (version !== '13' && version !== '8') throw new HttpError(426, 'bad-upgrade', 'missing or invalid Sec-WebSocket-Version (use 13)', { 'Sec-WebSocket-Version': '13' });
    delete req.raw.headers['sec-websocket-protocol'];
  });
}
