/**
 * The door to tmux: every tmux argv Roost runs is built here (and run by
 * src/process/run.ts; browser terminals by pty.ts). Which server (socket
 * name), which config file and which environment are fixed when the client
 * is created, so a test's private server can never be confused with the
 * user's own.
 */
import type { ChildProcess } from 'node:child_process';
import { runInteractive, runProgram, startPiped } from '../process/run.js';
import { CONTROL_OWNER_ENV } from '../process/control-owner.js';
import { TmuxError, decodeKind } from './errors.js';
import { commandArgv, type TmuxArg } from './literal.js';
import { TmuxControl } from './control.js';

export interface TmuxOptions {
  /** tmux -L NAME; undefined means the user's default server (or $TMUX's). */
  socket?: string | undefined;
  /** tmux -f FILE, used when this call starts the server (tests pass /dev/null). */
  configFile?: string | undefined;
  /** The tmux binary; default "tmux" on PATH. */
  bin?: string | undefined;
  /** Environment for tmux processes; default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
}

/** Listing 10,000 lines of history with escapes is ~6 MB; leave room. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
/** A tmux command answers in milliseconds; one that takes this long (ms) has a server that is stuck. */
const TIMEOUT_MS = 60_000;
/** Where tmux puts its sockets when $TMUX_TMPDIR is unset (its _PATH_TMP; not $TMPDIR). */
const DEFAULT_SOCKET_DIR = '/tmp';

export class TmuxClient {
  readonly socket: string | undefined;
  readonly configFile: string | undefined;
  readonly bin: string;
  readonly env: NodeJS.ProcessEnv;
  /** The kept control-mode connection commands go over when they may (control.ts); null: a process each. */
  readonly control: TmuxControl | null;

  constructor(opts: TmuxOptions = {}, control = false) {
    this.socket = opts.socket;
    this.configFile = opts.configFile;
    this.bin = opts.bin ?? 'tmux';
    this.env = opts.env ?? process.env;
    this.control = control ? new TmuxControl({ spawnPiped: (a) => this.spawnPiped(a), runProcess: (a) => this.runProcess(a) }) : null;
  }

  /**
   * The same server through a kept control connection (the daemon's: it
   * runs commands all the time); close it with `control.close()`.
   */
  withControl(): TmuxClient {
    return new TmuxClient({ socket: this.socket, configFile: this.configFile, bin: this.bin, env: this.env }, true);
  }

  /**
   * Path of the server's socket, as tmux puts it in $TMUX of its panes: the
   * $TMUX of the calling terminal when no -L was given, else
   * $TMUX_TMPDIR/tmux-UID/NAME (tmux's own rule).
   */
  socketPath(): string {
    const inherited = this.env['TMUX'];
    if (this.socket === undefined && inherited) return inherited.split(',')[0]!;
    const dir = this.env['TMUX_TMPDIR'] || DEFAULT_SOCKET_DIR;
    return `${dir.replace(/\/+$/, '')}/tmux-${process.getuid?.() ?? 0}/${this.socket ?? 'default'}`;
  }

  /**
   * The name `tmux -L` (and `roost -L`) reaches this server by from any
   * terminal: the -L name given, or for the server $TMUX names, its socket's
   * file name when that lies in tmux's socket folder. undefined for the
   * default server, and for a socket elsewhere (-L cannot name it).
   */
  serverName(): string | undefined {
    if (this.socket !== undefined) return this.socket;
    const path = this.socketPath();
    const dir = `${(this.env['TMUX_TMPDIR'] || DEFAULT_SOCKET_DIR).replace(/\/+$/, '')}/tmux-${process.getuid?.() ?? 0}/`;
    const name = path.startsWith(dir) ? path.slice(dir.length) : '';
    return name === '' || name === 'default' || name.includes('/') ? undefined : name;
  }

  /** Global flags that select the server: prepended to every command. */
  serverArgs(): string[] {
    const a: string[] = [];
    if (this.socket !== undefined) a.push('-L', this.socket);
    if (this.configFile !== undefined) a.push('-f', this.configFile);
    return a;
  }

  /** Full argv (without the binary) for a tmux command list; every value reaches tmux literally (literal.ts). */
  argv(args: readonly TmuxArg[]): string[] {
    return [...this.serverArgs(), ...commandArgv(args)];
  }

  /** Run a tmux command to completion; resolves with stdout, rejects with TmuxError. */
  async run(args: readonly TmuxArg[]): Promise<string> {
    const reply = this.control ? await this.control.run(args) : null;
    if (reply?.ok) return reply.stdout;
    if (reply) throw new TmuxError(this.argv(args), 1, reply.error, decodeKind(reply.error));
    return this.runProcess(args);
  }

  /** run(), always as a process of its own. */
  async runProcess(args: readonly TmuxArg[]): Promise<string> {
    const argv = this.argv(args);
    const r = await runProgram([this.bin, ...argv], { env: this.env, maxOutputBytes: MAX_OUTPUT_BYTES, timeoutMs: TIMEOUT_MS });
    if (r.ok) return r.stdout;
    if (r.kind === 'not-found') throw new TmuxError(argv, null, `${this.bin}: not found; install tmux (Debian: apt-get install tmux)`, 'not-installed');
    if (r.kind === 'exit') throw new TmuxError(argv, r.code, r.stderr, decodeKind(r.stderr));
    throw new TmuxError(argv, null, r.stderr || r.message, r.kind === 'signal' ? decodeKind(r.stderr) : 'other');
  }

  /** Run tmux on this terminal (attach) until it detaches; resolves with its exit code. */
  runOnTerminal(args: readonly TmuxArg[]): Promise<number> {
    return runInteractive([this.bin, ...this.argv(args)], { env: this.env });
  }

  /**
   * Start tmux with its stdio as pipes (a control-mode client, `-C`); the caller owns the process. Its
   * environment names this process as its owner, so a later daemon can tell one left by a dead one (stale-control.ts).
   */
  spawnPiped(args: readonly TmuxArg[]): ChildProcess {
    return startPiped([this.bin, ...this.argv(args)], { env: { ...this.env, [CONTROL_OWNER_ENV]: String(process.pid) } });
  }
}
