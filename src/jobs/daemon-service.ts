/**
 * Jobs as a daemon service: the jobs object over the daemon's database and
 * tmux server, the job routes (routes.ts), and the watcher that notices
 * ended jobs. On every listing of the sessions feed it judges the jobs not
 * yet handled: a job that ended (its runner recorded it) or was lost (its
 * pane is gone) is handled once: a notification when it asked for one
 * (--notify, or config [jobs] notify), and onEnded listeners (the scheduler).
 * Finished jobs past the retention period are removed every hour.
 *
 * For other features:
 *   const jobs = ctx.get(jobsService);
 *   const job = await jobs.jobs.start({ command: ['make', 'test'], cwd: '/srv/app' });
 *   jobs.onEnded((j) => { if (j.name === job.name) ... j.state, j.exitCode, j.signal });
 */
import type { DaemonContext, Service } from '../daemon/service.js';
import type { SessionInfo } from '../shared/api.js';
import type { JobInfo } from '../shared/jobs.js';
import { notifyService } from '../notify/daemon-service.js';
import { Jobs } from './jobs.js';
import { decorateJobWindows } from './windows.js';
import { jobRoutes, panesOf } from './routes.js';
import { jobEndEvent } from './notify-events.js';
import { findPane, judge, missingMeansLostAfter } from './state.js';

/** How often (ms) finished jobs past their retention are removed. */
const SWEEP_MS = 60 * 60 * 1000;
/** How soon (ms) a job whose pane is gone but whose runner lives is looked at again (its runner records the end within a second). */
const RUNNER_RECHECK_MS = 1000;
/** The same once that has lasted RUNNER_PATIENCE_MS: a program that ignores the hangup runs on, terminal-less, for as long as it likes. */
const RUNNER_RECHECK_SLOW_MS = 30_000;
const RUNNER_PATIENCE_MS = 10_000;
/** A job that ended this long (ms) before the daemon started is old news: marked as told, not sent. */
const OLD_NEWS_MS = 10 * 60 * 1000;

export interface JobsDaemonService extends Service {
  readonly jobs: Jobs;
  /** Hear of every job that ends (exited, killed, lost), once, within a listing (about a second). Returns unsubscribe. */
  onEnded(fn: (job: JobInfo) => void): () => void;
}

export function jobsService(ctx: DaemonContext): JobsDaemonService {
  const jobs = new Jobs({ db: ctx.db, stateDir: ctx.paths.stateDir, config: ctx.config, tmux: ctx.tmux, env: ctx.env });
  const listeners = new Set<(job: JobInfo) => void>();
  let unwatch: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;
  let startedAt = 0;
  /** Jobs whose pane is gone while their runner lives: since when (epoch ms), to look less often after a while. */
  const paneGone = new Map<number, number>();

  const handleEnds = (sessions: readonly SessionInfo[], polledAt: number) => {
    const panes = panesOf(sessions);
    for (const row of jobs.store.untold()) {
      if (row.tmuxSocket !== jobs.socket) continue;
      const pane = findPane(row, panes);
      const running = judge(row, pane, polledAt, () => jobs.runnerLives(row)).state === 'running';
      if (!running || pane !== null) paneGone.delete(row.id);
      if (running) {
        // A job not in the listing is lost once it has had time to start, or soon ends by its runner's record
        // (its session was killed): a listing must tell then, tmux saying nothing.
        if (pane === null) {
          const since = paneGone.get(row.id) ?? polledAt;
          paneGone.set(row.id, since);
          const again = polledAt - since < RUNNER_PATIENCE_MS ? RUNNER_RECHECK_MS : RUNNER_RECHECK_SLOW_MS;
          ctx.feed.listBy(Math.max(missingMeansLostAfter(row) + 1, polledAt + again));
        }
        continue;
      }
      const info = jobs.describe(row, panes, polledAt);
      if (!jobs.store.markTold(row.id, Date.now())) continue;
      const notify = row.notify ?? ctx.config().jobs.notify;
      const old = (info.ended ?? polledAt) < startedAt - OLD_NEWS_MS;
      if (notify) ctx.get(notifyService).notifier.handle(jobEndEvent(info, { stopped: row.stopRequested !== null, baseline: old }));
      for (const fn of listeners) {
        try {
          fn(info);
        } catch (e) {
          // One listener's failure must not keep the others (or the next job) from hearing.
          ctx.log.warn({ err: e as Error }, 'a job-end listener failed');
        }
      }
    }
  };

  const sweep = () => {
    jobs.sweep().catch((e: unknown) => ctx.log.warn({ err: e as Error }, 'removing expired jobs failed'));
  };

  return {
    name: 'jobs',
    jobs,
    routes: [jobRoutes(jobs, ctx.feed)],
    decorate(sessions) {
      // The dashboard names a job window's program, not the runner (node) that holds the pane, and shows how
      // it ended as the job's record says.
      if (!sessions.some((s) => s.kind === 'job')) return;
      try {
        decorateJobWindows(sessions, jobs.store.all().filter((r) => r.tmuxSocket === jobs.socket));
      } catch (e) {
        ctx.log.warn({ err: e as Error }, 'decorating job windows failed');
      }
    },
    onEnded(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    start() {
      startedAt = Date.now();
      unwatch = ctx.feed.watch((sessions, polledAt) => {
        try {
          handleEnds(sessions, polledAt);
        } catch (e) {
          // The database busy or a folder unreadable: the next listing tries again.
          ctx.log.warn({ err: e as Error }, 'checking jobs failed');
        }
      }, { everyListing: true });
      sweep();
      timer = setInterval(sweep, SWEEP_MS);
    },
    stop() {
      unwatch?.();
      if (timer) clearInterval(timer);
      unwatch = timer = null;
    },
  };
}
