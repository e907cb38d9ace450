/**
 * `node dist/bench/jobs.js`: background jobs against their floors, in one
 * run, on one private tmux server and a throwaway HOME.
 *
 *   throughput   a job writing 200 MB through the log path (pty → tmux →
 *                pipe-pane → FIFO → runner → capped log, default 100 MB
 *                cap, so cuts happen) vs. the same command redirected
 *                straight to a file (`> file`, the nohup floor), and vs. the
 *                same command in a plain tmux window without a log (the
 *                floor of anything that gives the job a terminal)
 *   logs -n 100  on a 1 GB log (roost logs, a whole CLI process) vs.
 *                `tail -n 100` of the same bytes as one file
 *   daemon CPU   of `roost serve` while 10 jobs print continuously, vs. the
 *                same daemon idle; the runners' and tmux's CPU beside it
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxClient, killServer, newSession } from '../src/tmux/index.js';
import { runProgram } from '../src/process/run.js';
import { openRoostDb } from '../src/daemon/schemas.js';
import { JobStore } from '../src/jobs/store.js';
import { LogWriter } from '../src/jobs/log-writer.js';
import { makeJobDir } from '../src/jobs/paths.js';
import { startDaemon } from './daemon.js';
import { cpuSeconds } from './stats.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'bin', 'roost');
const BYTES = 200_000_000;
const BIG_LOG = 1_000_000_000;
const JOBS = 10;
const CPU_WINDOW_MS = 10_000;
/** The job's command: 200 MB of 100-byte lines, from one fast producer. */
const PRODUCER = `yes 'roost bench line: the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuv' | head -c ${BYTES}`;

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

function row(name: string, floor: string, roost: string, ratio: string, note: string): void {
  console.log(`${name.padEnd(30)} ${floor.padStart(14)} ${roost.padStart(14)} ${ratio.padStart(9)}   ${note}`);
}

function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Proportional set size: the process's own pages plus its share of pages shared with others (Node's code is shared by every runner). */
function pssBytes(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'roost-bench-jobs-'));
  const tmuxDir = join(base, 'tmux');
  mkdirSync(tmuxDir, { mode: 0o700 });
  const home = join(base, 'home');
  mkdirSync(home);
  const socket = `roost-bench-jobs-${process.pid}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env, TERM: 'xterm-256color', TMUX_TMPDIR: tmuxDir, HOME: home, ROOST_TMUX_SOCKET: socket,
    XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), XDG_RUNTIME_DIR: join(home, 'run'),
  };
  delete env['TMUX'];
  mkdirSync(join(home, 'run'), { mode: 0o700 });
  const tmux = new TmuxClient({ socket, configFile: '/dev/null', env });
  const stateDir = join(home, 'state', 'roost');
  const roost = async (...argv: string[]) => {
    const r = await runProgram([process.execPath, cli, ...argv], { env, cwd: home, timeoutMs: 600_000, maxOutputBytes: 64 * 1024 * 1024 });
    if (!r.ok) throw new Error(`roost ${argv.join(' ')}: ${r.message}`);
    return r.stdout;
  };
  const ended = async (name: string) => {
    const db = openRoostDb(stateDir);
    try {
      return new JobStore(db).byName(name)?.ended ?? null;
    } finally {
      db.close();
    }
  };
  let daemonStop: (() => Promise<void>) | null = null;
  try {
    await newSession(tmux, { name: 'keep', command: ['sleep', '100000'] });
    const serverPid = Number((await tmux.run(['display-message', '-p', '#{pid}'])).trim());
    console.log(`Roost jobs benchmark: tmux socket ${socket}, node ${process.version}`);
    row('', 'floor', 'roost', 'ratio', '');

    // 1. Throughput: > file, a plain tmux window, a job.
    const file = join(base, 'direct.out');
    let t0 = performance.now();
    const direct = await runProgram(['sh', '-c', `${PRODUCER} > '${file}'`], { timeoutMs: 600_000 });
    if (!direct.ok) throw new Error(direct.message);
    const tDirect = performance.now() - t0;
    rmSync(file);

    t0 = performance.now();
    await newSession(tmux, { name: 'plain', command: ['sh', '-c', `${PRODUCER}; tmux -L ${socket} wait-for -S plain-done`] });
    await tmux.run(['wait-for', 'plain-done']);
    const tPlain = performance.now() - t0;

    t0 = performance.now();
    const name = (await roost('run', '--name', 'through', '--', 'sh', '-c', PRODUCER)).trim();
    while ((await ended(name)) === null) await sleep(50);
    const tJob = performance.now() - t0;
    const kept = JSON.parse(await roost('jobs', '--json')) as { name: string; log: { bytes: number; end: number } }[];
    const log = kept.find((j) => j.name === name)!.log;
    const mbps = (ms: number) => `${(BYTES / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
    // The log holds what the terminal got: each \n became \r\n, so 202 MB went through.
    row('200 MB: > file vs job', mbps(tDirect), mbps(tJob), `${(tJob / tDirect).toFixed(1)}x`, `${(tJob / 1000).toFixed(1)} s vs ${(tDirect / 1000).toFixed(1)} s; log kept ${(log.bytes / 1e6).toFixed(0)} MB of ${(log.end / 1e6).toFixed(0)} MB`);
    row('200 MB: tmux window vs job', mbps(tPlain), mbps(tJob), `${(tJob / tPlain).toFixed(2)}x`, 'the log path\'s own cost over a terminal in tmux');

    // 2. logs -n 100 on a 1 GB log, vs tail -n 100 of the same bytes in one file.
    const db = openRoostDb(stateDir);
    const store = new JobStore(db);
    const id = store.insert({ name: 'big', command: ['bench'], cwd: home, tmuxSocket: socket, adopted: false, notify: false, logMax: 2 * BIG_LOG, launch: '{}', endMarker: 'x', created: Date.now() });
    store.setEnded(id, { at: Date.now(), exitCode: 0, signal: null, hangup: false });
    db.close();
    const writer = new LogWriter({ dir: makeJobDir(stateDir, id), maxBytes: 2 * BIG_LOG });
    const one = join(base, 'big.log');
    const fd = openSync(one, 'w');
    const block = Buffer.from(Array.from({ length: 10_000 }, (_, i) => `line ${i} of a big log, with some words to make it a realistic length\r\n`).join(''));
    for (let n = 0; n < BIG_LOG; n += block.length) {
      writer.write(block);
      writeSync(fd, block);
    }
    writer.close();
    closeSync(fd);
    const tails: number[] = [];
    const roosts: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      const r = await runProgram(['tail', '-n', '100', one], { maxOutputBytes: 1e6 });
      if (!r.ok) throw new Error(r.message);
      tails.push(performance.now() - t0);
      t0 = performance.now();
      const out = await roost('logs', 'big', '-n', '100');
      roosts.push(performance.now() - t0);
      if (out.split('\n').length !== 101) throw new Error(`logs -n 100 printed ${out.split('\n').length - 1} lines`);
    }
    const best = (xs: number[]) => Math.min(...xs);
    row('logs -n 100, 1 GB (best of 5)', `${best(tails).toFixed(0)} ms`, `${best(roosts).toFixed(0)} ms`, `${(best(roosts) / best(tails)).toFixed(1)}x`, 'roost: a whole CLI process (Node start, SQLite) reading from the end');
    const noop: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      await roost('--version');
      noop.push(performance.now() - t0);
    }
    row('  of which Node starting roost', '', `${best(noop).toFixed(0)} ms`, '', '`roost --version`');
    rmSync(one);
    rmSync(join(stateDir, 'jobs', String(id)), { recursive: true });

    // 3. Daemon CPU: idle, then with 10 jobs printing continuously.
    const d = await startDaemon(cli, env);
    daemonStop = d.stop;
    const daemonPid = d.proc.pid!;
    await sleep(2000);
    const measure = async (pids: number[]) => {
      const a = pids.map(cpuSeconds);
      const s = performance.now();
      await sleep(CPU_WINDOW_MS);
      const el = (performance.now() - s) / 1000;
      return pids.map((p, i) => ((cpuSeconds(p) - a[i]!) / el) * 100);
    };
    const [idle] = await measure([daemonPid]);
    const chatty: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      chatty.push((await roost('run', '--name', `chatty-${i}`, '--', 'sh', '-c', 'i=0; while :; do i=$((i+1)); echo "step $i loss 0.$i"; sleep 0.01; done')).trim());
    }
    await sleep(2000);
    const jobs = JSON.parse(await roost('jobs', '--json')) as { name: string; pid: number }[];
    const runners = chatty.map((n) => Number(readFileSync(`/proc/${jobs.find((j) => j.name === n)!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]));
    const [busy, tmuxCpu, ...runnerCpu] = await measure([daemonPid, serverPid, ...runners]);
    const runnersTotal = runnerCpu.reduce((a, b) => a + b, 0);
    const runnerRss = runners.map(rssBytes);
    const runnerPss = runners.map(pssBytes);
    row('daemon CPU, 10 jobs printing', `${idle!.toFixed(2)}%`, `${busy!.toFixed(2)}%`, `${busy! >= idle! ? '+' : ''}${(busy! - idle!).toFixed(2)}pt`, `idle vs busy; daemon RSS ${(rssBytes(daemonPid) / 1048576).toFixed(0)} MiB`);
    row('  runners (10), tmux server', '', `${runnersTotal.toFixed(1)}%`, '', `tmux ${tmuxCpu!.toFixed(1)}%; a runner: RSS ${(Math.max(...runnerRss) / 1048576).toFixed(0)} MiB, PSS ${(Math.max(...runnerPss) / 1048576).toFixed(0)} MiB (most)`);
    for (const n of chatty) await roost('stop', n, '--grace', '2');
  } finally {
    await daemonStop?.().catch((e: unknown) => console.error(`bench: stopping the daemon: ${String(e)}`));
    await killServer(tmux).catch((e: unknown) => console.error(`bench: kill-server: ${String(e)}`));
    rmSync(base, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(`bench: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
