/**
 * How an exited window reads, for `roost ls` and the dashboard alike (one
 * place decides): "exited (3)", or "killed by SIGTERM" as `roost jobs` says
 * of a job a signal ended, or plain "exited" when nobody knows the status.
 * Pure: no DOM, no Node.
 */
import type { PaneInfo, WindowInfo } from './api.js';

/** The dead pane whose end the window shows: the active one if it is dead, else the first dead one. */
export function endedPane(w: Pick<WindowInfo, 'panes'>): PaneInfo | undefined {
  return w.panes.find((p) => p.active && p.dead) ?? w.panes.find((p) => p.dead);
}

/** "exited (3)", "killed by SIGTERM", or "exited" (tmux reported no status and no job record says). */
export function exitedText(w: Pick<WindowInfo, 'panes'>): string {
  const p = endedPane(w);
  if (p?.exitSignal) return `killed by ${p.exitSignal}`;
  return p?.exitStatus === null || p?.exitStatus === undefined ? 'exited' : `exited (${p.exitStatus})`;
}
