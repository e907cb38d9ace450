/**
 * Attention as a daemon service: the unit of service.ts (observer, bell
 * hook, agent hooks) wired to the daemon's sessions feed, config and
 * notifier (the notify service, listed before it), with its route (routes.ts).
 */
import type { DaemonContext, Service } from '../daemon/service.js';
import { silenceFor } from '../config/config.js';
import { hookRoutes } from './routes.js';
import { notifyService } from '../notify/daemon-service.js';
import { startAttentionService, type AttentionService } from './service.js';

export interface AttentionDaemonService extends Service {
  /** The running unit; throws before start(). */
  readonly attention: AttentionService;
}

export function attentionService(ctx: DaemonContext): AttentionDaemonService {
  let unit: AttentionService | null = null;
  const started = (): AttentionService => {
    if (!unit) throw new Error('the attention service is not started');
    return unit;
  };
  return {
    name: 'attention',
    routes: [hookRoutes(started)],
    get attention() {
      return started();
    },
    start() {
      unit = startAttentionService({
        feed: ctx.feed,
        tmux: ctx.tmux,
        db: ctx.db,
        notifier: ctx.get(notifyService).notifier,
        silenceFor: (name) => silenceFor(ctx.config(), name),
        seen: (sessionId, windowId) => ctx.terminals.isLookedAt(sessionId, windowId),
        tmuxSocketPath: ctx.tmux.socketPath(),
        // Background failures (tmux gone, a bell hook that would not install) are logged; they carry no secret.
        onError: (what, e) => ctx.log.warn({ err: e as Error }, what),
      });
    },
    stop() {
      unit?.close();
      unit = null;
    },
  };
}
