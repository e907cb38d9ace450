/**
 * The door to tmux: every tmux process Roost starts is built here, from an
 * argv array. Which server (socket name), which config file and which
 * environment are fixed when the client is created, so a test's private
 * server can never be confused with the user's own.
 */
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { TmuxError, decodeKind } from './errors.js';
import { commandArgv, type TmuxArg } from './literal.js';

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

export class TmuxClient {
  readonly socket: string | undefined;
  readonly configFile: string | undefined;
  readonly bin: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(opts: TmuxOptions = {}) {
    this.socket = opts.socket;
    this.configFile = opts.configFile;
    this.bin = opts.bin ?? 'tmux';
    this.env = opts.env ?? process.env;
  }

  /**
   * Path of the server's socket, as tmux puts it in $TMUX of its panes: the
   * $TMUX of the calling terminal when no -L was given, else
   * $TMUX_TMPDIR/tmux-UID/NAME (tmux's own rule).
   */
  socketPath(): string {
    const inherited = this.env['TMUX'];
    if (this.socket === undefined && inherited) return inherited.split(',')[0]!;
    const dir = this.env['TMUX_TMPDIR'] || '/tmp';
    return `${dir.replace(/\/+$/, '')}/tmux-${process.getuid?.() ?? 0}/${this.socket ?? 'default'}`;
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
  run(args: readonly TmuxArg[]): Promise<string> {
    const argv = this.argv(args);
    return new Promise((resolve, reject) => {
      execFile(this.bin, argv, { env: this.env, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { code?: unknown };
        if (e.code === 'ENOENT') {
          return reject(new TmuxError(argv, null, `${this.bin}: not found; install tmux (Debian: apt-get install tmux)`, 'not-installed'));
        }
        const code = typeof e.code === 'number' ? e.code : null;
        reject(new TmuxError(argv, code, stderr, decodeKind(stderr)));
      });
    });
  }

  /** Start tmux with inherited or custom stdio (attach runs this way). */
  spawn(args: readonly TmuxArg[], options: SpawnOptions = {}): ChildProcess {
    return spawn(this.bin, this.argv(args), { env: this.env, ...options });
  }
}
