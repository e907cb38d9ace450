/**
 * The roost CLI entry: global options, dispatch through the command table,
 * and the one place that turns errors into exit codes and one-line messages.
 */
import { readFileSync } from 'node:fs';
import { TmuxClient, TmuxError } from '../tmux/index.js';
import { resolvePaths } from '../config/paths.js';
import { PACKAGE_JSON } from '../config/install.js';
import { ConfigError } from '../config/config.js';
import { InvalidDirectoryError, InvalidNameError } from '../sessions/create.js';
import { findCommand, loadAllCommands } from './commands/index.js';
import { isCommandName } from './command-words.js';
import { checkName } from '../shared/names.js';
import { parse, UsageError, UserError, type Command, type Context, type Io } from './command.js';
import { attachTo, DEFAULT_SESSION } from './commands/attach.js';
import { withoutAllocation } from '../slurm/env.js';
import { stateDirError } from '../store/state-errors.js';

export function version(): string {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string };
  return pkg.version;
}

async function help(): Promise<string> {
  const commands = await loadAllCommands();
  const w = Math.max(...commands.map((c) => c.name.length));
  const list = commands.filter((c) => !c.hidden).map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n');
  return `roost: keep terminal work alive on this server and reach it from any device

Usage:
  roost                 attach to session "main", creating it if needed
  roost COMMAND [...]   run a command; roost COMMAND --help for its options

Commands:
${list}

Global options:
  -L, --socket NAME     use the tmux server NAME (tmux -L); also ROOST_TMUX_SOCKET.
                        NAME follows the session name rule; a NAME that is also a
                        command goes as --socket=NAME before the command.
                        Default: your default tmux server, shared with plain tmux
                        (inside tmux: the server $TMUX names, as tmux does).
  --debug               show stack traces for unexpected errors
  -h, --help            this help
  --version             print the version`;
}

/** Global flags that may come before the command name. */
function splitGlobals(argv: string[]): { socket?: string | undefined; debug: boolean; help: boolean; version: boolean; rest: string[] } {
  const g = { socket: undefined as string | undefined, debug: false, help: false, version: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--debug') g.debug = true;
    else if (a === '-h' || a === '--help') g.help = true;
    else if (a === '--version' || a === '-V') g.version = true;
    else if (a === '-L' || a === '--socket') {
      const v = argv[++i];
      // As after the command (command.ts parse): a forgotten name never swallows the next option or command.
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      if (v.startsWith('-')) throw new UsageError(`${a} needs a value (a socket name cannot start with "-")`);
      // `roost -L ls` is far more often a forgotten name than a server called "ls": ask for the
      // unambiguous spelling rather than attach to a new server named after a command.
      if (isCommandName(v)) throw new UsageError(`${a} needs a value ("${v}" is a command; for a server named ${v}, write --socket=${v})`);
      g.socket = v;
    } else if (a.startsWith('--socket=')) g.socket = a.slice('--socket='.length);
    // -Lwork, as tmux -Lwork and as after the command (`roost ls -Lwork`).
    else if (a.startsWith('-L') && a.length > 2) g.socket = a.slice(2);
    else break;
  }
  return { ...g, rest: argv.slice(i) };
}

export async function main(argv: string[], io: Io = process, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const err = (line: string) => void io.stderr.write(`${line}\n`);
  let debug = argv.includes('--debug');
  let cmd: Command | undefined;
  try {
    const g = splitGlobals(argv);
    if (g.version) {
      if (g.rest.length > 0) throw new UsageError(`--version stands alone (roost --version), not with ${JSON.stringify(g.rest[0])}`);
      io.stdout.write(`roost ${version()}\n`);
      return 0;
    }
    const [name, ...rest] = g.rest;
    if (g.help || name === 'help') {
      const target = name === 'help' ? rest[0] : undefined;
      const c = target ? await findCommand(target) : undefined;
      if (target && !c) throw new UsageError(`unknown command "${target}"`);
      io.stdout.write(`${c ? c.usage : await help()}\n`);
      return 0;
    }
    if (name !== undefined && name !== '--' && name.startsWith('-')) throw new UsageError(`unknown option ${name}`);
    cmd = name === undefined || name === '--' ? undefined : await findCommand(name);
    if (name !== undefined && name !== '--' && !cmd) throw new UsageError(`unknown command "${name}"`);
    const args = cmd ? parse(cmd, rest) : { values: {}, positionals: [], rest: name === '--' ? rest : [], dashDash: name === '--' };
    if (args.values['help']) {
      io.stdout.write(`${cmd!.usage}\n`);
      return 0;
    }
    debug ||= args.values['debug'] === true;
    const socketOpt = typeof args.values['socket'] === 'string' ? args.values['socket'] : g.socket;
    const socket = socketOpt ?? (env['ROOST_TMUX_SOCKET'] || undefined);
    // The name rule of sessions: a name starting with "-" would read as an option wherever it is typed again.
    const socketName = socket === undefined ? null : checkName(socket, 'socket name');
    if (socketName && !socketName.ok) throw new UserError(socketName.error);
    const ctx: Context = {
      ...io,
      env,
      debug,
      paths: resolvePaths(env),
      // A tmux server this starts must not carry the allocation roost was run in into every later pane (src/slurm/env.ts).
      tmux: new TmuxClient({ socket, env: withoutAllocation(env) }),
      out: (line) => void io.stdout.write(`${line}\n`),
      err,
    };
    if (!cmd) return await attachTo(ctx, DEFAULT_SESSION, undefined, args.rest);
    return await cmd.run(ctx, args);
  } catch (e) {
    const prefix = `roost${cmd ? ` ${cmd.name}` : ''}`;
    if (e instanceof UsageError) {
      err(`${prefix}: ${e.message} (see roost ${cmd ? `${cmd.name} ` : ''}--help)`);
      return cmd?.runByAgent ? 1 : 2;
    }
    if (e instanceof UserError || e instanceof ConfigError || e instanceof InvalidNameError || e instanceof InvalidDirectoryError) {
      err(`${prefix}: ${e.message}`);
      return 1;
    }
    if (e instanceof TmuxError) {
      err(`${prefix}: tmux: ${e.message.split('\n')[0]}`);
      if (debug) err(`  argv: ${JSON.stringify(e.argv)}`);
      return 1;
    }
    // The state folder a file, read-only or full: say which and what to do, not the system's words.
    const state = stateDirError(e, resolvePaths(env).stateDir);
    if (state) {
      err(`${prefix}: ${state.message}`);
      if (debug) err((e as Error)?.stack ?? '');
      return 1;
    }
    err(`${prefix}: ${(e as Error)?.message ?? String(e)}`);
    if (debug) err((e as Error)?.stack ?? '');
    return 1;
  }
}

/** Entry point for bin/roost. */
export function cli(): void {
  // A reader that had enough (`roost ls | head -1`) closes the pipe: the command still finishes what it does (a
  // restore must not stop half way), its further output goes nowhere, and no stack trace. Streams that would
  // otherwise go on for ever (watch, logs -f) end on the same error themselves. EIO is the same for a terminal
  // that went away (a tmux pane closed under a node session's window, which still has its allocation to release).
  // Any other error is thrown as before, unless a command listens for it itself.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'EIO' && process.stdout.listenerCount('error') === 1) throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`roost: ${String(e)}\n`); process.exitCode = 1; },
  );
}
