/**
 * Builds one fastify app for one listener (TCP or the unix socket) from the
 * shared dependencies: plugins, the access hook, security headers, the JSON
 * body parser, the error handler, then every route area. Both listeners get
 * the same routes (plus unix-only ones) and share all state through `deps`.
 */
import type { ServerOptions as HttpServerOptions } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { MAX_FRAME_BYTES } from '../shared/protocol.js';
import { installAccess } from './access.js';
import { installSecurityHeaders } from './headers.js';
import { ConnectionLimiter, type ConnectionLimits } from './connection-limit.js';
import { installPeerCheck, PeerCheck } from './peer-check.js';
import { clientErrorHandler, frameworkErrors, upgradeChecks, whileClosing } from './framework-errors.js';
import { localPeersUncompressed, PER_MESSAGE_DEFLATE } from './ws-deflate.js';
import { HttpError, installErrorHandler } from './errors.js';
import { ROUTE_AREAS } from './routes/index.js';
import type { ServerDeps } from './deps.js';
import type { RouteArea, RouteInfo, Transport } from './types.js';

/** Largest JSON body accepted (bytes): API bodies are small. */
const BODY_LIMIT_BYTES = 64 * 1024;
/** Slow clients: TLS handshake and headers within 10 s, a whole request within 30 s (upgraded sockets are not affected). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** How often (ms) Node checks those deadlines; its default, 30 s, let a 10 s deadline run 40 s. */
const DEADLINE_CHECK_MS = 1000;

/**
 * Roost checks request bodies with zod (validate.ts), never with fastify's
 * route schemas: its schema compilers (ajv, fast-json-stringify: ~4.5 MB of
 * an idle daemon's memory) are never loaded. A route given a schema fails
 * to build, saying why.
 */
const noRouteSchemas = () => () => {
  throw new Error('Roost routes take no fastify schema: check the body with parseBody (src/server/validate.ts)');
};

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

export async function buildApp(deps: ServerDeps, opts: AppOptions): Promise<FastifyInstance> {
  // fastify passes `http` to http.createServer; its types list it only for the http-specific overloads.
  const base: FastifyServerOptions & { http?: HttpServerOptions } = {
    // Each request logs through a child of the daemon's log (req.log). Not handed over as fastify's
    // loggerInstance: fastify would load pino and its helpers (~1.5 MB of an idle daemon) to wrap it.
    childLoggerFactory: (_root, bindings, childOpts) => deps.log.child(bindings, childOpts) as unknown as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    // Never believe X-Forwarded-*: the socket address is the client.
    trustProxy: false,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Fastify's own 503 while closing, bad-URL 400 and client-error answers skip the hooks: framework-errors.ts answers instead.
    return503OnClosing: false,
    frameworkErrors: frameworkErrors({ transport: opts.transport, hosts: deps.hosts, tls: deps.tls }),
    clientErrorHandler: clientErrorHandler(deps.tls),
    // One line per request from the onResponse hook below instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: 256 },
    schemaController: { compilersFactory: { buildValidator: noRouteSchemas, buildSerializer: noRouteSchemas } },
    http: { connectionsCheckingInterval: DEADLINE_CHECK_MS },
  };
  const headersTimeout = opts.connections?.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  // fastify's types split http and https servers; routes and hooks do not care which.
  const https = opts.https && { ...opts.https, connectionsCheckingInterval: DEADLINE_CHECK_MS, handshakeTimeout: headersTimeout };
  const app = (https ? Fastify({ ...base, https } as FastifyServerOptions) : Fastify(base)) as unknown as FastifyInstance;
  app.server.headersTimeout = headersTimeout;
  const limiter = opts.transport === 'tcp' ? new ConnectionLimiter(opts.connections) : null;
  limiter?.attach(app.server);

  await app.register(cookie);
  await app.register(websocket, {
    options: { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: PER_MESSAGE_DEFLATE },
    // ws closes the socket itself (1009 for too big, 1002 for bad framing); just note it.
    errorHandler: (err: Error, socket: WebSocket) => {
      deps.log.debug({ err }, 'websocket error');
      if (socket.readyState === socket.OPEN) socket.close(1011);
    },
    preClose: (done: () => void) => done(),
  });

  // JSON bodies, and an empty body on a JSON request (DELETE, logout) reads as no body.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new HttpError(400, 'bad-json', 'the request body is not valid JSON'), undefined);
    }
  });

  const routeList: RouteInfo[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routeList.push({ method, url: r.url, websocket: Boolean(r.websocket) });
  });

  app.addHook('onResponse', async (req, reply) => {
    req.log.info({ req, res: reply, responseTime: reply.elapsedTime }, opts.transport === 'unix' ? 'unix' : 'http');
  });

  whileClosing(app);
  // The unix socket's peer must run as the daemon's user (beyond the socket folder's mode).
  if (opts.transport === 'unix') installPeerCheck(app, new PeerCheck({ log: deps.log }));
  installAccess(app, deps, opts.transport);
  // A request with a valid credential makes its connection one that no flood may evict.
  if (limiter) app.addHook('onRequest', async (req) => {
    if (req.principal) limiter.prove(req.raw.socket);
  });
  upgradeChecks(app);
  localPeersUncompressed(app);
  installSecurityHeaders(app, deps.tls);
  installErrorHandler(app, deps.paths.stateDir);
  for (const area of [...ROUTE_AREAS, ...(opts.routes ?? [])]) {
    if (area.unixOnly && opts.transport !== 'unix') continue;
    area.register(app, deps, opts.transport);
  }
  return app;
}
