/**
 * The benchmark's second reference: ttyd (what a user would pick instead of
 * Roost), when one is installed: $TTYD_BIN, `ttyd` on PATH, or the copy the
 * termbench harness's get-ttyd-sid.sh unpacks into /tmp/termbench-ttyd
 * (never fetched here). It runs `tmux attach` on the same private server for
 * each connection, as Roost's daemon does, and is measured in the same run,
 * so the ratios compare like with like on a machine whose load changes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import WebSocket from 'ws';
import type { TermClient } from './clients.js';
import { summarize, ms, mb } from './stats.js';

/** ttyd 1.7's frame types (first byte of each WebSocket message). */
const INPUT = '0';
const OUTPUT = 0x30;

/** Where a ttyd binary is, or null. */
export function findTtyd(env: NodeJS.ProcessEnv): string | null {
  if (env['TTYD_BIN']) return env['TTYD_BIN'];
  for (const dir of (env['PATH'] ?? '').split(':')) if (dir && existsSync(`${dir}/ttyd`)) return `${dir}/ttyd`;
  return existsSync('/tmp/termbench-ttyd/ttyd') ? '/tmp/termbench-ttyd/ttyd' : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Ttyd {
  proc: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/** Start ttyd on loopback running `command` per connection; resolves once it accepts connections. */
export async function startTtyd(bin: string, command: string[], env: NodeJS.ProcessEnv): Promise<Ttyd> {
  const port = await freePort();
  const proc = spawn(bin, ['-W', '-p', String(port), '-i', '127.0.0.1', ...command], { env, stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
    if (up) break;
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`ttyd (${bin}) did not start`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    proc,
    port,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** A ttyd WebSocket client; resolves once the socket is open and the size sent (ttyd then spawns the command). */
export function ttydClient(port: number, cols = 120, rows = 40): Promise<TermClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, ['tty']);
  ws.binaryType = 'nodebuffer';
  const listeners: ((c: Buffer) => void)[] = [];
  ws.on('message', (raw: Buffer) => {
    if (raw[0] === OUTPUT) for (const cb of listeners) cb(raw.subarray(1));
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => {
      ws.send(Buffer.from(JSON.stringify({ AuthToken: '', columns: cols, rows })));
      resolve({
        onOutput: (cb) => void listeners.push(cb),
        write: (d) => ws.send(Buffer.from(INPUT + d)),
        close: () => ws.close(),
        stopReading: () => (ws as unknown as { _socket: { pause(): void } })._socket.pause(),
      });
    });
  });
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

type Connect = () => Promise<TermClient>;

export interface VersusOptions {
  bin: string;
  env: NodeJS.ProcessEnv;
  /** argv (after the binary) that attaches to a session of the bench's tmux server. */
  attachArgv: (session: string) => string[];
  roost: (session: string) => Connect;
  /** A read-only login's terminal (a share link's page). */
  viewer: (session: string) => Connect;
  roostPid: number;
  echo: (connect: Connect) => Promise<number[]>;
  attach: (connect: Connect, marker: string) => Promise<number[]>;
  /** Time until every one of many clients saw a 20 MB stream on the session `stream` end. */
  many: (connect: Connect) => Promise<number>;
  row: (name: string, a: string, b: string, ratio: string, target: string) => void;
}

/** Roost against ttyd, in this run: attach, echo, fan-out, idle CPU and memory; ratios are Roost / ttyd (lower is better). */
export async function versusTtyd(o: VersusOptions): Promise<void> {
  const ratio = (r: number, t: number) => `${(r / t).toFixed(2)}x`;
  const goal = (r: number, t: number, max: number) => `<= ${max}x ttyd: ${r / t <= max ? 'met' : 'MISSED'}`;
  console.log('');
  o.row('', 'ttyd', 'roost', 'roost/ttyd', 'goal');
  const idleSecs = 10;
  for (const [session, measure] of [['screen', 'attach'], ['echo', 'echo'], ['stream', 'many']] as const) {
    const ttyd = await startTtyd(o.bin, ['tmux', ...o.attachArgv(session)], o.env);
    try {
      const t = () => ttydClient(ttyd.port);
      if (measure === 'attach') {
        // Interleaved, so a change in the machine's load falls on both.
        const at: number[] = [];
        const ar: number[] = [];
        for (let i = 0; i < 3; i++) {
          at.push(...(await o.attach(t, 'SCREEN-42')));
          ar.push(...(await o.attach(o.roost(session), 'SCREEN-42')));
        }
        const st = summarize(at);
        const sr = summarize(ar);
        o.row('attach to screen p50', ms(st.p50), ms(sr.p50), ratio(sr.p50, st.p50), goal(sr.p50, st.p50, 1));
        o.row('attach to screen p99', ms(st.p99), ms(sr.p99), ratio(sr.p99, st.p99), goal(sr.p99, st.p99, 1));
        // Idle: nobody connected, nothing changing, both servers running. First the seconds right after the
        // clients left, while Roost gives back what they used (a collection, then V8's own two ~8 s later:
        // ~50 ms once), then as long again once settled: the steady cost.
        await new Promise((r) => setTimeout(r, 1000));
        const idleCpu = async () => {
          const c0 = [cpuSeconds(ttyd.proc.pid!), cpuSeconds(o.roostPid)];
          await new Promise((r) => setTimeout(r, idleSecs * 1000));
          const c1 = [cpuSeconds(ttyd.proc.pid!), cpuSeconds(o.roostPid)];
          return [0, 1].map((i) => (100 * (c1[i]! - c0[i]!)) / idleSecs) as [number, number];
        };
        const after = await idleCpu();
        o.row(`idle CPU, ${idleSecs} s after`, `${after[0].toFixed(2)}%`, `${after[1].toFixed(2)}%`, '', 'the clients just left');
        const settled = await idleCpu();
        o.row(`idle CPU, ${idleSecs} s settled`, `${settled[0].toFixed(2)}%`, `${settled[1].toFixed(2)}%`, '', `roost <= 0.1% of a core: ${settled[1] <= 0.1 ? 'met' : 'MISSED'}`);
        o.row('idle RSS after use', mb(rss(ttyd.proc.pid!)), mb(rss(o.roostPid)), ratio(rss(o.roostPid), rss(ttyd.proc.pid!)), `roost <= 60 MB: ${rss(o.roostPid) <= 60 * 2 ** 20 ? 'met' : 'MISSED'}`);
      } else if (measure === 'many') {
        // ttyd has no per-login roles: its read-only mode (no -W) still runs a tmux client per connection.
        const mt = await o.many(t);
        const mr = await o.many(o.roost(session));
        const mv = await o.many(o.viewer(session));
        o.row('fan-out, 50 clients', ms(mt), ms(mr), ratio(mr, mt), goal(mr, mt, 0.8));
        o.row('fan-out, 50 viewers', ms(mt), ms(mv), ratio(mv, mt), goal(mv, mt, 0.8));
      } else {
        const et = summarize(await o.echo(t));
        const er = summarize(await o.echo(o.roost(session)));
        o.row('echo p50', ms(et.p50), ms(er.p50), ratio(er.p50, et.p50), goal(er.p50, et.p50, 1));
        o.row('echo p99', ms(et.p99), ms(er.p99), ratio(er.p99, et.p99), goal(er.p99, et.p99, 1));
      }
    } finally {
      await ttyd.stop();
    }
  }
}
