/**
 * Says when the tmux server that holds the sessions goes away and when one
 * runs again: once in the log, to every browser (a `tmux` message on the
 * events socket, kept for browsers that connect during the outage), and as
 * a notification. Without it, `tmux kill-server` or a crash of tmux looks
 * like every session vanishing at once with nothing said.
 */
import type { DaemonContext, Service } from '../daemon/service.js';
import type { ServerChange } from '../sessions/server-state.js';
import type { NotifyEvent } from '../notify/event.js';
import { notifyService } from '../notify/daemon-service.js';

export const HEALTH_SOURCE = 'roost';
/** What channels may filter on (`roost notify add --states`). */
export const HEALTH_KINDS = ['tmux-stopped', 'tmux-started'] as const;

/** The notification for one change (a server replaced between two listings reads as started, saying the old sessions are gone). */
export function tmuxServerEvent(c: ServerChange): NotifyEvent {
  const stopped = c.current === null;
  return {
    source: HEALTH_SOURCE,
    kind: stopped ? 'tmux-stopped' : 'tmux-started',
    severity: stopped ? 'attention' : 'info',
    subject: { id: 'roost:tmux-server', session: null, window: null, link: '/' },
    title: stopped ? 'Roost — the tmux server stopped' : 'Roost — a tmux server runs again',
    body: stopped
      ? 'Every session in it ended. Start one with roost, or from the dashboard.'
      : c.previous === null ? 'Sessions can be reached again.' : 'The tmux server was restarted: sessions from before it are gone.',
    icon: stopped ? 'warning' : 'white_check_mark',
    at: c.at,
    dedupe: { thread: 'tmux-server', key: String(c.at) },
    baseline: false,
  };
}

export function healthService(ctx: DaemonContext): Service {
  let unlisten: (() => void) | null = null;
  return {
    name: 'health',
    start() {
      const { notifier } = ctx.get(notifyService);
      // A server appearing is news only after one went away (or was replaced): the first one after the
      // daemon started (roost new, a restore at start) is how things begin, not a recovery.
      let stopped = false;
      unlisten = ctx.server.onChange((c) => {
        const running = c.current !== null;
        if (running && c.previous === null && !stopped) return;
        stopped = !running;
        if (!running) ctx.log.warn(`the tmux server (pid ${c.previous}) stopped: every session in it ended`);
        else ctx.log.warn(c.previous === null ? `a tmux server runs again (pid ${c.current})` : `the tmux server was replaced (pid ${c.previous} → ${c.current})`);
        // Kept for browsers that connect while it is down; a running server needs no reminder.
        ctx.feed.publish({ type: 'tmux', running, at: c.at }, { replay: !running });
        notifier.handle(tmuxServerEvent(c));
      });
    },
    stop() {
      unlisten?.();
    },
  };
}
