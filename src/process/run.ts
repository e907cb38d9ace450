/**
 * The one place Roost starts programs (tmux included: src/tmux/client.ts
 * runs through here). Argv arrays only, never a shell string; every run has
 * a deadline and a cap on what it may print; failures come back as values
 * (RunResult), so a caller branches on `kind`, never on message text.
 *
 * Interactive programs that take over the terminal (tmux attach from the
 * CLI) use runInteractive; browser terminals use node-pty behind the tmux
 * door (src/tmux/pty.ts).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Give up (SIGTERM, then SIGKILL after KILL_GRACE_MS) after this many ms; 0 waits for ever. Default 30 s. */
  timeoutMs?: number;
  /** Most bytes kept of stdout and of stderr each; more ends the run (kind 'too-much-output'). Default 1 MiB. */
  maxOutputBytes?: number;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  input?: string | Uint8Array;
  /** Told each piece of stderr as it comes (for programs that report progress there while they wait, e.g. salloc). */
  onStderr?: (text: string) => void;
}

export type RunFailure =
  | 'not-found' // no such program on PATH
  | 'spawn' // it could not be started (permissions, a bad cwd)
  | 'exit' // it ran and exited non-zero
  | 'signal' // a signal ended it
  | 'timeout' // it ran past timeoutMs
  | 'too-much-output'; // it printed more than maxOutputBytes

export type RunResult =
  | { ok: true; stdout: string; stderr: string }
  | {
      ok: false;
      kind: RunFailure;
      argv: readonly string[];
      /** Exit code for 'exit'; null otherwise. */
      code: number | null;
      signal: NodeJS.Signals | null;
      stdout: string;
      stderr: string;
      /** One line for a person: the program, what happened, its first line of stderr. */
      message: string;
    };

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
/** Between SIGTERM and SIGKILL for a run past its deadline (ms). */
export const KILL_GRACE_MS = 2000;

/** Run `argv` to completion. Never rejects. */
export function runProgram(argv: readonly [string, ...string[]], o: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const max = o.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let failure: RunFailure | null = null;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stdio: StdioOptions = [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'];
    const child = spawn(file, args, { env: o.env ?? process.env, cwd: o.cwd, stdio });
    const stop = (why: RunFailure) => {
      if (failure) return;
      failure = why;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    const deadline = timeoutMs > 0 ? setTimeout(() => stop('timeout'), timeoutMs) : undefined;
    const finish = (r: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(killTimer);
      resolve(r);
    };
    const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');
    const failed = (kind: RunFailure, code: number | null, signal: NodeJS.Signals | null, detail: string): RunResult => {
      const stderr = text(err);
      const first = stderr.split('\n').map((l) => l.trim()).find(Boolean);
      return { ok: false, kind, argv, code, signal, stdout: text(out), stderr, message: `${file} ${detail}${first ? `: ${first}` : ''}` };
    };
    child.stdout!.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (outBytes > max) return stop('too-much-output');
      out.push(c);
    });
    // A character split across two pieces reaches onStderr whole.
    const live = o.onStderr ? new StringDecoder('utf8') : null;
    child.stderr!.on('data', (c: Buffer) => {
      errBytes += c.length;
      if (errBytes > max) return stop('too-much-output');
      err.push(c);
      if (live) o.onStderr!(live.write(c));
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') finish(failed('not-found', null, null, 'not found'));
      else finish(failed('spawn', null, null, `could not start (${e.code ?? e.message})`));
    });
    child.on('close', (code, signal) => {
      if (failure === 'timeout') return finish(failed('timeout', null, signal, `did not finish within ${timeoutMs / 1000} s`));
      if (failure === 'too-much-output') return finish(failed('too-much-output', null, signal, `printed more than ${max} bytes`));
      if (signal) return finish(failed('signal', null, signal, `was killed by ${signal}`));
      if (code !== 0) return finish(failed('exit', code, null, `exited ${code}`));
      finish({ ok: true, stdout: text(out), stderr: text(err) });
    });
    if (o.input !== undefined) {
      // A program that exits without reading its input closes the pipe: that is its business, not an error.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(o.input);
    }
  });
}

/**
 * Run a program on this terminal (inherited stdio) until it exits; resolves
 * with its exit code (1 when a signal ended it). Keyboard signals go to the
 * program alone while it runs, as a shell does for its foreground job.
 */
export function runInteractive(argv: readonly [string, ...string[]], o: { env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  const [file, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: o.env ?? process.env, stdio: 'inherit' });
    const ignore = () => {};
    process.on('SIGINT', ignore);
    process.on('SIGQUIT', ignore);
    const done = () => {
      process.off('SIGINT', ignore);
      process.off('SIGQUIT', ignore);
    };
    child.on('error', (e) => { done(); reject(e); });
    child.on('exit', (code, signal) => { done(); resolve(code ?? (signal ? 1 : 0)); });
  });
}

/**
 * Start a long-lived program whose stdin, stdout and stderr the caller
 * reads and writes (a tmux control client). It is started here so that
 * every process starts in one place; the caller owns it and stops it.
 */
export function startPiped(argv: readonly [string, ...string[]], o: { env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  const [file, ...args] = argv;
  return spawn(file, args, { env: o.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** How a program started with startOnTerminal ended: an exit code, or the signal that killed it. */
export interface ProgramEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type Started =
  | { ok: true; pid: number; ended: Promise<ProgramEnd> }
  | { ok: false; kind: 'not-found' | 'spawn'; message: string };

/**
 * Start a program on this process's terminal (inherited stdio) and hand
 * back its pid at once, with its end (exit code or signal, exactly) as a
 * promise: for a supervisor that records how its child ended (the job
 * runner, src/jobs/runner.ts). Never rejects; a program that cannot start
 * is a value.
 */
export function startOnTerminal(argv: readonly [string, ...string[]], o: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Started> {
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: o.env ?? process.env, cwd: o.cwd, stdio: 'inherit' });
    const ended = new Promise<ProgramEnd>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    child.once('spawn', () => resolve({ ok: true, pid: child.pid!, ended }));
    child.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') resolve({ ok: false, kind: 'not-found', message: `${file}: not found` });
      else resolve({ ok: false, kind: 'spawn', message: `${file} could not start (${e.code ?? e.message})` });
    });
  });
}

/**
 * Start a program that outlives this process, on its own (its own process
 * group, no stdin, stdout or stderr, not waited for), given `fd3` as its
 * fd 3: a hook's connection to the daemon that another process waits on
 * (src/attention/answer-hold.ts). Fire and forget: a program that cannot
 * start is dropped without a word.
 */
export function startDetached(argv: readonly [string, ...string[]], o: { fd3: Socket; env?: NodeJS.ProcessEnv }): void {
  const [file, ...args] = argv;
  const child = spawn(file, args, { env: o.env ?? process.env, detached: true, stdio: ['ignore', 'ignore', 'ignore', o.fd3] });
  child.on('error', () => undefined);
  child.unref();
}
