/**
 * What `roost serve` holds resident at rest, and what each module it loads
 * costs (`node dist/bench/rss.js [--runs N] [--no-modules]`, after
 * `npm run build`; not part of `npm test` or `npm run bench`;
 * `--no-daemon`, `--no-modules` skip a part, `--samples N` per module,
 * `--node-arg X` gives the daemons' node a flag).
 *
 *   daemon    `bin/roost serve --port 0` started as users do (private HOME
 *             and XDG folders, a private tmux server with one session),
 *             N times: VmRSS, RssAnon and RssFile ≥ 6 s after it served
 *             (it has settled: src/daemon/memory.ts), then again ≥ 6 s after
 *             one browser terminal connected and left. Medians. One more
 *             start with a small preload prints V8's spaces at rest.
 *   modules   each dependency, Node built-in and Roost part imported alone
 *             into a fresh node (the daemon's start flags, the young
 *             generation held at 1 MB so its growth does not blur the
 *             figures), collected, at rest: RSS, anonymous RSS and V8 heap
 *             over a bare node. Parts share what they load (ws loads
 *             node:http): the figures overlap and do not add up.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newSession } from '../src/tmux/index.js';
import { startDaemon, type Daemon } from './daemon.js';
import { roostClient } from './clients.js';
import { privateTmux } from './tmux-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cli = join(root, 'bin', 'roost');
/** After the daemon served (or its last browser left): more than its settle time (memory.ts SETTLE_MS). */
const REST_MS = 6500;

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const MB = 1024 * 1024;
const f1 = (bytes: number) => (bytes / MB).toFixed(1);

interface Resident {
  rss: number;
  anon: number;
  file: number;
}

function resident(pid: number | string): Resident {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') + kb('RssShmem') };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Print V8's view of the heap on SIGUSR2 (loaded with --import into one daemon). */
const HEAP_PRELOAD = `
import v8 from 'node:v8';
process.on('SIGUSR2', () => {
  const mb = (n) => (n / 1048576).toFixed(1);
  const m = process.memoryUsage();
  const c = v8.getHeapCodeStatistics();
  const out = ['heap at rest: used ' + mb(m.heapUsed) + ' MB of ' + mb(m.heapTotal) + ', external ' + mb(m.external) + ' MB (builtins\\' source ' + mb(c.external_script_source_size) + '), bytecode ' + mb(c.bytecode_and_metadata_size) + ' MB'];
  for (const s of v8.getHeapSpaceStatistics()) if (s.physical_space_size > 0) out.push('  ' + s.space_name.padEnd(20) + ' resident ' + mb(s.physical_space_size).padStart(5) + ' MB, used ' + mb(s.space_used_size).padStart(5) + ' MB');
  process.stderr.write('@@' + JSON.stringify(out) + '\\n');
});
`;

async function daemonAtRest(runs: number): Promise<void> {
  const t = privateTmux('rss');
  const rows: { start: Resident; left: Resident }[] = [];
  let heap: string[] = [];
  try {
    await newSession(t.tmux, { name: 'main', width: 80, height: 24, command: ['cat'] });
    const dir = mkdtempSync(join(tmpdir(), 'roost-bench-rss-'));
    const preload = join(dir, 'heap.mjs');
    writeFileSync(preload, HEAP_PRELOAD);
    try {
      for (let i = 0; i <= runs; i++) {
        const withHeap = i === runs;
        const d: Daemon = await startDaemon(cli, t.env, { nodeArgs: [...daemonArgs, ...(withHeap ? ['--import', preload] : [])] });
        try {
          await sleep(REST_MS);
          const start = resident(d.proc.pid!);
          const c = await roostClient({ port: d.port, cookie: d.cookie, session: 'main' }, 80, 24);
          c.close();
          await sleep(REST_MS);
          const left = resident(d.proc.pid!);
          if (!withHeap) {
            rows.push({ start, left });
            console.log(`  start ${i + 1}: at rest ${f1(start.rss)} MB (anon ${f1(start.anon)}, file ${f1(start.file)}); after a terminal left ${f1(left.rss)} MB (anon ${f1(left.anon)}, file ${f1(left.file)})`);
          } else {
            heap = await new Promise<string[]>((resolve) => {
              let err = '';
              d.proc.stderr!.on('data', (b: Buffer) => {
                err += b.toString();
                const m = /@@(.*)\n/.exec(err);
                if (m) resolve(JSON.parse(m[1]!) as string[]);
              });
              d.proc.kill('SIGUSR2');
            });
          }
        } finally {
          await d.stop();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await t.stop();
  }
  const med = (k: 'start' | 'left', f: keyof Resident) => f1(median(rows.map((r) => r[k][f])));
  console.log(`daemon at rest, median of ${rows.length}:          ${med('start', 'rss')} MB (anonymous ${med('start', 'anon')}, file-backed ${med('start', 'file')})`);
  console.log(`after one browser terminal left, median: ${med('left', 'rss')} MB (anonymous ${med('left', 'anon')}, file-backed ${med('left', 'file')})`);
  for (const l of heap) console.log(l);
}

/** What is measured alone, in a fresh node each: packages, Node built-ins, Roost's parts (paths from dist/bench; bench/rss-module.ts imports each). */
const MODULES: readonly [string, string][] = [
  ['node:http', 'node:http'],
  ['node:https (tls)', 'node:https'],
  ['node:http2', 'node:http2'],
  ['node:zlib', 'node:zlib'],
  ['node:crypto', 'node:crypto'],
  ['ws', 'ws'],
  ['cookie', 'cookie'],
  ['zod (classic, with core and locales)', 'zod'],
  ['zod/mini (with core and locales)', 'zod/mini'],
  ['better-sqlite3', 'better-sqlite3'],
  ['node-pty', 'node-pty'],
  ['croner', 'croner'],
  ['smol-toml', 'smol-toml'],
  ['ipaddr.js', 'ipaddr.js'],
  ['web-push', 'web-push'],
  ['qrcode', 'qrcode'],
  ['all of the above packages the daemon loads', 'ws,cookie,zod,zod/mini,better-sqlite3,node-pty,croner,smol-toml,ipaddr.js'],
  ['roost: the CLI (what every command loads)', '../src/cli/main.js'],
  ['roost: server/app (web server, routes)', '../src/server/app.js'],
  ['roost: browser terminals (bridge, node-pty)', '../src/server/terminal/terminals.js'],
  ['roost: notify service', '../src/notify/daemon-service.js'],
  ['roost: attention service', '../src/attention/daemon-service.js'],
  ['roost: jobs service', '../src/jobs/daemon-service.js'],
  ['roost: health service', '../src/health/daemon-service.js'],
  ['roost: slurm service', '../src/slurm/daemon-service.js'],
  ['roost: restore service', '../src/restore/daemon-service.js'],
  ['roost: schedule service', '../src/schedule/daemon-service.js'],
  ['roost: the whole daemon (daemon.js)', '../src/daemon/daemon.js'],
];

/** The daemon's start flags (bin/roost) and the young generation held small: the figures are what the modules keep. */
const CHILD_FLAGS = ['--no-opt', '--no-sparkplug', '--max-semi-space-size=1', '--expose-gc'];

function measure(spec: string | undefined): Promise<Resident & { heap: number }> {
  const p = spawn(process.execPath, [...CHILD_FLAGS, join(here, 'rss-module.js'), ...(spec ? [spec] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  p.stdout.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve, reject) => p.on('exit', (c) => (c === 0 ? resolve(JSON.parse(out) as Resident & { heap: number }) : reject(new Error(`${spec}: exit ${c}`)))));
}

async function modules(samples: number): Promise<void> {
  const take = async (spec: string | undefined) => {
    const xs = [];
    for (let i = 0; i < samples; i++) xs.push(await measure(spec));
    return { rss: median(xs.map((x) => x.rss)), anon: median(xs.map((x) => x.anon)), heap: median(xs.map((x) => x.heap)) };
  };
  const base = await take(undefined);
  console.log(`\nmodules, each alone over a bare node (${f1(base.rss)} MB, anon ${f1(base.anon)}, heap ${f1(base.heap)}), median of ${samples}:`);
  console.log(`${'module'.padEnd(46)}   RSS MB   anon MB   heap MB`);
  for (const [label, spec] of MODULES) {
    const m = await take(spec);
    console.log(`${label.padEnd(46)} ${f1(m.rss - base.rss).padStart(7)} ${f1(m.anon - base.anon).padStart(9)} ${f1(m.heap - base.heap).padStart(9)}`);
  }
}

const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 3;
/** `--node-arg X` (repeatable): a flag for the daemons' node, to compare with and without it. */
const daemonArgs = argv.flatMap((a, i) => (a === '--node-arg' && argv[i + 1] ? [argv[i + 1]!] : []));
console.log(`roost serve at rest (${runs} starts; node ${process.version}):`);
if (!argv.includes('--no-daemon')) await daemonAtRest(runs);
if (!argv.includes('--no-modules')) await modules(Number(argv[argv.indexOf('--samples') + 1]) || 1);
