/**
 * Builds one app for one listener (TCP or the unix socket) from the shared
 * dependencies: the server with its deadlines, the access hook, security
 * headers, the error handler, then every route area. Both listeners get the
 * same routes (plus unix-only ones) and share all state through `deps`.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { MAX_FRAME_BYTES } from '../shared/protocol.js';
import { installAccess } from './access.js';
import { installSecurityHeaders } from './headers.js';
import { ConnectionLimiter, type ConnectionLimits } from './connection-limit.js';
import { installPeerCheck, PeerCheck } from './peer-check.js';
import { clientErrorHandler, upgradeChecks } from './framework-errors.js';
import { localPeersUncompressed, PER_MESSAGE_DEFLATE } from './ws-deflate.js';
import { errorHandler, HttpError } from './errors.js';
import { HttpApp } from './http/app.js';
import { ROUTE_AREAS } from './routes/index.js';
import type { ServerDeps } from './deps.js';
import type { RouteArea, Transport } from './types.js';

/** Largest JSON body accepted (bytes): API bodies are small. */
const BODY_LIMIT_BYTES = 64 * 1024;
/** Slow clients: TLS handshake and headers within 10 s, a whole request within 30 s (upgraded sockets are not affected). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** How often (ms) Node checks those deadlines; its default, 30 s, let a 10 s deadline run 40 s. */
const DEADLINE_CHECK_MS = 1000;
/**
 * An idle kept-alive connection stays open this long (ms). Node's 5 s is
 * shorter than browsers keep theirs, so a dashboard's request every few
 * seconds would often go out on a connection the daemon is just closing.
 */
const KEEP_ALIVE_MS = 72_000;
/** Log levels at which each request gets its line (roost serve --verbose). */
const REQUEST_LINES = new Set(['trace', 'debug', 'info']);

export interface AppOptions {
  transport: Transport;
  https?: { cert: string | Buffer; key: string | Buffer } | null;
  /** Route areas beyond the core ones: the services' and, in tests, extra ones. */
  routes?: readonly RouteArea[];
  /** TCP connection limits (connection-limit.ts) and the headers deadline; tests lower them. */
  connections?: ConnectionOptions;
}

export interface ConnectionOptions extends ConnectionLimits {
  headersTimeoutMs?: number;
}

export function buildApp(deps: ServerDeps, opts: AppOptions): HttpApp {
  const headersTimeout = opts.connections?.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const serverOptions = { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout, keepAliveTimeout: KEEP_ALIVE_MS, connectionsCheckingInterval: DEADLINE_CHECK_MS };
  const server = opts.https
    ? createHttpsServer({ ...serverOptions, ...opts.https, handshakeTimeout: headersTimeout })
    : createHttpServer(serverOptions);
  // Never believe X-Forwarded-*: the socket address is the client (nothing here reads those headers).
  server.on('clientError', clientErrorHandler(deps.tls));
  const app = new HttpApp({
    server,
    bodyLimit: BODY_LIMIT_BYTES,
    websocket: { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: PER_MESSAGE_DEFLATE },
    log: deps.log,
  });
  const limiter = opts.transport === 'tcp' ? new ConnectionLimiter(opts.connections) : null;
  limiter?.attach(server);

  if (REQUEST_LINES.has(deps.log.level)) {
    app.addHook('onResponse', (req, reply) => {
      req.log.info({ req, res: reply, responseTime: reply.elapsedTime }, opts.transport === 'unix' ? 'unix' : 'http');
    });
  }

  // The unix socket's peer must run as the daemon's user (beyond the socket folder's mode).
  if (opts.transport === 'unix') installPeerCheck(app, new PeerCheck({ log: deps.log }));
  installAccess(app, deps, opts.transport);
  // A request with a valid credential makes its connection one that no flood may evict (within a read-only login's share).
  if (limiter) app.addHook('onRequest', (req) => {
    if (req.principal && !limiter.prove(req.raw.socket, req.principal.role !== 'owner')) {
      throw new HttpError(503, 'too-many-connections', 'too many read-only connections are open; try again later');
    }
  });
  upgradeChecks(app);
  localPeersUncompressed(app);
  installSecurityHeaders(app, deps.tls);
  app.setErrorHandler(errorHandler(deps.paths.stateDir));
  for (const area of [...ROUTE_AREAS, ...(opts.routes ?? [])]) {
    if (area.unixOnly && opts.transport !== 'unix') continue;
    area.register(app, deps, opts.transport);
  }
  return app;
}
