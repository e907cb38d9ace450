/**
 * Notifications as a daemon service: the notify stack (notifier.ts) over the
 * daemon's database, holding back events about windows someone is looking
 * at, with the push-subscription and channel routes (routes.ts). Sources
 * (attention today; jobs, schedules, node sessions, restore) take it with
 * ctx.get(notifyService) and hand it NotifyEvents.
 */
import type { DaemonContext, Service } from '../daemon/service.js';
import { createNotifier, type Notifier } from './notifier.js';
import { notifyRoutes } from './routes.js';

export interface NotifyService extends Service {
  readonly notifier: Notifier;
}

export function notifyService(ctx: DaemonContext): NotifyService {
  const notifier = createNotifier({
    db: ctx.db,
    stateDir: ctx.paths.stateDir,
    publicUrl: ctx.publicUrl,
    isBeingWatched: (sessionId, windowId) => ctx.terminals.isLookedAt(sessionId, windowId),
    // A channel down or a key unreadable is logged; the message carries no secret.
    onError: (what, e) => ctx.log.warn({ err: e as Error }, what),
  });
  return {
    name: 'notify',
    notifier,
    routes: [notifyRoutes(notifier)],
    stop: () => notifier.close(),
  };
}
