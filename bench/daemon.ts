/**
 * Start a real `roost serve --port 0` for the benchmark, in a throwaway
 * HOME (with a config.toml when given), on the benchmark's private tmux
 * server; log in with the one-time URL it prints, like a browser would.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Daemon {
  proc: ChildProcess;
  port: number;
  cookie: string;
  /** The daemon's environment (its HOME): `roost` commands run with it work on this daemon's state. */
  env: NodeJS.ProcessEnv;
  /** Resident set size of the daemon process, in bytes. */
  rss(): number;
  /** A login cookie of a new read-only token (`roost token create --read-only`), as a share link's page has. */
  readOnlyCookie(): Promise<string>;
  stop(): Promise<void>;
}

export async function startDaemon(cli: string, env: NodeJS.ProcessEnv, opts: { config?: string; nodeArgs?: readonly string[] } = {}): Promise<Daemon> {
  const home = mkdtempSync(join(tmpdir(), 'roost-bench-home-'));
  const denv = { ...env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), XDG_RUNTIME_DIR: join(home, 'run') };
  if (opts.config !== undefined) {
    mkdirSync(join(home, 'config', 'roost'), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, 'config', 'roost', 'config.toml'), opts.config, { mode: 0o600 });
  }
  // BENCH_CPU_PROF=DIR: each daemon writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const prof = env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${env['BENCH_CPU_PROF']}`] : [];
  const proc = spawn(process.execPath, [...prof, ...(opts.nodeArgs ?? []), cli, 'serve', '--port', '0'], { env: denv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`daemon did not print a login URL: ${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/login#token=[A-Za-z0-9_\-.~%]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(new URL(m[1]!));
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (c) => reject(new Error(`daemon exited ${c}: ${out}`)));
  });
  const port = Number(url.port);
  const origin = `http://127.0.0.1:${port}`;
  const login = async (token: string) => {
    const res = await fetch(`${origin}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ token }) });
    const setCookie = res.headers.get('set-cookie');
    if (!res.ok || !setCookie) throw new Error(`login failed: ${res.status}`);
    return setCookie.split(';')[0]!;
  };
  const cookie = await login(new URLSearchParams(url.hash.slice(1)).get('token')!);
  return {
    proc,
    port,
    cookie,
    env: denv,
    readOnlyCookie: async () => {
      const out = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, [cli, 'token', 'create', '--read-only', '--json'], { env: denv }, (e, stdout) => (e ? reject(e) : resolve(stdout)));
      });
      return login((JSON.parse(out) as { token: string }).token);
    },
    rss: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : NaN;
    },
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        // A daemon still closing after 5 s (a stalled client's socket) is ended: the bench must finish.
        const force = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(force);
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
