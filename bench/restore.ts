/**
 * `node dist/bench/restore.js` (after npm run build): what snapshots and
 * restore cost, on a private tmux server.
 *
 *   snapshot       50 sessions × 4 windows, each pane with 2,000 coloured
 *                  lines of history: time and size of a first snapshot, and
 *                  of a second one with nothing changed (captures reused)
 *   restore        the tmux server killed, all 200 windows restored: time
 *   daemon CPU     a real `roost serve` ([restore] interval = 10 s) while 10
 *                  sessions stream output: its CPU and the tmux server's over
 *                  60 s, against the same daemon with restore's snapshots
 *                  off (interval 86400 s), and the cost per snapshot
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxClient, killServer, newSession, newWindow } from '../src/tmux/index.js';
import { SnapshotStore } from '../src/restore/store.js';
import { takeSnapshot } from '../src/restore/snapshot.js';
import { planRestore } from '../src/restore/plan.js';
import { rulesFrom } from '../src/restore/rules.js';
import { executeRestore } from '../src/restore/execute.js';
import { parseConfig } from '../src/config/config.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'bin', 'roost');
const SESSIONS = 50;
const WINDOWS = 4;
const LINES = 2000;
const STREAMING = 10;
const CPU_WINDOW_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A pane that prints LINES+100 coloured lines of ~100 columns, its own text (no two panes alike), then runs `then`. */
const fill = (seed: number, then: string) => ['sh', '-c', `awk 'BEGIN{srand(${seed}); for(i=0;i<${LINES + 100};i++) printf "\\033[3%dmline %d\\033[0m lorem ipsum dolor sit amet, consectetur adipiscing elit %d %d\\n", i%8, i, rand()*1e9, rand()*1e9}'; exec ${then}`];

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? dirBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}

/** utime + stime of a process, in clock ticks (100 per second on Linux). */
function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').slice(readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

async function until(what: string, check: () => Promise<boolean>, ms = 300_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(200);
  }
}

async function snapshotAndRestore(tmux: TmuxClient, work: string): Promise<void> {
  // history-limit applies to panes made after it is set, on a server that stays up: a first session holds it.
  await newSession(tmux, { name: 'boot' });
  await tmux.run(['set-option', '-g', 'history-limit', String(LINES + 500)]);
  for (let s = 0; s < SESSIONS; s++) {
    // The first window of each session runs a program (typed back at restore), the others end at a shell prompt.
    await newSession(tmux, { name: `s${s}`, width: 120, height: 40, command: fill(s * WINDOWS, 'sleep 100000') });
    for (let w = 1; w < WINDOWS; w++) await newWindow(tmux, { session: `s${s}`, command: fill(s * WINDOWS + w, 'sh'), detached: true });
  }
  await tmux.run(['kill-session', '-t', '=boot']).catch(() => undefined);
  await until('every pane filled', async () => {
    const out = await tmux.run(['list-panes', '-a', '-F', '#{history_size}']);
    return out.trim().split('\n').every((h) => Number(h) >= LINES - 40);
  });

  const store = new SnapshotStore(join(work, 'snapshots'));
  let t0 = performance.now();
  const first = await takeSnapshot({ tmux, store, lines: LINES, keep: 20, paneAgents: () => [] });
  const tFirst = performance.now() - t0;
  t0 = performance.now();
  const second = await takeSnapshot({ tmux, store, lines: LINES, keep: 20, paneAgents: () => [] });
  const tSecond = performance.now() - t0;
  const genBytes = statSync(store.fileOf(first.generation!)).size;
  const blobBytes = dirBytes(store.blobDir);
  const raw = [...first.snapshot!.sessions].flatMap((s) => s.windows.flatMap((w) => w.panes)).reduce((a, p) => a + (p.scrollback?.bytes ?? 0), 0);
  console.log(`snapshot, ${SESSIONS} sessions x ${WINDOWS} windows x ${LINES} lines (${first.captured} panes captured): ${tFirst.toFixed(0)} ms`);
  console.log(`  size: generation file ${(genBytes / 1024).toFixed(0)} KB, scrollback blobs ${(blobBytes / 1024 / 1024).toFixed(2)} MB gzip (${(raw / 1024 / 1024).toFixed(1)} MB of text with colours)`);
  console.log(`second snapshot, nothing changed (${second.reused} reused, ${second.captured} captured): ${tSecond.toFixed(0)} ms, +${(statSync(store.fileOf(second.generation!)).size / 1024).toFixed(0)} KB`);

  await killServer(tmux);
  const snap = store.latest().snapshot!;
  t0 = performance.now();
  const plan = planRestore({ snapshot: snap, live: new Set(), rules: rulesFrom(parseConfig('').restore) });
  const outcome = await executeRestore({ tmux, store, plan, scratchDir: join(work, 'scratch') });
  const tRestore = performance.now() - t0;
  await until('every pane shows its scrollback', async () => {
    const out = await tmux.run(['list-panes', '-a', '-F', '#{history_size}']);
    return out.trim().split('\n').length === SESSIONS * WINDOWS && out.trim().split('\n').every((h) => Number(h) >= LINES - 60);
  });
  const tShown = performance.now() - t0;
  console.log(`restore of ${outcome.restored.length} sessions, ${SESSIONS * WINDOWS} windows (${outcome.typed} commands typed): ${tRestore.toFixed(0)} ms built, ${tShown.toFixed(0)} ms until every pane shows its ${LINES} lines`);
  await killServer(tmux);
  await sleep(1000); // kill-server returns before the server is gone: the next command must not reach the dying one
}

async function daemonCpu(env: NodeJS.ProcessEnv, tmux: TmuxClient, interval: number): Promise<{ daemon: number; tmux: number; snapshots: number }> {
  const home = mkdtempSync(join(tmpdir(), 'roost-bench-restore-'));
  mkdirSync(join(home, 'config', 'roost'), { recursive: true });
  writeFileSync(join(home, 'config', 'roost', 'config.toml'), `[restore]\ninterval = ${interval}\nauto = false\n`);
  const denv = { ...env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), XDG_RUNTIME_DIR: join(home, 'run') };
  const proc = spawn(process.execPath, [cli, 'serve', '--port', '0'], { env: denv, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.on('data', (d: Buffer) => void (d.toString().includes('serving on') && resolve()));
      proc.on('exit', (c) => reject(new Error(`daemon exited ${c}`)));
    });
    await sleep(5000); // start-up snapshot and the first listing done
    const serverPid = Number((await tmux.run(['display-message', '-p', '#{pid}'])).trim());
    const gens = () => { try { return readdirSync(join(home, 'state', 'roost', 'snapshots')).filter((n) => n.startsWith('gen-')).length; } catch { return 0; } };
    const g0 = gens();
    const d0 = cpuTicks(proc.pid!);
    const t0 = cpuTicks(serverPid);
    await sleep(CPU_WINDOW_MS);
    const secs = CPU_WINDOW_MS / 1000;
    return { daemon: (cpuTicks(proc.pid!) - d0) / secs, tmux: (cpuTicks(serverPid) - t0) / secs, snapshots: gens() - g0 };
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const tmuxDir = mkdtempSync(join(tmpdir(), 'roost-bench-tmux-'));
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', TMUX_TMPDIR: tmuxDir, SHELL: '/bin/sh' };
  delete env['TMUX'];
  const socket = `roost-bench-restore-${process.pid}`;
  env['ROOST_TMUX_SOCKET'] = socket;
  const tmux = new TmuxClient({ socket, configFile: '/dev/null', env });
  const work = mkdtempSync(join(tmpdir(), 'roost-bench-work-'));
  try {
    console.log(`Roost restore benchmark: tmux socket ${socket}, node ${process.version}`);
    await snapshotAndRestore(tmux, work);

    // 10 sessions streaming a few hundred lines a second each, 2,000 lines of history.
    for (let s = 0; s < STREAMING; s++) {
      const o = { name: `stream${s}`, width: 120, height: 40, command: ['sh', '-c', 'while :; do seq 1 100; sleep 0.3; done'] };
      // The killed server may still be going away: a new one is started on the next try.
      await newSession(tmux, o).catch(async () => { await sleep(1000); await newSession(tmux, o); });
    }
    const on = await daemonCpu(env, tmux, 10);
    const off = await daemonCpu(env, tmux, 86_400);
    const pct = (ticks: number) => `${ticks.toFixed(1)}%`; // ticks per second = percent of one core
    console.log(`daemon while ${STREAMING} sessions stream, ${CPU_WINDOW_MS / 1000} s: snapshots every 10 s (${on.snapshots} taken): daemon ${pct(on.daemon)}, tmux ${pct(on.tmux)}; snapshots off: daemon ${pct(off.daemon)}, tmux ${pct(off.tmux)}`);
    const per = on.snapshots ? ((on.daemon - off.daemon) * (CPU_WINDOW_MS / 1000) * 10) / on.snapshots : NaN;
    console.log(`  one periodic snapshot of ${STREAMING} streaming panes: ~${per.toFixed(0)} ms of daemon CPU; at the default interval (300 s): ~${(per / 300 / 10).toFixed(3)}% of a core`);
  } finally {
    await killServer(tmux).catch((e: unknown) => console.error(`bench: kill-server: ${String(e)}`));
    rmSync(work, { recursive: true, force: true });
    rmSync(tmuxDir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(`bench: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
