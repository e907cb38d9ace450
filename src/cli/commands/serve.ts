/** roost serve: run the daemon (web dashboard, browser terminals, API) until Ctrl-C. */
import { readFileSync } from 'node:fs';
import { UsageError, UserError, noExtra, str, type Command } from '../command.js';
import { loadConfig } from '../../config/config.js';
import { checkExposure, ExposureError } from '../../server/exposure.js';
import { allowHostProblem, listenHost } from '../../server/hosts.js';
import { DaemonMemory } from '../../daemon/memory.js';

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UserError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export const serve: Command = {
  name: 'serve',
  summary: 'run the daemon: web dashboard and browser terminals',
  usage: `roost serve [--host ADDR] [--port N] [--tls-cert FILE --tls-key FILE] [--allow-host NAME]... [--insecure-no-tls] [--no-login-link] [--verbose]

Serve the dashboard, browser terminals and HTTP API on ADDR:N (default
127.0.0.1:7373, or [server] host/port in config.toml), and the API for this
user's CLI on a unix socket. Prints a one-time login link (valid 10 minutes;
"roost open" prints another), unless --no-login-link. Stop with Ctrl-C; tmux
sessions keep running.

Options:
  --host ADDR         address to listen on. Anything but loopback needs TLS.
  --port N            port; 0 picks a free one (the real one is printed)
  --tls-cert FILE     PEM certificate (with --tls-key): serve HTTPS
  --tls-key FILE      PEM private key
  --allow-host NAME   also accept this Host name (NAME or NAME:PORT), e.g. the
                      DNS name browsers use; may be repeated
  --insecure-no-tls   allow a non-loopback address without TLS: anyone on the
                      path can read your terminals and steal your login
  --no-login-link     print no login link, only how to get one (roost open):
                      for output that goes to a log (roost service passes it)
  --verbose           log every request (never headers, cookies or bodies)`,
  options: {
    host: { type: 'string' },
    port: { type: 'string', short: 'p' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'allow-host': { type: 'string', multiple: true },
    'insecure-no-tls': { type: 'boolean' },
    'no-login-link': { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
  },
  async run(ctx, args) {
    noExtra(args, 0);
    const config = loadConfig(ctx.paths.configFile);
    const hostText = str(args, 'host');
    const listen = listenHost(hostText ?? config.server.host);
    if ('problem' in listen) {
      if (hostText !== undefined) throw new UsageError(`invalid --host ${JSON.stringify(hostText)}: ${listen.problem}`);
      throw new UserError(`invalid [server] host ${JSON.stringify(config.server.host)} in ${ctx.paths.configFile}: ${listen.problem}`);
    }
    const host = listen.host;
    const portText = str(args, 'port');
    const port = portText === undefined ? config.server.port : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid port ${JSON.stringify(portText)}: use 0-65535`);
    const allowHosts = (args.values['allow-host'] as string[] | undefined) ?? [];
    for (const h of allowHosts) {
      const problem = allowHostProblem(h);
      if (problem !== null) throw new UsageError(`invalid --allow-host ${JSON.stringify(h)}: ${problem}`);
    }
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

    // Before the daemon's modules load: V8 settings for a process that is mostly at rest (src/daemon/memory.ts).
    const memory = new DaemonMemory();
    // Loaded here, not at the top: every other command starts faster without the web server in memory.
    const { startDaemon } = await import('../../daemon/daemon.js');
    const { LOGIN_TOKEN_TTL_MS } = await import('../../auth/auth.js');
    let daemon;
    try {
      daemon = await startDaemon({
        env: ctx.env, tmux: ctx.tmux, host, port, tls, allowHosts, insecureNoTls: insecure,
        log: { level: args.values['verbose'] ? 'info' : 'warn', stream: ctx.stderr, stacks: ctx.debug },
        onConnections: (open) => memory.connections(open),
      });
    } catch (e) {
      memory.failed();
      if (e instanceof Error && ['ServeError', 'DaemonRunningError', 'ExposureError', 'StoreError'].includes(e.name)) throw new UserError(e.message);
      throw e;
    }
    memory.serving(daemon.settled);
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
    // A live owner login link is a credential: under roost service this output
    // lands in serve.log or the journal at every boot, and logs hold no secret.
    if (args.values['no-login-link'] === true) {
      ctx.out('For a login link, run: roost open');
    } else {
      ctx.out(`Log in with this link (it works once, within ${LOGIN_TOKEN_TTL_MS / 60_000} minutes; "roost open" prints another):`);
      ctx.out(`  ${daemon.loginUrl().url}`);
    }
    return stopped;
  },
};
