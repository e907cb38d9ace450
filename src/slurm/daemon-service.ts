/**
 * Node sessions as a daemon service: the daemon is the poller (poller.ts)
 * for the node sessions of its tmux server, so the windows need not be;
 * it looks again at once when a record changes (a window saw a grant or an
 * end), sends the news through notify, and adds each node session's
 * allocation to the sessions listing (`node` on SessionInfo) for the
 * dashboard, where a session renamed moves its record to the new name. At
 * start it keeps an allocation's variables out of the tmux server's global
 * environment.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import type { DaemonContext, Service } from '../daemon/service.js';
import { notifyService } from '../notify/daemon-service.js';
import type { NodeAllocation } from '../shared/api.js';
import { ensurePrivateDir } from '../config/files.js';
import { allocationOf } from './allocation.js';
import { withoutAllocation } from './env.js';
import { NodePoller } from './poller.js';
import { followSessionNames, heldHere, listRecords, recordsDir, thisHost } from './records.js';
import { scrubServerEnvironment } from './sessions.js';

/** Record changes come in bursts (a temp file, then the rename): look once they settle (ms). */
const SETTLE_MS = 200;

export interface SlurmService extends Service {
  /** Look at Slurm now (tests, and record changes). */
  tick(): Promise<void>;
  /** Node session allocations as last seen, by session name. */
  allocations(): ReadonlyMap<string, NodeAllocation>;
}

export function slurmService(ctx: DaemonContext): SlurmService {
  const notifier = ctx.get(notifyService).notifier;
  const host = thisHost();
  const socket = ctx.tmux.socket ?? null;
  const poller = new NodePoller({
    stateDir: ctx.paths.stateDir, host, tmux: ctx.tmux, env: withoutAllocation(ctx.env), role: 'daemon', config: ctx.config,
    notify: (e) => notifier.handle(e),
    forget: (source, thread) => notifier.forget(source, thread),
    onError: (what, e) => ctx.log.warn({ err: e as Error }, what),
  });
  let allocations = new Map<string, NodeAllocation>();
  let timer: NodeJS.Timeout | null = null;
  let settle: NodeJS.Timeout | null = null;
  let watcher: FSWatcher | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const refreshAllocations = () => {
    const file = poller.file();
    const next = new Map<string, NodeAllocation>();
    for (const r of listRecords(ctx.paths.stateDir)) {
      if (!heldHere(r, host, socket)) continue;
      next.set(r.name, allocationOf(r, { job: r.jobId ? file?.jobs[r.jobId] : undefined, gone: r.jobId !== null && (file?.gone.includes(r.jobId) ?? false), polledAt: file?.polledAt ?? null }));
    }
    allocations = next;
  };

  const watchRecords = () => {
    const dir = recordsDir(ctx.paths.stateDir);
    if (watcher || !existsSync(dir)) return;
    try {
      watcher = watch(dir, () => {
        if (settle) clearTimeout(settle);
        settle = setTimeout(() => void tick(), SETTLE_MS);
      });
      // A watch that breaks (the folder removed) leaves the interval, which still looks.
      watcher.on('error', () => {
        watcher?.close();
        watcher = null;
      });
    } catch {
      // No watching here (inotify limits, a file system without it): the interval still looks.
    }
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), ms);
  };

  /** One look at a time; a tick asked for during one runs after it. */
  const tick = async (): Promise<void> => {
    if (running) return running.then(() => tick());
    running = (async () => {
      let next = ctx.config().node.poll_seconds * 1000;
      try {
        watchRecords();
        next = (await poller.tick()).nextMs;
        refreshAllocations();
      } catch (e) {
        ctx.log.warn({ err: e as Error }, 'looking after node sessions failed');
      }
      schedule(next);
    })().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    name: 'slurm',
    tick,
    allocations: () => allocations,
    decorate(sessions) {
      // A session renamed on the dashboard (or with tmux): its record moves to the new name at once, so the card
      // keeps its allocation and roost node NEW finds it.
      const nodes = sessions.filter((s) => s.kind === 'node');
      if (nodes.length && followSessionNames(ctx.paths.stateDir, host, socket, nodes)) refreshAllocations();
      for (const s of sessions) if (s.kind === 'node') s.node = allocations.get(s.name) ?? null;
    },
    async start() {
      // The folder exists from the start, so that the first record a CLI writes wakes the poller at once.
      ensurePrivateDir(recordsDir(ctx.paths.stateDir));
      await scrubServerEnvironment(ctx.tmux).catch((e: unknown) => ctx.log.warn({ err: e as Error }, 'could not clear Slurm variables from the tmux server'));
      refreshAllocations();
      void tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (settle) clearTimeout(settle);
      watcher?.close();
      await running;
    },
  };
}
