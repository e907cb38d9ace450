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
import { roostOnServer } from '../cli/command-words.js';

export const HEALTH_SOURCE = 'roost';
/** What channels may filter on (`roost notify add --states`). */
export const HEALTH_KINDS = ['tmux-stopped', 'tmux-started'] as const;

/**
 * What brings the lost sessions back, said with each change: restore takes the newest snapshot of the server
 * that stopped, however many the daemon takes of the next one (src/restore/previous-server.ts). The daemon does
 * not restore by itself here: it cannot tell a crash from a `tmux kill-server` or a last session ended on
 * purpose (tmux then exits), and bringing those back unasked would undo what someone meant.
 */
const restoreHint = (roost: string) => `${roost} restore brings them back`;

/** The notification for one change (a server replaced between two listings reads as started, saying the old sessions are gone); `roost` as typed to reach the server. */
export function tmuxServerEvent(c: ServerChange, roost = 'roost'): NotifyEvent {
  const stopped = c.current === null;
  return {
    source: HEALTH_SOURCE,
    kind: stopped ? 'tmux-stopped' : 'tmux-started',
    severity: stopped ? 'attention' : 'info',
    subject: { id: 'roost:tmux-server', session: null, window: null, link: '/' },
    title: stopped ? 'Roost — the tmux server stopped' : 'Roost — a tmux server runs again',
    body: stopped
      ? `Every session in it ended: ${restoreHint(roost)}, or start one from the dashboard.`
      : c.previous === null
        ? `Sessions can be reached again. Those of the server that stopped are not in it: ${restoreHint(roost)}.`
        : `The tmux server was restarted: sessions from before it are gone; ${restoreHint(roost)}.`,
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
        const roost = roostOnServer(ctx.tmux.serverName());
        const hint = restoreHint(roost);
        if (!running) ctx.log.warn(`the tmux server (pid ${c.previous}) stopped: every session in it ended (${hint})`);
        else ctx.log.warn(c.previous === null ? `a tmux server runs again (pid ${c.current}); the sessions of the one that stopped are not in it (${hint})` : `the tmux server was replaced (pid ${c.previous} → ${c.current}): sessions from before it are gone (${hint})`);
        // Kept for browsers that connect while it is down; a running server needs no reminder.
        ctx.feed.publish({ type: 'tmux', running, at: c.at }, { replay: !running });
        notifier.handle(tmuxServerEvent(c, roost));
      });
    },
    stop() {
      unlisten?.();
    },
  };
}
