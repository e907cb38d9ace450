/**
 * The daemon's web server core, on node:http and `ws`: routes, hooks, the
 * JSON body, one error handler, and WebSocket routes reached through the
 * same hooks as every other route.
 *
 * Every request, and every WebSocket upgrade, goes through the same steps:
 *
 *   1. 503 while the app closes (requests on kept-alive connections);
 *   2. the route is looked up (a malformed %-escape or an over-long path
 *      part is held in req.urlError, a 400 or 414, for the hooks: access.ts
 *      answers it right after the Host check, before any credential);
 *   3. the onRequest hooks, in the order added (access.ts and friends);
 *      a hook throws to refuse, or answers itself (a redirect);
 *   4. no route: 404. A WebSocket upgrade is handed to `ws` for a
 *      WebSocket route (404 for any other); a WebSocket route answers
 *      plain HTTP with 426;
 *   5. the JSON body of POST, PUT, PATCH and DELETE is read (at most the
 *      route's bodyLimit: 413 beyond) and parsed (400 if not JSON);
 *   6. the handler runs; what it returns is sent, unless it sent already.
 *
 * A throw anywhere goes to the error handler (errors.ts). An upgrade's
 * refusal is an ordinary HTTP answer on its socket, which is then closed.
 */
import { ServerResponse, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { WebSocketServer, type ServerOptions as WsOptions, type WebSocket } from 'ws';
import { HttpError } from '../errors.js';
import type { Log } from '../log.js';
import { Router } from './router.js';
import { isUpgrade, Request, type RouteTypes } from './request.js';
import { Reply } from './reply.js';
import { readJson } from './body.js';

export type Handler<T extends RouteTypes = RouteTypes> = (req: Request<T>, reply: Reply) => unknown;
export type WebSocketHandler<T extends RouteTypes = RouteTypes> = (socket: WebSocket, req: Request<T>) => void;
/** Runs before the route: throw to refuse, or answer with `reply` (then the route does not run). */
export type RequestHook = (req: Request, reply: Reply) => void | Promise<void>;
/** Runs just before any answer is written, whoever writes it. */
export type SendHook = (req: Request, reply: Reply) => void;
/** Runs once an answer has gone out. */
export type ResponseHook = (req: Request, reply: Reply) => void;
export type ErrorHandler = (e: unknown, req: Request, reply: Reply) => void;

export interface RouteOptions {
  /** Largest body this route takes (bytes); default the app's. */
  bodyLimit?: number;
}

export interface RouteInfo {
  method: string;
  url: string;
  websocket: boolean;
}

interface Route {
  websocket: boolean;
  bodyLimit: number;
  handler: Handler | WebSocketHandler;
}

export interface HttpAppOptions {
  server: HttpServer | HttpsServer;
  /** Largest request body (bytes) unless a route says otherwise. */
  bodyLimit: number;
  /** For the WebSocket routes (maxPayload, perMessageDeflate). */
  websocket: Pick<WsOptions, 'maxPayload' | 'perMessageDeflate'>;
  log: Log;
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** While closing: how often (ms) connections that went idle are closed. */
const IDLE_SWEEP_MS = 100;

export class HttpApp {
  readonly server: HttpServer | HttpsServer;
  readonly websocketServer: WebSocketServer;
  private readonly router = new Router<Route>();
  private readonly requestHooks: RequestHook[] = [];
  private readonly sendHooks: SendHook[] = [];
  private readonly responseHooks: ResponseHook[] = [];
  private errorHandler: ErrorHandler = (_e, _req, reply) => void reply.code(500).send();
  private closing = false;
  private seq = 0;

  constructor(private readonly o: HttpAppOptions) {
    this.server = o.server;
    this.websocketServer = new WebSocketServer({ noServer: true, ...o.websocket });
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.dispatch(req, res, null));
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      // Whatever happens to the socket before `ws` owns it (a reset) must not throw.
      socket.on('error', () => socket.destroy());
      const res = new ServerResponse(req);
      res.assignSocket(socket);
      res.shouldKeepAlive = false;
      void this.dispatch(req, res, { socket, head });
    });
  }

  get<T extends RouteTypes = RouteTypes>(path: string, handler: Handler<T>): void;
  get<T extends RouteTypes = RouteTypes>(path: string, options: RouteOptions, handler: Handler<T>): void;
  get<T extends RouteTypes = RouteTypes>(path: string, options: { websocket: true }, handler: WebSocketHandler<T>): void;
  get(path: string, a: RouteOptions | { websocket: true } | Handler, b?: Handler | WebSocketHandler): void {
    this.add('GET', path, a, b);
  }

  post<T extends RouteTypes = RouteTypes>(path: string, handler: Handler<T>): void;
  post<T extends RouteTypes = RouteTypes>(path: string, options: RouteOptions, handler: Handler<T>): void;
  post(path: string, a: RouteOptions | Handler, b?: Handler): void {
    this.add('POST', path, a, b);
  }

  patch<T extends RouteTypes = RouteTypes>(path: string, handler: Handler<T>): void {
    this.add('PATCH', path, handler);
  }

  delete<T extends RouteTypes = RouteTypes>(path: string, handler: Handler<T>): void {
    this.add('DELETE', path, handler);
  }

  addHook(name: 'onRequest', hook: RequestHook): void;
  addHook(name: 'onSend', hook: SendHook): void;
  addHook(name: 'onResponse', hook: ResponseHook): void;
  addHook(name: 'onRequest' | 'onSend' | 'onResponse', hook: RequestHook | SendHook | ResponseHook): void {
    if (name === 'onRequest') this.requestHooks.push(hook as RequestHook);
    else if (name === 'onSend') this.sendHooks.push(hook as SendHook);
    else this.responseHooks.push(hook as ResponseHook);
  }

  /** Every route (tests check auth on each). */
  get routeList(): RouteInfo[] {
    return this.router.list().map((e) => ({ method: e.method, url: e.pattern, websocket: e.route.websocket }));
  }

  setErrorHandler(handler: ErrorHandler): void {
    this.errorHandler = handler;
  }

  /** Listen on a TCP address or a unix socket path; rejects with the listen error (EADDRINUSE, ...). */
  listen(where: { host: string; port: number } | { path: string }): Promise<void> {
    return new Promise((resolve, reject) => {
      const failed = (e: Error) => reject(e);
      this.server.once('error', failed);
      this.server.listen(where, () => {
        this.server.off('error', failed);
        resolve();
      });
    });
  }

  /** From now on every request gets a 503 `stopping`, and its connection is not kept alive (the daemon's stop has begun). */
  stopping(): void {
    this.closing = true;
  }

  /** Stop accepting; requests still arriving on open connections get a 503. Resolves once every connection has ended. */
  close(): Promise<void> {
    this.closing = true;
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      // A request in flight now leaves its connection idle when it ends: closed then, not at the keep-alive timeout.
      const idle = setInterval(() => this.server.closeIdleConnections(), IDLE_SWEEP_MS);
      this.server.close(() => {
        clearInterval(idle);
        resolve();
      });
      this.server.closeIdleConnections();
    });
  }

  private add(method: string, path: string, a: RouteOptions | { websocket: true } | Handler | WebSocketHandler, b?: Handler | WebSocketHandler): void {
    const options = typeof a === 'function' ? {} : a;
    const handler = typeof a === 'function' ? a : b!;
    const websocket = 'websocket' in options && options.websocket === true;
    const bodyLimit = ('bodyLimit' in options ? options.bodyLimit : undefined) ?? this.o.bodyLimit;
    this.router.add(method, path, { websocket, bodyLimit, handler });
  }

  private async dispatch(raw: IncomingMessage, res: ServerResponse, upgrade: { socket: Socket; head: Buffer } | null): Promise<void> {
    const req = new Request(raw, `req-${++this.seq}`, this.o.log);
    const reply = new Reply(res, req.method, () => {
      for (const h of this.sendHooks) h(req, reply);
    });
    if (upgrade) res.once('finish', () => upgrade.socket.destroySoon());
    if (this.responseHooks.length) res.once('finish', () => {
      for (const h of this.responseHooks) h(req, reply);
    });
    try {
      if (this.closing) {
        // Not kept alive: an idle kept-alive connection would hold the stop up until the browser lets go of it.
        res.setHeader('connection', 'close');
        throw new HttpError(503, 'stopping', 'the daemon is stopping');
      }
      const q = req.url.indexOf('?');
      const path = q < 0 ? req.url : req.url.slice(0, q);
      let match = null;
      try {
        match = this.router.find(req.method, path);
      } catch (e) {
        req.urlError = e as Error;
      }
      if (match) {
        req.route = match.pattern;
        req.params = match.params;
      }
      for (const hook of this.requestHooks) {
        await hook(req, reply);
        if (reply.sent) return;
      }
      if (req.urlError) throw req.urlError;
      if (!match) throw new HttpError(404, 'not-found', 'no such route');
      const route = match.route;
      if (upgrade && isUpgrade(req)) {
        if (!route.websocket) throw new HttpError(404, 'not-found', 'no such route');
        return this.upgrade(req, res, upgrade, route.handler as WebSocketHandler);
      }
      if (route.websocket) {
        reply.header('upgrade', 'websocket');
        throw new HttpError(426, 'websocket-only', 'this route speaks WebSocket only');
      }
      // Another protocol's upgrade is answered as plain HTTP; Node hands its body over as `head`, unread: none is taken.
      if (WITH_BODY.has(req.method) && !upgrade) req.body = await readJson(raw, route.bodyLimit);
      const result = await (route.handler as Handler)(req, reply);
      if (!reply.sent) reply.send(result === reply ? undefined : result);
    } catch (e) {
      if (reply.sent || res.headersSent) {
        req.log.error({ err: e as Error }, 'request failed after its answer began');
        res.destroy();
        return;
      }
      try {
        this.errorHandler(e, req, reply);
      } catch (e2) {
        req.log.error({ err: e2 as Error }, 'the error handler failed');
        res.destroy();
      }
    }
  }

  private upgrade(req: Request, res: ServerResponse, up: { socket: Socket; head: Buffer }, handler: WebSocketHandler): void {
    // From here `ws` writes the handshake on the socket itself.
    res.detachSocket(up.socket);
    this.websocketServer.handleUpgrade(req.raw, up.socket, up.head, (ws) => {
      // ws closes the socket itself on bad frames (1002) or a frame too big (1009); just note it.
      ws.on('error', (err) => {
        req.log.debug({ err }, 'websocket error');
        if (ws.readyState === ws.OPEN) ws.close(1011);
      });
      try {
        handler(ws, req);
      } catch (e) {
        req.log.error({ err: e as Error }, 'websocket route failed');
        ws.close(1011);
      }
    });
  }
}
