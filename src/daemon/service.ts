/**
 * What a capability of the daemon (attention, later jobs, schedules, node
 * sessions, snapshots) looks like to the composition root: a factory that
 * takes the daemon's shared parts and returns a Service. The root creates
 * the services of SERVICES (services.ts) in order, mounts their routes,
 * lets them decorate the sessions listing, starts them, and stops them in
 * reverse order. A new capability is a folder with a factory and one entry
 * in that list; nothing else in the daemon changes.
 *
 * Life of a service:
 *   created   factory(ctx): no timers, no tmux calls yet; it may take an
 *             earlier service with ctx.get(factory)
 *   started   start(): timers, watchers, hooks into tmux; the listeners
 *             open only after every start() has returned
 *   stopped   stop(): in reverse order, after the listeners stopped taking
 *             new work; also when a later start() failed
 */
import type { TmuxClient } from '../tmux/index.js';
import type { Paths } from '../config/paths.js';
import type { Config } from '../config/config.js';
import type { Db } from '../store/db.js';
import type { SessionsDecorator, SessionsFeed } from '../sessions/feed.js';
import type { TmuxServerState } from '../sessions/server-state.js';
import type { Terminals } from '../server/terminal/terminals.js';
import type { RouteArea } from '../server/types.js';
import type { Log } from '../server/log.js';

/** The daemon's shared parts, as every service receives them. */
export interface DaemonContext {
  readonly env: NodeJS.ProcessEnv;
  readonly paths: Paths;
  /** config.toml, read when needed so edits apply without a restart. */
  readonly config: () => Config;
  /** The database, with every schema of src/daemon/schemas.ts applied. */
  readonly db: Db;
  readonly tmux: TmuxClient;
  /** Whether that tmux server runs (as the feed's listings see it), with its changes. */
  readonly server: TmuxServerState;
  readonly log: Log;
  /** The one tmux listing that browsers and services share. */
  readonly feed: SessionsFeed;
  /** Open browser terminals (who looks at which window). */
  readonly terminals: Terminals;
  /** The dashboard's address as browsers reach it. */
  readonly publicUrl: () => string;
  /** A service created earlier in the list (throws for one that is not: a mistake in the list's order). */
  get<S extends Service>(factory: ServiceFactory<S>): S;
}

export interface Service {
  /** For logs and errors, e.g. "attention". */
  readonly name: string;
  /** Route areas served on both listeners (`unixOnly` ones on the unix socket alone). */
  readonly routes?: readonly RouteArea[];
  /** Edits each fresh sessions listing before it is compared and sent (adds fields, e.g. attention states). */
  readonly decorate?: SessionsDecorator;
  start?(): void | Promise<void>;
  /** What start() left running in the background (a restore), settled once it is done; the daemon is at rest after every service's. */
  readonly startup?: Promise<unknown>;
  stop?(): void | Promise<void>;
}

export type ServiceFactory<S extends Service = Service> = (ctx: DaemonContext) => S;
