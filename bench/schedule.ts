/**
 * `node dist/bench/schedule.js`: the scheduler against its floors, on a
 * private tmux server and a throwaway HOME, with a real `roost serve`.
 *
 *   daemon CPU   of the daemon with 100 schedules idle (next run a year
 *                away) vs. the same daemon with none
 *   lateness     of 200 runs of a schedule every second (`* * * * * *`,
 *                guard none), while the daemon also serves a browser
 *                terminal on a session printing continuously: the job's
 *                start as the scheduler begins it (its row), and the
 *                program's start as the job runner records it, each minus
 *                the run time it was for; p50 and p99
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxClient, killServer, newSession } from '../src/tmux/index.js';
import { startDaemon } from './daemon.js';
import { roostClient } from './clients.js';
import { cpuSeconds, summarize } from './stats.js';
import type { RunInfo } from '../src/shared/schedules.js';
import type { JobInfo } from '../src/shared/jobs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'bin', 'roost');
const RUNS = Number(process.env['ROOST_BENCH_RUNS'] ?? 200);
const IDLE_SCHEDULES = 100;
const CPU_WINDOW_MS = 10_000;

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'roost-bench-sched-'));
  const tmuxDir = join(base, 'tmux');
  mkdirSync(tmuxDir, { mode: 0o700 });
  const socket = `roost-bench-sched-${process.pid}`;
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', TMUX_TMPDIR: tmuxDir, ROOST_TMUX_SOCKET: socket };
  delete env['TMUX'];
  const tmux = new TmuxClient({ socket, configFile: '/dev/null', env });
  let stop: (() => Promise<void>) | null = null;
  try {
    await newSession(tmux, { name: 'stream', command: ['sh', '-c', 'while :; do seq 1 300; sleep 0.02; done'] });
    const d = await startDaemon(cli, env);
    stop = d.stop;
    const origin = `http://127.0.0.1:${d.port}`;
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const r = await fetch(`${origin}${path}`, {
        method, headers: { cookie: d.cookie, origin, ...(body === undefined && method === 'GET' ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
      return (r.status === 204 ? null : await r.json()) as T;
    };
    const pid = d.proc.pid!;
    const cpu = async () => {
      const a = cpuSeconds(pid);
      const t = performance.now();
      await sleep(CPU_WINDOW_MS);
      return ((cpuSeconds(pid) - a) / ((performance.now() - t) / 1000)) * 100;
    };
    console.log(`Roost schedule benchmark: tmux socket ${socket}, node ${process.version}`);

    // 1. Daemon CPU: no schedules, then 100 idle ones.
    await sleep(2000);
    const none = await cpu();
    for (let i = 0; i < IDLE_SCHEDULES; i++) {
      await api('POST', '/api/schedules', { name: `idle-${i}`, cron: `${i % 60} 3 1 1 *`, command: ['true'], cwd: base, guards: ['none'] });
    }
    await sleep(2000);
    const hundred = await cpu();
    console.log(`daemon CPU, no schedules         ${none.toFixed(2)}%`);
    console.log(`daemon CPU, ${IDLE_SCHEDULES} idle schedules    ${hundred.toFixed(2)}%   (${(hundred - none >= 0 ? '+' : '')}${(hundred - none).toFixed(2)} pt)`);
    for (let i = 0; i < IDLE_SCHEDULES; i++) await api('DELETE', `/api/schedules/idle-${i}`);

    // 2. Lateness: a 1 s schedule while a browser terminal streams.
    const term = await roostClient({ port: d.port, cookie: d.cookie, session: 'stream' });
    let streamed = 0;
    term.onOutput((c) => void (streamed += c.length));
    await api('POST', '/api/schedules', { name: 'tick', cron: '* * * * * *', command: ['true'], cwd: base, guards: ['none'] });
    const t0 = Date.now();
    let runs: RunInfo[] = [];
    for (;;) {
      await sleep(5000);
      runs = await api<RunInfo[]>('GET', '/api/schedules/tick/history?limit=1000');
      if (runs.filter((r) => r.job !== null).length >= RUNS) break;
      if (Date.now() - t0 > RUNS * 3000) throw new Error(`only ${runs.length} entries after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    await api('POST', '/api/schedules/tick/pause');
    const streamedMb = streamed / 1e6;
    term.close();
    const started = runs.filter((r) => r.job !== null).slice(0, RUNS);
    const skips = runs.filter((r) => r.outcome === 'skipped' || r.outcome === 'missed');
    const toJob = started.map((r) => r.started! - r.due!).sort((a, b) => a - b);
    const toProgram: number[] = [];
    for (const r of started) {
      const j = await api<JobInfo>('GET', `/api/jobs/${r.job}`);
      toProgram.push(j.started - r.due!);
    }
    toProgram.sort((a, b) => a - b);
    const a = summarize(toJob);
    const b = summarize(toProgram);
    console.log(`lateness, ${started.length} runs of a 1 s schedule, a terminal streaming (${streamedMb.toFixed(1)} MB sent):`);
    console.log(`  scheduler starts the job       p50 ${a.p50.toFixed(1)} ms   p99 ${a.p99.toFixed(1)} ms   max ${toJob.at(-1)!.toFixed(1)} ms`);
    console.log(`  the program starts (runner)    p50 ${b.p50.toFixed(1)} ms   p99 ${b.p99.toFixed(1)} ms   max ${toProgram.at(-1)!.toFixed(1)} ms`);
    console.log(`  skipped or missed meanwhile    ${skips.length}${skips.length ? ` (${[...new Set(skips.map((s) => s.reason))].join('; ')})` : ''}`);
  } finally {
    await stop?.().catch((e: unknown) => console.error(`bench: stopping the daemon: ${String(e)}`));
    await killServer(tmux).catch((e: unknown) => console.error(`bench: kill-server: ${String(e)}`));
    rmSync(base, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(`bench: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
