/**
 * Running the roost CLI as a user does: `node bin/roost ARGS` as a child
 * process (argv, no shell) or inside a real terminal (node-pty), with a
 * temporary HOME and a private tmux server. Everything started here is
 * stopped by an `after` hook of the calling test file.
 */
import { after } from 'node:test';
import { execFile, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, lstatSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';
import type { TmuxClient } from '../../src/tmux/index.js';
import { testEnv, waitFor, RM_TREE, stretch } from './tmux.js';

/** The repository (this file runs from dist/test/helpers). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const ROOST_BIN = join(ROOT, 'bin', 'roost');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** HOME for the run (a temporary folder). */
  home: string;
  /** Private tmux server name, passed as ROOST_TMUX_SOCKET. */
  socket?: string;
  /** More environment (wins over the defaults; undefined values are removed). */
  env?: NodeJS.ProcessEnv;
}

/** Environment for a roost process: testEnv, HOME, XDG paths inside it, the private server. */
export function cliEnv(o: CliOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = testEnv({ HOME: o.home, SHELL: '/bin/bash' });
  for (const k of ['XDG_CONFIG_HOME', 'XDG_STATE_HOME', 'XDG_RUNTIME_DIR', 'ZDOTDIR', 'ROOST_COCKPIT_CONF', 'XDG_SESSION_TYPE', 'SSH_TTY']) delete env[k];
  if (o.socket) env['ROOST_TMUX_SOCKET'] = o.socket;
  for (const [k, v] of Object.entries(o.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Run `node bin/roost ...argv` to completion; stdin is not a terminal. */
export function runCli(argv: string[], o: CliOptions): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [ROOST_BIN, ...argv], { env: cliEnv(o), cwd: o.home, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Run `node bin/roost ...argv` with its stdout a pipe nobody reads (`roost ls | head -0`): its exit code and stderr. */
export function runCliClosedStdout(argv: string[], o: CliOptions): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [ROOST_BIN, ...argv], { env: cliEnv(o), cwd: o.home, stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed long before node has started and written.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolvePromise({ code, stderr }));
  });
}

/** A fresh temporary folder, removed after the test file. */
export function tempDir(prefix = 'roost-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, RM_TREE));
  return dir;
}

/**
 * The packages `roost init` loads besides its own code (config.toml is read
 * with smol-toml and checked with zod; its schedules' cron with croner). If
 * init comes to need another, the copy says so: "cannot load the built CLI
 * (ERR_MODULE_NOT_FOUND)".
 */
const INIT_PACKAGES = ['zod', 'smol-toml', 'croner'];

/**
 * A copy of the built CLI that any user can run, for tests that run it as
 * another user: the checkout may sit in a folder only its owner can enter (a
 * clone under a 0700 home), and files cloned with umask 077 are 0600. The
 * copy holds bin/roost, package.json, dist/src and INIT_PACKAGES, every
 * folder 0755 and file 0644 (0755 if executable). Returns its bin/roost.
 */
export function publicCliCopy(): string {
  const dir = tempDir('roost-public-cli-');
  const copy = (rel: string) => cpSync(join(ROOT, rel), join(dir, rel), { recursive: true });
  for (const rel of ['bin', 'package.json', join('dist', 'src'), ...INIT_PACKAGES.map((p) => join('node_modules', p))]) copy(rel);
  const open = (p: string) => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      chmodSync(p, 0o755);
      for (const e of readdirSync(p)) open(join(p, e));
    } else chmodSync(p, st.mode & 0o100 ? 0o755 : 0o644);
  };
  open(dir);
  return join(dir, 'bin', 'roost');
}

/** Every file and link under a folder: relative path → content (links: "-> target"). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[relative(dir, p)] = `-> ${readlinkSync(p)}`;
      else if (st.isDirectory()) walk(p);
      else out[relative(dir, p)] = `${(st.mode & 0o777).toString(8)} ${readFileSync(p, 'latin1')}`;
    }
  };
  walk(dir);
  return out;
}

/** Remove terminal escape sequences, leaving the text a person would read. */
export function stripAnsi(s: string): string {
  return s
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '') // OSC (titles)
    .replace(/\x1bP[^\x1b]*\x1b\\/g, '') // DCS
    .replace(/\x1b\[[0-9;?<=>!]*[ -/]*[@-~]/g, '') // CSI
    .replace(/\x1b[()*+][0-9A-Za-z]/g, '') // charset selection
    .replace(/\x1b[=>78DEHMNOc]/g, '');
}

export interface Term {
  pid: number;
  /** Everything the terminal received so far, raw. */
  output(): string;
  /** The output without escape sequences. */
  text(): string;
  write(data: string): void;
  /** Resolves when the process exits. */
  exited: Promise<{ exitCode: number; signal?: number | undefined }>;
  /** Wait until the text contains `needle` (or matches it). */
  waitForText(needle: string | RegExp, ms?: number): Promise<void>;
}

export interface TermOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  cols?: number;
  rows?: number;
}

/** Start a program in a real terminal (100x30 unless told); killed after the test file if still running. */
export function spawnTerm(file: string, args: string[], o: TermOptions): Term {
  const p = pty.spawn(file, args, { name: 'xterm-256color', cols: o.cols ?? 100, rows: o.rows ?? 30, cwd: o.cwd ?? tmpdir(), env: o.env as Record<string, string> });
  let buf = '';
  let done = false;
  p.onData((d) => { buf += d; });
  const exited = new Promise<{ exitCode: number; signal?: number | undefined }>((res) => p.onExit((e) => { done = true; res(e); }));
  after(() => {
    if (!done) p.kill();
  });
  const t: Term = {
    pid: p.pid,
    output: () => buf,
    text: () => stripAnsi(buf),
    write: (d) => p.write(d),
    exited,
    async waitForText(needle, ms = 15000) {
      const has = () => (typeof needle === 'string' ? t.text().includes(needle) : needle.test(t.text()));
      try {
        await waitFor(has, ms, `terminal text ${String(needle)}`);
      } catch (e) {
        throw new Error(`${(e as Error).message}; the terminal shows: ${JSON.stringify(t.text().slice(-600))}`);
      }
    },
  };
  return t;
}

/**
 * Detach the tmux client running in `term` as a person does, C-b then d, and
 * wait for it to exit; its exit code. The d goes once tmux has taken the C-b:
 * tmux reads keys that arrive less than assume-paste-time (1 ms) apart as a
 * paste from the third on, so C-b and d written together behind a key tmux
 * has not read yet (a busy machine) would send the d to the pane and leave
 * the client waiting in its prefix table.
 */
export async function detachByKeys(term: Term, tmux: TmuxClient, ms = 20_000): Promise<number> {
  term.write('\x02');
  const prefixed = async () => (await tmux.run(['list-clients', '-F', '#{client_prefix}'])).split('\n').includes('1');
  await waitFor(prefixed, ms, 'tmux to take the prefix key C-b');
  term.write('d');
  return (await within(term.exited, ms, 'the client to exit after C-b d')).exitCode;
}

/** `node bin/roost ARGS` in a terminal, with the CLI environment. */
export function roostTerm(argv: string[], o: CliOptions, size: { cols?: number; rows?: number } = {}): Term {
  return spawnTerm(process.execPath, [ROOST_BIN, ...argv], { env: cliEnv(o), cwd: o.home, ...size });
}

/** Resolve within `ms` (times the deadline slack), or fail naming what did not happen. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out waiting for ${what}`)), stretch(ms)); });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
