/**
 * A real daemon for server tests: started in this process on port 0, with a
 * temporary HOME and XDG folders and a private tmux server, driven with
 * node:http (full control over Host, Origin, Cookie) and the real `ws`
 * client. Everything started here is stopped by an `after` hook of the
 * calling test file. Also: running the built CLI as a child process with the
 * same environment.
 */
import { after } from 'node:test';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { startDaemon, type Daemon, type DaemonOptions } from '../../src/daemon/daemon.js';
import { decodeServer, encodeClient, PROTOCOL_VERSION, type ClientMsg, type ServerMsg } from '../../src/shared/protocol.js';
import { killOnExit, privateTmux, testEnv, waitFor, type TestTmux, RM_TREE } from './tmux.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** What users run: bin/roost. */
export const CLI = join(ROOT, 'bin', 'roost');

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
}

export interface RequestOptions {
  /** Cookie header value, e.g. "roost_session=..." */
  cookie?: string;
  bearer?: string;
  /** Origin header; default the server's own origin; null leaves it out. */
  origin?: string | null;
  /** Host header; default the server's own host:port. */
  host?: string;
  /** JSON-encoded unless a string. */
  body?: unknown;
  /** Default application/json when there is a body or the method changes state; null leaves it out. */
  contentType?: string | null;
  headers?: Record<string, string>;
}

/**
 * Environment of a temporary user: HOME, XDG folders inside it, a private
 * tmux socket folder. The folder is removed after the test, unless `keep`:
 * then the caller removes it (`remove`) once whatever writes there has stopped.
 */
export function tempUser(prefix = 'roost-srv-', o: { keep?: boolean } = {}): { dir: string; env: NodeJS.ProcessEnv; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, RM_TREE);
  if (!o.keep) after(remove);
  mkdirSync(join(dir, 'run'), { mode: 0o700 });
  const env = testEnv({
    HOME: dir,
    XDG_STATE_HOME: join(dir, 'state'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_RUNTIME_DIR: join(dir, 'run'),
    SHELL: '/bin/sh',
  });
  return { dir, env, remove };
}

export interface TmuxSessionRow {
  id: string;
  name: string;
  view: string;
  window: string;
  spare: boolean;
}

export class TestServer {
  /** Keep-alive: a thousand requests reuse a few connections (the socket address stays 127.0.0.1 either way). */
  private readonly agent: HttpAgent;

  constructor(
    readonly daemon: Daemon,
    readonly tmux: TestTmux,
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
    /** Everything the daemon logged. */
    readonly logs: string[],
    readonly tls: boolean,
  ) {
    this.agent = tls ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: false }) : new HttpAgent({ keepAlive: true });
    after(() => this.agent.destroy());
  }

  get port(): number {
    return this.daemon.port;
  }
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }
  get origin(): string {
    return `${this.tls ? 'https' : 'http'}://${this.host}`;
  }

  request(method: string, path: string, o: RequestOptions = {}): Promise<Reply> {
    const changing = !['GET', 'HEAD'].includes(method);
    const headers: Record<string, string> = { host: o.host ?? this.host, ...o.headers };
    const origin = o.origin === undefined ? (changing ? this.origin : null) : o.origin;
    if (origin !== null) headers['origin'] = origin;
    if (o.cookie) headers['cookie'] = o.cookie;
    if (o.bearer) headers['authorization'] = `Bearer ${o.bearer}`;
    const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    const ct = o.contentType === undefined ? (changing || body !== undefined ? 'application/json' : null) : o.contentType;
    if (ct !== null) headers['content-type'] = ct;
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const req = this.tls ? httpsRequest : httpRequest;
    return new Promise((resolvePromise, reject) => {
      const r = req({ host: '127.0.0.1', port: this.port, method, path, headers, rejectUnauthorized: false, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      });
      r.on('error', reject);
      r.end(body);
    });
  }

  /** Log in with a fresh one-time token (or `creds`); returns the Cookie header value. */
  async login(creds?: { token: string } | { password: string }): Promise<string> {
    const body = creds ?? { token: new URL(this.daemon.loginUrl().url).hash.replace('#token=', '') };
    const r = await this.request('POST', '/api/login', { body });
    if (r.status !== 204) throw new Error(`login failed: ${r.status} ${r.text}`);
    const set = r.headers['set-cookie']?.[0] ?? '';
    return set.split(';')[0]!;
  }

  /** Open a WebSocket; resolves when open, rejects with Error("HTTP <status>") when refused. */
  ws(path: string, o: Omit<RequestOptions, 'body' | 'contentType'> = {}, onCreate?: (ws: WebSocket) => void): Promise<WebSocket> {
    const headers: Record<string, string> = { ...o.headers };
    const origin = o.origin === undefined ? this.origin : o.origin;
    if (origin !== null) headers['origin'] = origin;
    if (o.cookie) headers['cookie'] = o.cookie;
    if (o.bearer) headers['authorization'] = `Bearer ${o.bearer}`;
    if (o.host) headers['host'] = o.host;
    const ws = new WebSocket(`${this.tls ? 'wss' : 'ws'}://${this.host}${path}`, { headers, rejectUnauthorized: false });
    after(() => ws.terminate());
    // Listeners go on before 'open': the first frames can arrive in the same chunk as the handshake.
    onCreate?.(ws);
    return new Promise((resolvePromise, reject) => {
      ws.once('open', () => resolvePromise(ws));
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        reject(new Error(`HTTP ${res.statusCode}`));
      });
      ws.once('error', reject);
    });
  }

  /** A terminal client on `session` that has sent its HELLO. */
  async terminal(session: string, o: Omit<RequestOptions, 'body' | 'contentType'> & { window?: string; cols?: number; rows?: number; autoAck?: boolean; device?: string } = {}): Promise<TermClient> {
    const q = new URLSearchParams({ session });
    if (o.window !== undefined) q.set('window', o.window);
    let t: TermClient | undefined;
    await this.ws(`/api/terminal?${q}`, o, (ws) => (t = new TermClient(ws, o.autoAck ?? true)));
    t = t!;
    t.send({ type: 'hello', v: PROTOCOL_VERSION, cols: o.cols ?? 80, rows: o.rows ?? 24, ...(o.device ? { device: o.device } : {}) });
    return t;
  }

  /** tmux sessions on the private server, with their @roost_view marks (views are the per-device ones) and @roost_spare (made ahead, no device's yet). */
  async tmuxSessions(): Promise<TmuxSessionRow[]> {
    let out = '';
    try {
      out = await this.tmux.run('list-sessions', '-F', '#{session_id}\x1f#{session_name}\x1f#{@roost_view}\x1f#{window_index}\x1f#{@roost_spare}');
    } catch {
      return []; // no server: no sessions
    }
    return out.split('\n').filter(Boolean).map((l) => {
      const [id = '', name = '', view = '', window = '', spare = ''] = l.split('\x1f');
      return { id, name, view, window, spare: spare !== '' };
    });
  }

  /** The views devices have (spare views left out: see spares()). */
  async views(): Promise<TmuxSessionRow[]> {
    return (await this.tmuxSessions()).filter((s) => s.view !== '' && !s.spare);
  }

  /** Spare views (src/server/terminal/spare-views.ts). */
  async spares(): Promise<TmuxSessionRow[]> {
    return (await this.tmuxSessions()).filter((s) => s.spare);
  }

  close(): Promise<void> {
    return this.daemon.close();
  }
}

export interface ServerOptions extends Partial<Omit<DaemonOptions, 'env' | 'tmux'>> {
  /** Share a private tmux server (default: a fresh one). */
  tmux?: TestTmux;
}

/** Start a daemon on 127.0.0.1:0 with a temporary user and a private tmux server. */
export async function startServer(o: ServerOptions = {}): Promise<TestServer> {
  // node:test runs after-hooks in the order they were added, and skips the rest once one throws: the daemon
  // (which writes its snapshots into the folder) must close before the folder goes, in one hook.
  const { dir, env, remove } = tempUser('roost-srv-', { keep: true });
  let daemon: Daemon | null = null;
  after(async () => {
    await daemon?.close();
    remove();
  });
  const tmux = o.tmux ?? privateTmux(env);
  const logs: string[] = [];
  daemon = await startDaemon({
    host: '127.0.0.1',
    port: 0,
    webRoot: join(dir, 'no-web-build'),
    ...o,
    env,
    tmux: tmux.client,
    log: { level: 'error', stream: { write: (s: string) => logs.push(s) }, ...o.log },
  });
  return new TestServer(daemon, tmux, dir, env, logs, Boolean(o.tls));
}

/**
 * Run `fn` with console.error recorded (and still printed): node-pty
 * reported a failed pty write that way and nothing else. Resolves with
 * `fn`'s value and the lines printed meanwhile.
 */
export async function recordConsoleErrors<T>(fn: () => Promise<T>): Promise<{ value: T; printed: string[] }> {
  const printed: string[] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
    consoleError(...args);
  };
  try {
    return { value: await fn(), printed };
  } finally {
    console.error = consoleError;
  }
}

/** A browser-terminal client speaking src/shared/protocol.ts. */
export class TermClient {
  readonly frames: ServerMsg[] = [];
  private out: Buffer[] = [];
  private outLen = 0;
  closed: { code: number; reason: string } | null = null;
  readonly closedP: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket, public autoAck: boolean) {
    ws.on('message', (data: Buffer) => {
      const msg = decodeServer(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (msg.type === 'output') {
        this.out.push(Buffer.from(msg.data));
        this.outLen += msg.data.byteLength;
        if (this.autoAck) this.send({ type: 'ack', bytes: msg.data.byteLength });
      } else this.frames.push(msg);
    });
    this.closedP = new Promise((r) => ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      r(this.closed);
    }));
  }

  send(msg: ClientMsg): void {
    this.ws.send(encodeClient(msg));
  }

  type(text: string): void {
    this.send({ type: 'input', data: new TextEncoder().encode(text) });
  }

  /** Output so far, bytes as sent (escape sequences included). */
  raw(): Buffer {
    return Buffer.concat(this.out);
  }

  /** Output so far as text with terminal escape sequences removed. */
  text(): string {
    return plain(Buffer.concat(this.out).toString('utf8'));
  }

  get outputBytes(): number {
    return this.outLen;
  }

  /** Forget output so far (then wait for what comes next). */
  clear(): void {
    this.out = [];
  }

  async hello(): Promise<Extract<ServerMsg, { type: 'hello' }>> {
    return waitFor(() => this.frames.find((f): f is Extract<ServerMsg, { type: 'hello' }> => f.type === 'hello'), 20_000, 'server HELLO');
  }

  async frame<T extends ServerMsg['type']>(type: T, ms = 20_000): Promise<Extract<ServerMsg, { type: T }>> {
    return waitFor(() => this.frames.find((f): f is Extract<ServerMsg, { type: T }> => f.type === type), ms, `${type} frame`);
  }

  async see(needle: string, ms = 20_000): Promise<void> {
    await waitFor(() => this.text().includes(needle), ms, `output ${JSON.stringify(needle)}`);
  }

  async waitClosed(ms = 20_000): Promise<{ code: number; reason: string }> {
    return waitFor(() => this.closed, ms, 'socket close');
  }
}

/** Strip CSI, OSC and two-character escape sequences. */
export function plain(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?<=>!]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78DEHMNOZc]/g, '');
}

/** Run the built CLI to completion with `env` (stdin: `input`, or nothing). */
export function runCli(argv: string[], env: NodeJS.ProcessEnv, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = execFile(process.execPath, [CLI, ...argv], { env, cwd: env['HOME'], encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

/** A `roost serve` child process; stdout and stderr are collected. */
export interface ServeProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the base URL and login URL once printed. */
  ready(ms?: number): Promise<{ url: string; loginUrl: string }>;
  exited: Promise<number | null>;
}

export function spawnServe(argv: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ServeProcess {
  const child = spawn(process.execPath, [...nodeArgs, CLI, ...argv], { env, cwd: env['HOME'], stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  // Also when the file is stopped before its after hooks.
  killOnExit(child);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async ready(ms = 60_000) {
      return waitFor(() => {
        const url = /Roost is serving on (\S+)/.exec(out)?.[1];
        const loginUrl = /(\S+\/login#token=\S+)/.exec(out)?.[1];
        if (child.exitCode !== null) throw new Error(`roost serve exited ${child.exitCode}: ${err}`);
        return url && loginUrl ? { url, loginUrl } : null;
      }, ms, 'roost serve to print its URLs');
    },
  };
}
