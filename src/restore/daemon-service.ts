/**
 * Snapshots and restore as a daemon service.
 *
 *  - At start, when the tmux server is not the one the latest snapshot was
 *    taken of (a reboot, tmux restarted), it restores by itself every saved
 *    session not running ([restore] auto, on by default), and sends one
 *    notification saying what it restored and which saved sessions it left
 *    out because one of that name already ran (a login made it first), and
 *    marks the server as holding that snapshot's sessions now
 *    (previous-server.ts). On the snapshot's own server (only the daemon
 *    restarted), or one so marked, it restores only when none of them
 *    runs: one missing was ended on purpose. With auto
 *    off it pauses its own snapshots instead, so the empty server never
 *    pushes the last real snapshot aside, until one of those sessions is
 *    back (roost restore) or `roost snapshot` is run.
 *  - It snapshots after every structural change it sees in the sessions
 *    feed (sessions, windows, panes come and go or are renamed), debounced,
 *    and every [restore] interval seconds while output changes.
 *  - A restored session carries a mark (RESTORED_OPTION) that the dashboard
 *    shows; the first time a client is attached to it, the mark goes.
 * One snapshot runs at a time; a request while one runs makes one more.
 */
import type { DaemonContext, Service, ServiceFactory } from '../daemon/service.js';
import { sessionKind, type SessionInfo } from '../shared/api.js';
import { RESTORED_OPTION, listSessions, unsetSessionOption, type TmuxClient } from '../tmux/index.js';
import { roostOnServer } from '../cli/command-words.js';
import { notifyService } from '../notify/daemon-service.js';
import { attentionService } from '../attention/daemon-service.js';
import { takeSnapshot, type SnapshotResult } from './snapshot.js';
import { restoreNames, runningAs } from './plan.js';
import { planFor, runRestore, snapshotStore } from './restore.js';
import { restoreNotifyEvent } from './notify-events.js';
import { formatOutcome } from './format.js';
import { quoteWord } from './quote.js';
import type { RestoreOutcome } from './execute.js';
import { restoreRoutes } from './routes.js';
import { markTookOver, sameServer, serverHistory } from './previous-server.js';

/** After a structural change, wait this long (ms) for more before snapshotting: a layout being built is one snapshot. */
export const DEBOUNCE_MS = 5000;
/** Changes that never stop (a script opening windows in a loop) still get a snapshot this often (ms). */
export const MAX_WAIT_MS = 60_000;

export interface RestoreServiceOptions {
  debounceMs?: number;
}

export interface RestoreDaemonService extends Service {
  /** Resolves when the start-up restore and first snapshot are done (the outcome when it restored). */
  readonly startup: Promise<RestoreOutcome | null>;
  /** Snapshots written by this service so far. */
  readonly snapshots: number;
  /** While snapshots wait ([restore] auto off, none of the latest snapshot's sessions running): those sessions' names. */
  readonly pausedFor: readonly string[] | null;
  /** Take a snapshot now (after one that is running). */
  snapshotNow(): Promise<SnapshotResult | null>;
}

/**
 * What makes a listing structurally different: names, kinds, windows and
 * panes, not output or directories. Not the name tmux gives a window after
 * its program either: it changes with every command a shell runs, and a
 * restored window is named by its program again anyway.
 */
export function structureOf(sessions: readonly SessionInfo[]): string {
  return JSON.stringify(sessions.map((s) => [s.name, s.kind, s.windows.map((w) => [w.id, w.index, w.autoName === true ? null : w.name, w.panes.map((p) => p.id)])]));
}

/**
 * What to say of a saved session left out at start because one of its name
 * already ran on a new server (a login's `roost new main` beat the daemon):
 * its saved windows are still in the snapshot, and how to get them.
 */
export function keptSentence(saved: string, runningAs: string, generation: number, roost = 'roost'): string {
  const as = runningAs === saved ? '' : ` as ${runningAs}`;
  return `${saved} was already running${as}; its saved windows: ${roost} kill ${quoteWord(runningAs)}, then ${roost} restore --from ${generation} ${quoteWord(saved)}`;
}

/**
 * `roost` as typed to reach the daemon's tmux server, for the commands its
 * log and notifications suggest: with -L NAME whenever that server has a
 * name, even one the daemon got from ROOST_TMUX_SOCKET (the service unit
 * sets it; the shell that reads the message may not).
 */
export const roostFor = (tmux: TmuxClient): string => roostOnServer(tmux.serverName());

export function createRestoreService(opts: RestoreServiceOptions = {}): ServiceFactory<RestoreDaemonService> {
  return function restoreService(ctx: DaemonContext): RestoreDaemonService {
    const store = snapshotStore(ctx.paths);
    const debounceMs = opts.debounceMs ?? DEBOUNCE_MS;
    let unwatch: (() => void) | null = null;
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<SnapshotResult | null> | null = null;
    let again = false;
    let stopped = false;
    /** Until start-up is over nothing is snapshotted (a half-restored server must not become the latest). */
    let ready = false;
    /** Names of the latest snapshot's sessions while none of them runs and auto restore is off. */
    let pausedFor: string[] | null = null;
    let lastStructure: string | null = null;
    let lastActivity = 0;
    let lastSnapshotAt = 0;
    let count = 0;
    let startup: Promise<RestoreOutcome | null> = Promise.resolve(null);
    const clearing = new Set<string>();

    const config = () => ctx.config().restore;
    const paneAgents = () => ctx.get(attentionService).attention.paneAgents;

    const snapshotOnce = async (): Promise<SnapshotResult | null> => {
      const c = config();
      const r = await takeSnapshot({ tmux: ctx.tmux, store, lines: c.lines, keep: c.keep, paneAgents: () => paneAgents().list() });
      lastSnapshotAt = Date.now();
      if (r.snapshot) {
        count++;
        for (const x of r.snapshot.sessions) for (const w of x.windows) for (const p of w.panes) lastActivity = Math.max(lastActivity, p.activity);
      }
      return r;
    };
    const snapshotNow = (): Promise<SnapshotResult | null> => {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        try {
          let r = await snapshotOnce();
          while (again && !stopped) {
            again = false;
            r = await snapshotOnce();
          }
          return r;
        } finally {
          running = null;
        }
      })();
      return running;
    };
    const snapshotLogged = () => {
      snapshotNow().catch((e: unknown) => ctx.log.warn({ err: e as Error }, 'taking a snapshot failed'));
    };
    /** When the first change of the pending snapshot was seen (0: none pending). */
    let pendingSince = 0;
    /** Snapshot `ms` after the last change; a change pushes it back (a restore or a layout being built is one snapshot), for at most MAX_WAIT_MS. */
    const schedule = (ms: number) => {
      if (stopped) return;
      const now = Date.now();
      if (timer && now - pendingSince >= MAX_WAIT_MS) return;
      if (timer) clearTimeout(timer);
      else pendingSince = now;
      timer = setTimeout(() => {
        timer = null;
        pendingSince = 0;
        if (!stopped) snapshotLogged();
      }, ms);
    };

    const clearMarks = (sessions: readonly SessionInfo[]) => {
      for (const s of sessions) {
        if (s.restored === undefined || s.attached === 0 || clearing.has(s.id)) continue;
        clearing.add(s.id);
        unsetSessionOption(ctx.tmux, s.id, RESTORED_OPTION)
          .then(() => ctx.feed.refresh())
          .catch((e: unknown) => ctx.log.warn({ err: e as Error }, `clearing the restored mark of ${s.name} failed`))
          .finally(() => clearing.delete(s.id));
      }
    };

    const onListing = (sessions: readonly SessionInfo[]) => {
      clearMarks(sessions);
      if (!ready || stopped) return;
      if (pausedFor) {
        const live = new Set(sessions.map((s) => s.name));
        if (!pausedFor.some((n) => live.has(n))) return;
        pausedFor = null;
        ctx.log.warn('snapshots resumed: sessions of the latest snapshot are back');
      }
      const structure = structureOf(sessions);
      const activity = Math.max(0, ...sessions.map((s) => s.activity));
      if (lastStructure !== null && structure !== lastStructure) schedule(debounceMs);
      else if (!timer && activity > lastActivity) {
        const dueAt = lastSnapshotAt + config().interval * 1000;
        // Listings come with changes, not by the clock: one is asked for when the interval is over.
        if (Date.now() >= dueAt) schedule(0);
        else ctx.feed.listBy(dueAt);
      }
      lastStructure = structure;
    };

    const start = async (): Promise<RestoreOutcome | null> => {
      let outcome: RestoreOutcome | null = null;
      const latest = store.latest(ctx.tmux.socketPath());
      for (const k of latest.skipped) ctx.log.warn(`${k.problem}; using snapshot ${latest.snapshot?.generation ?? 'none'}`);
      const snap = latest.snapshot;
      if (snap && snap.sessions.length) {
        const listed = await listSessions(ctx.tmux);
        const live = new Set(listed.map((s) => s.name));
        // Made by a restore (roost restore ran before the daemon): that is the saved session, back.
        const restored = new Set(listed.filter((s) => s.restored !== undefined).map((s) => s.name));
        const names = restoreNames(snap.sessions.map((s) => s.name));
        // Saved sessions whose name something else made meanwhile (restore leaves them alone); jobs are never restored anyway.
        const running = snap.sessions.filter((s) => sessionKind(s.kind) !== 'job')
          .flatMap((s) => {
            const as = runningAs(s.name, names, live);
            return as === null || restored.has(as) ? [] : [{ saved: s.name, as }];
          });
        const noneLive = ![...names.keys()].some((n) => runningAs(n, names, live) !== null);
        const history = await serverHistory(store, ctx.tmux);
        // Another tmux server than the snapshot's (a reboot, tmux restarted): every saved session not running is
        // missing, even when a login made `main` before the daemon came up. On the same server only the daemon
        // restarted: a saved session not running was ended on purpose, so restore only when none runs. So too on a
        // server that a restore (roost restore, before the daemon came up) already brought that snapshot onto.
        const newServer = history.running === null || (!sameServer(history.running, snap.server) && !history.tookOver);
        const auto = config().auto;
        const plan = (noneLive || newServer) && auto ? await planFor(ctx.tmux, snap, config(), { live, roost: roostFor(ctx.tmux) }) : null;
        // On a new server with every saved session running (roost restore ran first): nothing to do or say.
        if (plan && (noneLive || plan.sessions.length > 0 || running.length > 0)) {
          outcome = await runRestore({ tmux: ctx.tmux, paths: ctx.paths, store, plan, paneAgents: paneAgents() });
          const kept = running.map((r) => keptSentence(r.saved, r.as, snap.generation, roostFor(ctx.tmux)));
          if (kept.length) {
            // The notification may be read after `keep` more snapshots: the generation it names must still be there (store.ts PIN_MS).
            try {
              store.pin(snap.generation, `named by the daemon's restore at start: ${running.map((r) => r.saved).join(', ')} were already running`);
            } catch (e) {
              ctx.log.warn(`restore: ${(e as Error).message}; snapshot ${snap.generation} goes once ${config().keep} newer ones are taken`);
            }
          }
          outcome.skipped.unshift(...running.map((r, i) => ({ name: r.saved, why: kept[i]! })));
          // What came back, at the level the log shows by default (as "snapshots resumed"): a reboot's one line to look for.
          if (outcome.restored.length) ctx.log.warn(`restore: ${formatOutcome(outcome)}`);
          for (const n of outcome.notes) ctx.log.warn(`restore: ${n}`);
          for (const f of outcome.failed) ctx.log.warn(`restore: ${f.name}: ${f.error}`);
          for (const k of outcome.skipped) ctx.log.warn(`restore: ${k.name}: ${k.why}`);
          const told = restoreNotifyEvent(outcome, snap.createdAt, Date.now(), kept);
          if (told) ctx.get(notifyService).notifier.handle(told);
          await ctx.feed.refresh().catch(() => undefined); // browsers see the sessions now; a failed listing is logged by the feed
        }
        // This server now holds the snapshot's sessions: a later `roost restore` restores from its own snapshots.
        if (plan && newServer && !outcome?.failed.length) {
          await markTookOver(ctx.tmux, history, snap).catch((e: unknown) => ctx.log.warn({ err: e as Error }, 'restore: marking the tmux server as restored failed'));
        }
        if (!auto && (noneLive || newServer)) {
          // Snapshots wait for a missing session to be back, under its own name or the one a restore gives it:
          // one of this server would push the last real snapshot aside.
          const missing = snap.sessions.filter((s) => sessionKind(s.kind) !== 'job' && runningAs(s.name, names, live) === null);
          if (missing.length) {
            pausedFor = [...new Set(missing.flatMap((s) => [s.name, names.get(s.name) ?? s.name]))];
            const which = noneLive ? 'none of its sessions is' : `${missing.length} of its sessions ${missing.length === 1 ? 'is' : 'are'} not`;
            ctx.log.warn(`snapshot ${snap.generation}: ${which} running and [restore] auto is off: snapshots wait until you run ${roostFor(ctx.tmux)} restore (or ${roostFor(ctx.tmux)} snapshot)`);
          }
        }
      }
      if (!pausedFor && !stopped) await snapshotNow();
      return outcome;
    };

    return {
      name: 'restore',
      routes: [restoreRoutes(() => {
        const l = store.latest(ctx.tmux.socketPath()).snapshot;
        return { url: ctx.publicUrl(), snapshots: count, latest: l && { generation: l.generation, createdAt: l.createdAt, sessions: l.sessions.length } };
      })],
      get startup() {
        return startup;
      },
      get snapshots() {
        return count;
      },
      get pausedFor() {
        return pausedFor;
      },
      snapshotNow,
      start() {
        unwatch = ctx.feed.watch((sessions) => onListing(sessions));
        // In the background: the listeners open meanwhile, and a long restore shows up in browsers as it goes.
        startup = start().catch((e: unknown) => {
          ctx.log.error({ err: e as Error }, 'restoring at start failed');
          return null;
        }).finally(() => {
          ready = true;
          // Listings seen before now were not compared: the structure to compare with is the current one (or none,
          // when no listing came yet: the first one with sessions is then a change), else a session made after a
          // quick first listing would never be a change.
          lastStructure ??= structureOf(ctx.feed.current() ?? []);
        });
      },
      async stop() {
        stopped = true;
        unwatch?.();
        if (timer) clearTimeout(timer);
        timer = null;
        // A snapshot or restore half done must finish before the database closes under it.
        await startup.catch(() => undefined);
        await running?.catch(() => undefined);
      },
    };
  };
}

export const restoreService = createRestoreService();
