/** roost serve: run the daemon (web dashboard, browser terminals, API) until Ctrl-C. */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { UsageError, UserError, noExtra, str, type Command } from '../command.js';
import { loadConfig } from '../../config/config.js';
import { checkExposure, ExposureError } from '../../server/exposure.js';

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UserError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** How long (ms) after the daemon serves its start is over: what it started in the background (a restore, the first snapshot) is done. */
const SETTLE_MS = 5000;

/**
 * Starting runs most code once (the web server, the schemas, the routes):
 * V8's compilers would compile what runs there a few times more for
 * nothing, and keep that code and their own pages resident (measured: ~7 MB
 * of an idle daemon). Off while the daemon starts (bin/roost turns them off
 * before the CLI loads), on again once it has settled, for the code that
 * runs all the time (the terminal bridge).
 */
function compilers(on: boolean): void {
  setFlagsFromString(on ? '--opt' : '--no-opt');
  setFlagsFromString(on ? '--sparkplug' : '--no-sparkplug');
}

/**
 * Once the start has settled: the compilers on again, and one full
 * collection. Starting leaves 5-10 MB of garbage in V8's heap (more or less
 * from run to run), and a daemon at rest allocates too little for V8 ever
 * to collect it. V8 gives scripts its collector only with --expose-gc,
 * which a new context picks up.
 */
function settleAfterStart(): void {
  setTimeout(() => {
    compilers(true);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (() => void) | undefined;
    gc?.();
  }, SETTLE_MS).unref();
}

export const serve: Command = {
  name: 'serve',
  summary: 'run the daemon: web dashboard and browser terminals',
  usage: `roost serve [--host ADDR] [--port N] [--tls-cert FILE --tls-key FILE] [--allow-host NAME]... [--insecure-no-tls] [--verbose]

Serve the dashboard, browser terminals and HTTP API on ADDR:N (default
127.0.0.1:7373, or [server] host/port in config.toml), and the API for this
user's CLI on a unix socket. Prints a one-time login link (valid 10 minutes;
"roost open" prints another). Stop with Ctrl-C; tmux sessions keep running.

Options:
  --host ADDR         address to listen on. Anything but loopback needs TLS.
  --port N            port; 0 picks a free one (the real one is printed)
  --tls-cert FILE     PEM certificate (with --tls-key): serve HTTPS
  --tls-key FILE      PEM private key
  --allow-host NAME   also accept this Host name (NAME or NAME:PORT), e.g. the
                      DNS name browsers use; may be repeated
  --insecure-no-tls   allow a non-loopback address without TLS: anyone on the
                      path can read your terminals and steal your login
  --verbose           log every request (never headers, cookies or bodies)`,
  options: {
    host: { type: 'string' },
    port: { type: 'string', short: 'p' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'allow-host': { type: 'string', multiple: true },
    'insecure-no-tls': { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
  },
  async run(ctx, args) {
    noExtra(args, 0);
    const config = loadConfig(ctx.paths.configFile);
    const host = str(args, 'host') ?? config.server.host;
    const portText = str(args, 'port');
    const port = portText === undefined ? config.server.port : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid port ${JSON.stringify(portText)}: use 0-65535`);
    const certFile = str(args, 'tls-cert');
    const keyFile = str(args, 'tls-key');
    if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
    const insecure = args.values['insecure-no-tls'] === true;
    try {
      checkExposure(host, certFile !== undefined, insecure);
    } catch (e) {
      if (e instanceof ExposureError) throw new UserError(e.message);
      throw e;
    }
    const tls = certFile && keyFile ? { cert: readPem(certFile, 'TLS certificate'), key: readPem(keyFile, 'TLS key') } : null;
    const allowHosts = (args.values['allow-host'] as string[] | undefined) ?? [];
    for (const h of allowHosts) if (!/^[A-Za-z0-9.:[\]-]{1,255}$/.test(h)) throw new UsageError(`invalid --allow-host ${JSON.stringify(h)}`);

    // A daemon allocates little at a time for a long time: V8's young generation would grow to 32 MB of
    // resident pages for nothing (measured: 91 → ~77 MB idle). Read by V8 each time it would grow, so it
    // applies from here on.
    setFlagsFromString('--semi-space-growth-factor=1');
    compilers(false);
    // Loaded here, not at the top: every other command starts faster without the web server in memory.
    const { startDaemon } = await import('../../daemon/daemon.js');
    const { LOGIN_TOKEN_TTL_MS } = await import('../../auth/auth.js');
    let daemon;
    try {
      daemon = await startDaemon({
        env: ctx.env, tmux: ctx.tmux, host, port, tls, allowHosts, insecureNoTls: insecure,
        log: { level: args.values['verbose'] ? 'info' : 'warn', stream: ctx.stderr, stacks: ctx.debug },
      });
    } catch (e) {
      compilers(true);
      if (e instanceof Error && ['ServeError', 'DaemonRunningError', 'ExposureError', 'StoreError'].includes(e.name)) throw new UserError(e.message);
      throw e;
    }
    settleAfterStart();
    // The handlers go in before the "serving" line: whoever waits for that
    // line (a test, a service script) may signal at once, and a SIGTERM that
    // lands first would kill the daemon without its orderly stop.
    const stopped = new Promise<number>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        daemon.close().then(() => resolve(0), (e: unknown) => {
          ctx.err(`roost serve: ${(e as Error).message}`);
          resolve(1);
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    if (insecure && !tls) ctx.err(`roost serve: WARNING: serving ${host} without TLS (--insecure-no-tls)`);
    ctx.out(`Roost is serving on ${daemon.url}`);
    ctx.out(`Log in with this link (it works once, within ${LOGIN_TOKEN_TTL_MS / 60_000} minutes; "roost open" prints another):`);
    ctx.out(`  ${daemon.loginUrl().url}`);
    return stopped;
  },
};
