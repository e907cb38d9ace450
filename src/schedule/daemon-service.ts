/**
 * Schedules as a daemon service: the cron loop (scheduler.ts) over the
 * schedules table and config.toml, runs started through the jobs service
 * and their ends heard through its onEnded, the schedule routes
 * (routes.ts), and the notifications (notify-events.ts) through the
 * notifier. A run's agent asking for permission is attention's to tell.
 */
import type { DaemonContext, Service } from '../daemon/service.js';
import { notifyService } from '../notify/daemon-service.js';
import { jobsService } from '../jobs/daemon-service.js';
import { Schedules } from './schedules.js';
import { Scheduler } from './scheduler.js';
import { scheduleRoutes } from './routes.js';

export interface ScheduleDaemonService extends Service {
  readonly schedules: Schedules;
  readonly scheduler: Scheduler;
}

export function scheduleService(ctx: DaemonContext): ScheduleDaemonService {
  const jobs = ctx.get(jobsService);
  const schedules = new Schedules({ db: ctx.db, config: ctx.config, home: ctx.paths.home });
  const scheduler = new Scheduler({
    schedules,
    jobs: jobs.jobs,
    stateDir: ctx.paths.stateDir,
    tmux: ctx.tmux,
    configFile: ctx.paths.configFile,
    sessions: () => ctx.feed.refresh(),
    presentMinutes: () => {
      try {
        return ctx.config().schedule.present_minutes;
      } catch {
        return 30; // An invalid config.toml: the documented default until it is fixed.
      }
    },
    notify: (e) => ctx.get(notifyService).notifier.handle(e),
    log: ctx.log,
  });
  // Heard from creation on: the jobs service's first listing may tell ends that happened while no daemon ran.
  const unEnded = jobs.onEnded((j) => {
    try {
      scheduler.jobEnded(j);
    } catch (e) {
      // The database busy: the run stays "running" until the next daemon's recovery finds its job ended.
      ctx.log.warn({ err: e as Error }, 'recording a scheduled run\'s end failed');
    }
  });
  return {
    name: 'schedule',
    schedules,
    scheduler,
    routes: [scheduleRoutes(schedules, scheduler, ctx.tmux, ctx.env['PATH'])],
    async start() {
      await scheduler.start();
    },
    async stop() {
      unEnded();
      scheduler.stop();
      await scheduler.idle();
    },
  };
}
