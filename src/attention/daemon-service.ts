/**
 * Attention as a daemon service: the unit of service.ts (observer, agent
 * hooks, notification channels) wired to the daemon's sessions feed,
 * browser terminals and config, with its routes (routes.ts).
 */
import type { DaemonContext, Service } from '../daemon/service.js';
import { silenceFor } from '../config/config.js';
import { attentionRoutes } from './routes.js';
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
    routes: attentionRoutes(started),
    get attention() {
      return started();
    },
    start() {
      unit = startAttentionService({
        feed: ctx.feed,
        tmux: ctx.tmux,
        db: ctx.db,
        stateDir: ctx.paths.stateDir,
        silenceFor: (name) => silenceFor(ctx.config(), name),
        isBeingWatched: (sessionId, windowId) => ctx.terminals.isLookedAt(sessionId, windowId),
        publicUrl: ctx.publicUrl,
        tmuxSocketPath: ctx.tmux.socketPath(),
        // Background failures (a channel down, tmux gone) are logged once each by kind; they carry no secret.
        onError: (what, e) => ctx.log.warn({ err: e as Error }, what),
      });
    },
    stop() {
      unit?.close();
      unit = null;
    },
  };
}
