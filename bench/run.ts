/**
 * `npm run bench`: Roost's terminal path against the floor, in one run, on
 * one private tmux server. The floor is node-pty running `tmux attach`
 * directly: the least any web terminal on tmux can cost. Prints each figure
 * for both and their ratio, with the target it is held to.
 *
 *   echo latency   one key written, time to the next output chunk (200 keys)
 *   throughput     20 MB printed in the session, time until a sentinel shows
 *   attach         connect to first screen (marker visible)
 *   50 clients     50 readers on one streaming session, time until all saw it
 *   50 viewers     the same with 50 read-only logins (a share link), which
 *                  share one tmux client (viewer-shares.ts)
 *   stalled client daemon + tmux server growth while one client stops reading
 *                  during 20 MB, and its time to the current screen once it
 *                  reads again (bench/stall.ts)
 *
 * With a ttyd installed (bench/ttyd.ts), the same run then measures Roost
 * against ttyd: attach, echo, fan-out, idle CPU and memory, as ratios.
 *
 * Then, each on its own private tmux server and daemon:
 *
 *   listing        the dashboard's list of 200 sessions x 4 windows: GET
 *                  /api/sessions (wall time, and the daemon's CPU per
 *                  request) with nothing changed and right after a change,
 *                  the /api/events feed's first listing, and the daemon's
 *                  idle CPU with and without a dashboard open
 *                  (bench/listing.ts); goal < 50 ms
 *   notify         from a window's last output to its "waiting" webhook,
 *                  minus the silence threshold, and from a bell to its
 *                  webhook (bench/notify.ts); goal < 2 s
 *
 * `npm run bench -- listing notify` runs only the parts named (terminal,
 * listing, notify). BENCH_CPU_PROF=DIR has every daemon write a V8 CPU
 * profile there when it stops; the profiler's own thread then shows in the
 * CPU figures.
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newSession, sendText, sendKeys, attachArgs, type TmuxClient } from '../src/tmux/index.js';
import { floorClient, roostClient, type TermClient } from './clients.js';
import { startDaemon, type Daemon } from './daemon.js';
import { stalledClient } from './stall.js';
import { summarize, ms, mb } from './stats.js';
import { findTtyd, versusTtyd } from './ttyd.js';
import { privateTmux } from './tmux-server.js';
import { benchListing } from './listing.js';
import { benchNotify } from './notify.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The daemon as users and the service start it (bin/roost: it starts `serve` without the optimizing compiler).
const cli = join(root, 'bin', 'roost');
const STREAM_BYTES = 20_000_000;
const KEYS = 200;
const ATTACHES = 10;
const CLIENTS = 50;

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

/** Resolve when `text` has appeared in a client's output (searched across chunk borders). */
function waitForText(c: TermClient, text: string, timeoutMs = 120_000): Promise<void> {
  let tail = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${text}`)), timeoutMs);
    c.onOutput((chunk) => {
      tail = (tail + chunk.toString('latin1')).slice(-4096);
      if (tail.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

type Connect = () => Promise<TermClient>;

async function echoLatency(connect: Connect): Promise<number[]> {
  const c = await connect();
  await sleep(300);
  let next: (() => void) | null = null;
  c.onOutput(() => { next?.(); next = null; });
  const samples: number[] = [];
  for (let i = 0; i < KEYS; i++) {
    const got = new Promise<void>((r) => { next = r; });
    const t0 = performance.now();
    c.write(i % 50 === 49 ? '\r' : 'a');
    await got;
    if (i % 50 !== 49) samples.push(performance.now() - t0);
    await sleep(5); // let tmux finish the redraw of this key
  }
  c.close();
  return samples;
}

let streamRun = 0;
async function stream(tmux: TmuxClient, target: string, clients: TermClient[]): Promise<number> {
  const n = 100_000 + ++streamRun;
  // The sentinel is computed by the shell, so the echoed command line cannot match it.
  const seen = clients.map((c) => waitForText(c, `DONE-${n + 1}`));
  const t0 = performance.now();
  await sendText(tmux, target, `head -c ${(STREAM_BYTES * 3) / 4} /dev/urandom | base64 -w 100; echo DONE-$((${n}+1))`);
  await sendKeys(tmux, target, 'Enter');
  await Promise.all(seen);
  return performance.now() - t0;
}

async function attachTime(connect: Connect, marker: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < ATTACHES; i++) {
    const t0 = performance.now();
    let c: TermClient | undefined;
    const seen = new Promise<void>((resolve) => {
      void connect().then((client) => {
        c = client;
        void waitForText(client, marker).then(resolve);
      });
    });
    await seen;
    out.push(performance.now() - t0);
    c!.close();
    await sleep(200);
  }
  return out;
}

function row(name: string, floor: string, roost: string, ratio: string, target: string): void {
  console.log(`${name.padEnd(26)} ${floor.padStart(14)} ${roost.padStart(14)} ${ratio.padStart(9)}   ${target}`);
}

async function terminal(): Promise<void> {
  const server = privateTmux('term');
  const { tmux, env, socket } = server;
  let daemon: Daemon | undefined;
  try {
    for (const s of ['echo', 'stream', 'screen']) await newSession(tmux, { name: s, width: 120, height: 40, command: s === 'echo' ? ['cat'] : ['sh'] });
    const serverPid = await server.serverPid();
    await sendText(tmux, '=screen:', 'clear; echo SCREEN-$((40+2))');
    await sendKeys(tmux, '=screen:', 'Enter');
    daemon = await startDaemon(cli, env);
    const d = daemon;
    const floor = (session: string): Connect => async () => floorClient(tmux.argv(attachArgs(session)), env);
    const roost = (session: string, ack = true): Connect => () => roostClient({ port: d.port, cookie: d.cookie, session }, 120, 40, { ack });
    const viewerCookie = await d.readOnlyCookie();
    const viewer = (session: string): Connect => () => roostClient({ port: d.port, cookie: viewerCookie, session }, 120, 40);

    console.log(`Roost benchmark: tmux socket ${socket}, daemon pid ${d.proc.pid}, node ${process.version}`);
    row('', 'floor', 'roost', 'ratio', 'target');
    // At rest before any browser came: the start has settled (5 s) and V8 has given back what it held (~8 s more).
    await sleep(15_000);
    row('daemon RSS at rest, fresh', '', mb(d.rss()), '', `<= 60 MB: ${d.rss() <= 60 * 2 ** 20 ? 'met' : 'MISSED'}`);

    const ef = summarize(await echoLatency(floor('echo')));
    const er = summarize(await echoLatency(roost('echo')));
    row('echo p50', ms(ef.p50), ms(er.p50), `+${(er.p50 - ef.p50).toFixed(2)}ms`, `within 0.5 ms of floor: ${er.p50 - ef.p50 <= 0.5 ? 'met' : 'MISSED'}`);
    row('echo p99', ms(ef.p99), ms(er.p99), `+${(er.p99 - ef.p99).toFixed(2)}ms`, '');

    const tf: number[] = [];
    const tr: number[] = [];
    for (let i = 0; i < 3; i++) {
      const f = await floor('stream')();
      tf.push(await stream(tmux, '=stream:', [f]));
      f.close();
      const r = await roost('stream')();
      tr.push(await stream(tmux, '=stream:', [r]));
      r.close();
    }
    const mbps = (t: number) => STREAM_BYTES / 1e6 / (t / 1000);
    const fT = mbps(Math.min(...tf));
    const rT = mbps(Math.min(...tr));
    row('throughput (best of 3)', `${fT.toFixed(1)} MB/s`, `${rT.toFixed(1)} MB/s`, `${((rT / fT) * 100).toFixed(0)}%`, `>= 85% of floor: ${rT / fT >= 0.85 ? 'met' : 'MISSED'}`);

    const af = summarize(await attachTime(floor('screen'), 'SCREEN-42'));
    const ar = summarize(await attachTime(roost('screen'), 'SCREEN-42'));
    row('attach to first screen p50', ms(af.p50), ms(ar.p50), `${(ar.p50 / af.p50).toFixed(2)}x`, '');

    const many = async (connect: Connect) => {
      const cs: TermClient[] = [];
      for (let i = 0; i < CLIENTS; i++) cs.push(await connect());
      await sleep(500);
      const t = await stream(tmux, '=stream:', cs);
      cs.forEach((c) => c.close());
      await sleep(500);
      return t;
    };
    const mf = await many(floor('stream'));
    const mr = await many(roost('stream'));
    row(`${CLIENTS} clients, 20 MB`, ms(mf), ms(mr), `${(mr / mf).toFixed(2)}x`, 'all clients saw the end');
    const mv = await many(viewer('stream'));
    row(`${CLIENTS} viewers, 20 MB`, ms(mf), ms(mv), `${(mv / mf).toFixed(2)}x`, 'read-only: one shared tmux client');

    const stalled = await roostClient({ port: d.port, cookie: d.cookie, session: 'stream' }, 120, 40, { ack: false });
    const reader = await roost('stream')();
    const st = await stalledClient({
      stalled, reader, daemonPid: d.proc.pid!, tmuxPid: serverPid,
      stream: async (cs) => ({ ms: await stream(tmux, '=stream:', cs), sentinel: `DONE-${100_000 + streamRun + 1}` }),
      waitForText: (c, text) => waitForText(c, text),
    });
    stalled.close();
    reader.close();
    const grew = st.daemonGrowth + st.tmuxGrowth;
    row('1 client stalled: growth', '', mb(grew), '', `daemon +${mb(st.daemonGrowth)}, tmux +${mb(st.tmuxGrowth)}: < 20 MiB ${grew < 20 * 1024 * 1024 ? 'met' : 'MISSED'}`);
    row('stalled client back', '', ms(st.recoverMs), '', `current screen within 100 ms: ${st.recoverMs <= 100 ? 'met' : 'MISSED'}`);
    const ttyd = findTtyd(env);
    if (ttyd) await versusTtyd({ bin: ttyd, env, attachArgv: (s) => tmux.argv(attachArgs(s)), roost, viewer, roostPid: d.proc.pid!, echo: echoLatency, attach: attachTime, many, row });
    else console.log('\nno ttyd (TTYD_BIN, PATH or /tmp/termbench-ttyd/ttyd): the comparison with it is left out');
  } finally {
    // Each step on its own: one failing must not leave the others' processes running.
    await daemon?.stop().catch((e: unknown) => console.error(`bench: stopping the daemon: ${String(e)}`));
    await server.stop();
  }
}

/** The parts, in the order they run; `npm run bench -- listing notify` runs only those named. */
const PARTS: Record<string, () => Promise<void>> = {
  terminal,
  listing: () => benchListing({ cli, row }),
  notify: () => benchNotify({ cli, row }),
};

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((p) => !(p in PARTS));
  if (unknown.length) throw new Error(`no part named ${unknown.join(', ')}: pick from ${Object.keys(PARTS).join(', ')}`);
  for (const [name, run] of Object.entries(PARTS)) if (asked.length === 0 || asked.includes(name)) await run();
}

main().then(() => process.exit(0), (e) => {
  console.error(`bench: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
