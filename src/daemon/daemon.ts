/**
 * The composition root of `roost serve`: builds the shared parts once (the
 * database, the sessions feed, browser terminals, auth), creates and starts
 * the services of SERVICES (services.ts), and opens the two listeners (TCP
 * for browsers and scripts, the unix socket for the owner's CLI and hooks)
 * with the core routes and every service's. Nothing here is global; a test
 * can run several daemons in one process.
 */
import { existsSync } from 'node:fs';
import type { HttpApp } from '../server/http/app.js';
import { endLeftControlClients, serverOf, snapshotServer, type ServerSnapshot, type TmuxClient } from '../tmux/index.js';
import { SAFETY_LISTING_MS, TmuxChanges } from '../sessions/changes.js';
import { resolvePaths, type Paths } from '../config/paths.js';
import { ensurePrivateDir } from '../config/files.js';
import { WEB_ROOT } from '../config/install.js';
import { configReader, silenceFor } from '../config/config.js';
import type { Db } from '../store/db.js';
import { openRoostDb } from './schemas.js';
import { Auth, type AuthOptions } from '../auth/auth.js';
import { AttemptLimiter } from '../auth/limiter.js';
import { buildApp, type ConnectionOptions } from '../server/app.js';
import { createLog, type Log, type LogOptions } from '../server/log.js';
import { HostPolicy, hasPort, hostLiteral, isWildcard } from '../server/hosts.js';
import { checkExposure } from '../server/exposure.js';
import { FEED_INTERVAL_MS, SessionsFeed } from '../sessions/feed.js';
import { waitingAt } from '../shared/status.js';
import { TmuxServerState } from '../sessions/server-state.js';
import { SocketRegistry } from '../server/sockets.js';
import { Terminals } from '../server/terminal/terminals.js';
import { lockSocket, prepareSocketPath, removeOwnSocket, socketIdentity } from '../server/unix-socket.js';
import type { ServerDeps } from '../server/deps.js';
import type { RouteArea } from '../server/types.js';
import type { DaemonContext, Service, ServiceFactory } from './service.js';
import { SERVICES } from './services.js';
import { loginPath } from '../shared/login-link.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7373;
/** Login attempts per socket address per minute: enough for typos, far too few to guess a 256-bit token. */
export const LOGIN_ATTEMPTS_PER_MINUTE = 10;
/** How long (ms) a stopping daemon waits for WebSocket clients to acknowledge the close. */
const CLOSE_GRACE_MS = 1000;

export interface DaemonOptions {
  /** Environment: XDG paths, HOME. */
  env: NodeJS.ProcessEnv;
  tmux: TmuxClient;
  host?: string;
  /** 0 picks a free port. Default: config [server] port, else 7373. */
  port?: number;
  tls?: { cert: string | Buffer; key: string | Buffer } | null;
  allowHosts?: readonly string[];
  insecureNoTls?: boolean;
  webRoot?: string;
  log?: LogOptions;
  auth?: AuthOptions;
  loginLimit?: { max: number; windowMs: number };
  recheckMs?: number;
  /** The least time between two listings made for tmux's changes; with no control connection, the time between listings. */
  feedIntervalMs?: number;
  /** Limits of the terminal bridge (tests lower them). */
  terminals?: { helloTimeoutMs?: number; maxTerminals?: number; maxAwaitingHello?: number; spareDelayMs?: number; warmClients?: boolean; liveness?: { everyMs: number; staleMs: number } };
  /** Extra route areas (tests). */
  extraRoutes?: readonly RouteArea[];
  /** The services to run; default SERVICES (tests may run fewer). */
  services?: readonly ServiceFactory[];
  /** TCP connection limits and the headers deadline (tests lower them). */
  connections?: ConnectionOptions;
  /** The number of browser connections (WebSockets: events and terminals) changed; 0: the daemon is at rest. */
  onConnections?: (open: number) => void;
}

export interface Daemon {
  /** e.g. http://127.0.0.1:7373 */
  url: string;
  port: number;
  paths: Paths;
  db: Db;
  auth: Auth;
  feed: SessionsFeed;
  sockets: SocketRegistry;
  terminals: Terminals;
  tcp: HttpApp;
  unix: HttpApp;
  log: Log;
  /** A running service, by its factory. */
  get<S extends Service>(factory: ServiceFactory<S>): S;
  /** Settles once what the services' start left running in the background is done (a restore, the first snapshot). */
  settled: Promise<void>;
  /** A fresh one-time login URL. */
  loginUrl(): { url: string; expiresAt: number };
  close(): Promise<void>;
}

export class ServeError extends Error {
  override name = 'ServeError';
}

export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const paths = resolvePaths(o.env);
  const log = createLog(o.log);
  // Asked on every listing and request: read again only when the file changed.
  // A typo saved into config.toml while the daemon runs leaves it on the last good config (listing, attention and
  // notifications go on), and says so in its log; the CLI reports the same error to whoever runs a command.
  const config = configReader(paths.configFile, {
    keepLastGood: (e) => log.warn(`${(e as Error)?.message ?? String(e)}; the daemon keeps using the config as it was before this change until the file is fixed`),
  });
  const host = o.host ?? config().server.host ?? DEFAULT_HOST;
  const tls = Boolean(o.tls);
  checkExposure(host, tls, o.insecureNoTls ?? false);

  ensurePrivateDir(paths.stateDir);
  await prepareSocketPath(paths.socket);
  const db = openRoostDb(paths.stateDir);
  const auth = new Auth(db, o.auth);
  let port = o.port ?? config().server.port ?? DEFAULT_PORT;
  const hosts = new HostPolicy({ host, allowHosts: o.allowHosts ?? [], tls, port: () => port });
  // The address a browser should use: the served one, or for 0.0.0.0 / :: the first --allow-host.
  const displayHost = isWildcard(host) ? (o.allowHosts?.[0] ?? DEFAULT_HOST) : host;
  const publicUrl = () => `${hosts.scheme}://${hasPort(displayHost) ? displayHost : `${hostLiteral(displayHost)}:${port}`}`;

  // The daemon runs tmux commands all the time: over one kept control connection, not a process each (src/tmux/control.ts).
  const tmux = o.tmux.withControl();
  // Before our own connection: control clients a daemon killed with SIGKILL left attached (src/tmux/stale-control.ts).
  const leftOver = await endLeftControlClients(o.tmux).catch((e: unknown) => {
    log.warn({ err: e as Error }, 'could not look for control clients left by an earlier daemon');
    return [];
  });
  if (leftOver.length > 0) log.info(`ended ${leftOver.length} tmux control client(s) left by a daemon that did not stop cleanly (pid ${leftOver.join(', ')})`);
  // Made now, if a server runs: not in the middle of the first browser's attach.
  await tmux.control?.connect(true);
  let lastFeedError = '';
  const server = new TmuxServerState();
  const feedIntervalMs = o.feedIntervalMs ?? FEED_INTERVAL_MS;
  // tmux says what changed (src/sessions/changes.ts): the feed lists only then (and when a state ages), and asks tmux
  // only then, else ages the last rows. The safety net never lists more often than the feed's interval.
  const changes = tmux.control ? new TmuxChanges(tmux.control, Math.max(SAFETY_LISTING_MS, feedIntervalMs)) : null;
  let snapshot: ServerSnapshot | null = null;
  const feed = new SessionsFeed({
    list: async () => {
      const c = config();
      const at = Date.now();
      if (!snapshot || !changes || changes.mustAsk(at)) {
        const answered = changes?.asking(at);
        // No connection and no socket: no server, known without starting a tmux process to hear it.
        snapshot = !tmux.control?.up && !existsSync(tmux.socketPath()) ? { rows: [], atPrompt: new Set() } : await snapshotServer(tmux);
        answered?.();
      }
      const r = serverOf(snapshot, { silenceFor: (name) => silenceFor(c, name) });
      server.observe(r.pid, at);
      // The next listing though tmux tells nothing: a working window turning waiting, the safety net, or
      // (no connection: tmux tells nothing) the interval.
      let next = changes?.telling ? changes.safetyAt() : at + feedIntervalMs;
      for (const s of r.sessions) {
        for (const w of s.windows) if (w.status === 'working') next = Math.min(next, waitingAt(w.activity, silenceFor(c, s.name)));
      }
      feed.listBy(next);
      return r.sessions;
    },
    intervalMs: feedIntervalMs,
    told: changes !== null,
    onError: (e) => {
      // Once per distinct problem, not once a second.
      const text = String((e as Error)?.message ?? e);
      if (text !== lastFeedError) log.warn({ err: e as Error }, 'listing tmux sessions failed');
      lastFeedError = text;
    },
  });
  const unchanged = changes?.onChange(() => feed.changed());
  const sockets = new SocketRegistry(auth, {
    everyMs: o.recheckMs,
    onError: (e) => log.error({ err: e as Error }, 'checking open sockets failed'),
    onCount: o.onConnections,
  });
  const terminals = new Terminals({ tmux, log, home: paths.home, feed, ...o.terminals });

  const services = new Map<ServiceFactory, Service>();
  const ctx: DaemonContext = {
    env: o.env, paths, config, db, tmux, server, log, feed, terminals, publicUrl,
    get<S extends Service>(factory: ServiceFactory<S>): S {
      const s = services.get(factory as ServiceFactory);
      if (!s) throw new Error(`service ${factory.name} is not running (is it listed before its users in SERVICES?)`);
      return s as S;
    },
  };
  for (const factory of o.services ?? SERVICES) services.set(factory, factory(ctx));
  const started: Service[] = [];
  const undecorate: (() => void)[] = [];
  /** Stop what started, in reverse order; a failing stop is logged and the rest still stop. */
  const stopServices = async () => {
    for (const u of undecorate.splice(0)) u();
    for (const s of started.splice(0).reverse()) {
      try {
        await s.stop?.();
      } catch (e) {
        log.error({ err: e as Error }, `stopping the ${s.name} service failed`);
      }
    }
  };

  const limit = o.loginLimit ?? { max: LOGIN_ATTEMPTS_PER_MINUTE, windowMs: 60_000 };
  const deps: ServerDeps = {
    tmux, auth, loginLimiter: new AttemptLimiter(limit), feed, sockets, terminals, hosts, tls, paths,
    webRoot: o.webRoot ?? WEB_ROOT, config, publicUrl, log,
  };
  const routes = [...[...services.values()].flatMap((s) => s.routes ?? []), ...(o.extraRoutes ?? [])];

  let tcp: HttpApp | null = null;
  let unix: HttpApp | null = null;
  let socketId: number | null = null;
  try {
    await terminals.sweepOrphanViews().catch((e: unknown) => log.warn({ err: e as Error }, 'could not clean up old view sessions'));
    for (const s of services.values()) {
      if (s.decorate) undecorate.push(feed.addDecorator(s.decorate));
      started.push(s);
      await s.start?.();
    }
    tcp = buildApp(deps, { transport: 'tcp', https: o.tls ?? null, routes, connections: o.connections });
    unix = buildApp(deps, { transport: 'unix', routes });
    try {
      await tcp.listen({ host: host === 'localhost' ? DEFAULT_HOST : host, port });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new ServeError(`port ${port} on ${host} is in use (another roost serve? pick one with --port)`);
      if (code === 'EADDRNOTAVAIL') throw new ServeError(`cannot listen on ${host}: no such address on this machine`);
      throw e;
    }
    const addr = tcp.server.address();
    if (addr && typeof addr === 'object') port = addr.port;
    await unix.listen({ path: paths.socket });
    socketId = socketIdentity(paths.socket);
    lockSocket(paths.socket);
  } catch (e) {
    await stopServices();
    sockets.close();
    unchanged?.();
    feed.close();
    changes?.close();
    tmux.control?.close();
    // Closing what half-started: the start's own error is the one to report.
    await tcp?.close().catch(() => undefined);
    await unix?.close().catch(() => undefined);
    removeOwnSocket(paths.socket, socketId);
    db.close();
    throw e;
  }

  let closing: Promise<void> | null = null;
  const daemon: Daemon = {
    get url() {
      return publicUrl();
    },
    get port() {
      return port;
    },
    paths, db, auth, feed, sockets, terminals, tcp, unix, log,
    get: ctx.get,
    settled: Promise.allSettled(started.map((s) => s.startup)).then(() => undefined),
    loginUrl() {
      const { token, expiresAt } = auth.createLoginToken('owner');
      return { url: `${publicUrl()}${loginPath(token)}`, expiresAt };
    },
    close() {
      closing ??= (async () => {
        // Requests during the stop get a 503: a browser retries later, a new daemon waits for this one (unix-socket.ts).
        tcp!.stopping();
        unix!.stopping();
        sockets.close();
        await stopServices();
        unchanged?.();
        feed.close();
        await terminals.closeAll();
        changes?.close();
        tmux.control?.close();
        sockets.closeWhere(() => true, 1001, 'the daemon is stopping');
        // Clients get CLOSE_GRACE_MS to answer the close handshake; then their sockets are cut.
        const clients = [...tcp!.websocketServer.clients, ...unix!.websocketServer.clients];
        const deadline = Date.now() + CLOSE_GRACE_MS;
        while (clients.some((c) => c.readyState !== c.CLOSED) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        for (const c of clients) c.terminate();
        await Promise.all([tcp!.close(), unix!.close()]);
        // Only if it is still ours: a daemon started since (Ctrl-C, then roost serve) has its own there.
        removeOwnSocket(paths.socket, socketId);
        db.close();
      })();
      return closing;
    },
  };
  return daemon;
}
