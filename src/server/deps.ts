/**
 * What the core routes need, built once by the composition root
 * (src/daemon/daemon.ts) and passed in. Services bring their own parts to
 * their own routes (src/daemon/service.ts), so this does not grow with them.
 */
import type { TmuxClient } from '../tmux/index.js';
import type { Auth } from '../auth/auth.js';
import type { AttemptLimiter } from '../auth/limiter.js';
import type { Config } from '../config/config.js';
import type { Paths } from '../config/paths.js';
import type { SessionsFeed } from '../sessions/feed.js';
import type { SocketRegistry } from './sockets.js';
import type { Terminals } from './terminal/terminals.js';
import type { HostPolicy } from './hosts.js';
import type { Log } from './log.js';

export interface ServerDeps {
  tmux: TmuxClient;
  auth: Auth;
  /** Login attempts per socket address. */
  loginLimiter: AttemptLimiter;
  feed: SessionsFeed;
  sockets: SocketRegistry;
  terminals: Terminals;
  hosts: HostPolicy;
  tls: boolean;
  paths: Paths;
  /** Folder of the built web app (dist/web). */
  webRoot: string;
  /** config.toml, read when needed so edits apply without a restart. */
  config: () => Config;
  /** This daemon's own URL for browsers, e.g. http://127.0.0.1:7373 (used when the request came over the unix socket). */
  publicUrl: () => string;
  log: Log;
}
