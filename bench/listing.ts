/**
 * The dashboard's list at scale, part of `npm run bench`: 200 sessions of 4
 * windows (each a shell at its prompt, so every pane costs its /proc look)
 * on a private tmux server, a real `roost serve`, and the two ways the
 * dashboard gets its list (src/web/events.ts): GET /api/sessions when the
 * page opens, and the /api/events WebSocket, whose first message is the
 * listing. Each measure starts once the daemon is quiet (its start sets off
 * a restore snapshot of every pane). Measured, with the goal "< 50 ms of
 * daemon time":
 *
 *   GET, nothing changed   wall time on loopback (p50/p99) and the daemon's
 *                          CPU per request (utime+stime from /proc, over
 *                          rounds of requests: the clock ticks are 10 ms)
 *   GET after a change     the same right after another window was
 *                          selected, so the daemon must ask tmux (and
 *                          /proc) again; beside it the two parts of that
 *                          wait: tmux's (the same list-panes over a control
 *                          connection of the bench's own) and the look in
 *                          /proc (the daemon's code, run in the bench)
 *   events: first listing  open /api/events until the listing arrives
 *   idle                   the daemon's CPU per second while nothing
 *                          changes, with no client and with a dashboard's
 *                          /api/events open; the tmux server's beside it
 */
import WebSocket from 'ws';
import { THEN, listPaneRows, type TmuxArg } from '../src/tmux/index.js';
import { panesAtPrompt } from '../src/process/foreground.js';
import type { SessionInfo } from '../src/shared/api.js';
import { startDaemon, type Daemon } from './daemon.js';
import { cpuSeconds, loadavg, ms, summarize } from './stats.js';
import { privateTmux } from './tmux-server.js';

const SESSIONS = 200;
const WINDOWS = 4;
/** Sessions made per tmux command list: a few processes, not one per window. */
const PER_COMMAND = 25;
const GOAL_MS = 50;
const ROUNDS = 5;
const PER_ROUND = 20;
const CHANGES = 30;
const EVENT_OPENS = 10;
const IDLE_SECONDS = 10;
const SETTLE_MAX_MS = 60_000;

type Row = (name: string, a: string, b: string, ratio: string, target: string) => void;

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const name = (i: number) => `l${String(i).padStart(3, '0')}`;
const met = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** Make SESSIONS x WINDOWS in a few tmux command lists. */
async function makeSessions(run: (args: TmuxArg[]) => Promise<string>): Promise<void> {
  for (let first = 0; first < SESSIONS; first += PER_COMMAND) {
    const args: TmuxArg[] = [];
    for (let i = first; i < Math.min(SESSIONS, first + PER_COMMAND); i++) {
      if (args.length) args.push(THEN);
      args.push('new-session', '-d', '-s', name(i), '-x', '120', '-y', '40', 'sh');
      for (let w = 1; w < WINDOWS; w++) args.push(THEN, 'new-window', '-d', '-t', `=${name(i)}:`, 'sh');
    }
    await run(args);
  }
}

/** GET /api/sessions as the dashboard does; resolves with the wall time and the body. */
async function getList(d: Daemon): Promise<{ ms: number; body: string }> {
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${d.port}/api/sessions`, { headers: { cookie: d.cookie } });
  const body = await res.text();
  const t = performance.now() - t0;
  if (!res.ok) throw new Error(`GET /api/sessions: ${res.status} ${body.slice(0, 200)}`);
  return { ms: t, body };
}

/** Open /api/events like the dashboard; resolves with the socket once its first sessions message arrived, and how long that took. */
function openEvents(d: Daemon): Promise<{ ws: WebSocket; ms: number }> {
  const origin = `http://127.0.0.1:${d.port}`;
  const t0 = performance.now();
  const ws = new WebSocket(`ws://127.0.0.1:${d.port}/api/events`, { headers: { Origin: origin, Cookie: d.cookie } });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    const onMessage = (data: Buffer) => {
      if (!data.toString('utf8', 0, 24).includes('"sessions"')) return;
      ws.off('message', onMessage);
      resolve({ ws, ms: performance.now() - t0 });
    };
    ws.on('message', onMessage);
  });
}

function closeSocket(ws: WebSocket): Promise<void> {
  return new Promise((r) => {
    ws.once('close', () => r());
    ws.close();
  });
}

/**
 * Wait until the daemon has done what its start (or the last step) set off
 * (the restore service snapshots every pane at start): until a second passes
 * in which it used less than 5% of a core, for at most SETTLE_MAX_MS.
 */
async function settle(pid: number): Promise<void> {
  const deadline = performance.now() + SETTLE_MAX_MS;
  for (;;) {
    const c0 = cpuSeconds(pid);
    await sleep(1000);
    if (cpuSeconds(pid) - c0 < 0.05 || performance.now() > deadline) return;
  }
}

/** CPU ms of `pid` spent while `work` runs. */
async function cpuDuring(pid: number, work: () => Promise<unknown>): Promise<number> {
  const c0 = cpuSeconds(pid);
  await work();
  return (cpuSeconds(pid) - c0) * 1000;
}

const range = (xs: readonly number[], f = (x: number) => x.toFixed(1)) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;

export async function benchListing(o: { cli: string; row: Row }): Promise<void> {
  const server = privateTmux('list');
  let daemon: Daemon | undefined;
  try {
    const t0 = performance.now();
    await makeSessions((a) => server.tmux.run(a));
    const tmuxPid = await server.serverPid();
    const made = performance.now() - t0;
    daemon = await startDaemon(o.cli, server.env);
    const d = daemon;
    const pid = d.proc.pid!;
    const first = JSON.parse((await getList(d)).body) as SessionInfo[];
    const windows = first.reduce((n, s) => n + s.windows.length, 0);
    if (first.length !== SESSIONS || windows !== SESSIONS * WINDOWS) throw new Error(`listing has ${first.length} sessions / ${windows} windows, expected ${SESSIONS} / ${SESSIONS * WINDOWS}`);
    const bytes = (await getList(d)).body.length;
    console.log(`\nThe dashboard's list: ${SESSIONS} sessions x ${WINDOWS} windows (made in ${(made / 1000).toFixed(1)} s), ${(bytes / 1024).toFixed(0)} KiB of JSON, daemon pid ${pid}, load ${loadavg()}`);
    o.row('', '', 'roost', '', 'goal');

    // Nothing changed: the daemon lists from what it last read.
    await settle(pid);
    for (let i = 0; i < 10; i++) await getList(d);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      cpu.push((await cpuDuring(pid, async () => {
        for (let i = 0; i < PER_ROUND; i++) wall.push((await getList(d)).ms);
      })) / PER_ROUND);
    }
    const w = summarize(wall);
    const c = summarize(cpu);
    o.row('GET list p50 / p99', '', ms(w.p50), '', `< ${GOAL_MS} ms: ${met(w.p50 < GOAL_MS)}; p99 ${ms(w.p99)}, range ${range(wall)} ms`);
    o.row('GET list, daemon CPU', '', ms(c.p50), '', `< ${GOAL_MS} ms: ${met(c.p50 < GOAL_MS)}; per request, ${ROUNDS} rounds of ${PER_ROUND}: ${range(cpu)} ms`);

    // After a change: another window selected (tmux tells the daemon at once; not a change of
    // structure, so no restore snapshot follows), then GET until the listing shows it.
    await settle(pid);
    const cwall: number[] = [];
    let retries = 0;
    const ccpu = await cpuDuring(pid, async () => {
      for (let i = 0; i < CHANGES; i++) {
        const index = 1 + (i % (WINDOWS - 1));
        await server.tmux.run(['select-window', '-t', `=${name(i)}:${index}`]);
        for (;;) {
          const r = await getList(d);
          const s = (JSON.parse(r.body) as SessionInfo[]).find((x) => x.name === name(i));
          if (s?.windows.find((x) => x.active)?.index === index) {
            cwall.push(r.ms);
            break;
          }
          retries++;
        }
        await sleep(50);
      }
    });
    const cw = summarize(cwall);
    o.row('GET after a change p50', '', ms(cw.p50), '', `< ${GOAL_MS} ms: ${met(cw.p50 < GOAL_MS)}; p99 ${ms(cw.p99)}, range ${range(cwall)} ms, ${retries} GETs before tmux told`);
    const perChange = ccpu / CHANGES;
    o.row('  daemon CPU per change', '', ms(perChange), '', `< ${GOAL_MS} ms: ${met(perChange < GOAL_MS)}; the change, the GETs, the feed's ticks meanwhile`);

    // Where the wall time goes: tmux's own part (the same listing over a control connection of
    // the bench's own) and the look in /proc for shells at their prompt (the daemon's code, run here).
    const ctl = server.tmux.withControl();
    const tl: number[] = [];
    const pl: number[] = [];
    try {
      await ctl.control!.connect(true);
      for (let i = 0; i < 10; i++) {
        const t1 = performance.now();
        const rows = await listPaneRows(ctl);
        tl.push(performance.now() - t1);
        const t2 = performance.now();
        await panesAtPrompt(rows.map((r) => ({ id: r.paneId, pid: r.panePid, command: r.paneCommand })));
        pl.push(performance.now() - t2);
      }
    } finally {
      ctl.control!.close();
    }
    o.row('  of which tmux lists', '', ms(summarize(tl).p50), '', `list-panes -a over a control connection: the tmux server's time; range ${range(tl)} ms`);
    o.row('  of which /proc', '', ms(summarize(pl).p50), '', `shells at their prompt (${SESSIONS * WINDOWS} panes); range ${range(pl)} ms`);

    // The feed: what a dashboard's /api/events gets first.
    const ev: number[] = [];
    for (let i = 0; i < EVENT_OPENS; i++) {
      const { ws, ms: t } = await openEvents(d);
      ev.push(t);
      await closeSocket(ws);
    }
    const e = summarize(ev);
    o.row('events: first listing p50', '', ms(e.p50), '', `< ${GOAL_MS} ms: ${met(e.p50 < GOAL_MS)}; socket open to listing, range ${range(ev)} ms`);

    // Idle: nothing changes, first with nobody watching, then with a dashboard's feed open.
    const idle = async (label: string, goal: (pct: number) => string) => {
      await settle(pid);
      const t1 = performance.now();
      const d0 = cpuSeconds(pid);
      const m0 = cpuSeconds(tmuxPid);
      await sleep(IDLE_SECONDS * 1000);
      const secs = (performance.now() - t1) / 1000;
      const dms = ((cpuSeconds(pid) - d0) * 1000) / secs;
      const tms = ((cpuSeconds(tmuxPid) - m0) * 1000) / secs;
      o.row(label, '', `${(dms / 10).toFixed(2)}%`, '', `${goal(dms / 10)}${dms.toFixed(1)} ms/s of the daemon; tmux server ${(tms / 10).toFixed(2)}%; ${IDLE_SECONDS} s`);
    };
    await idle('idle, no client', (pct) => `<= 0.1% of a core: ${met(pct <= 0.1)}; `);
    const { ws } = await openEvents(d);
    try {
      await idle('idle, a dashboard open', () => '');
    } finally {
      await closeSocket(ws);
    }
  } finally {
    await daemon?.stop().catch((e: unknown) => console.error(`bench: stopping the daemon: ${String(e)}`));
    await server.stop();
  }
}
