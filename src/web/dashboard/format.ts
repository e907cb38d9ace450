/**
 * How the dashboard's cards read: their order (those wanting attention
 * first), the window that speaks for a session, "N s ago", device counts,
 * and splitting a typed command into argv. Window states themselves read as
 * ../window-status.ts says. Pure: no DOM, unit-tested in Node.
 */
import type { SessionInfo, WindowInfo } from '../../shared/api.js';
import { attentionRank, statusLabel, type Tone } from '../window-status.js';

/** Sessions wanting attention first; by name within a group, so cards do not jump around. */
export function sortSessions(list: readonly SessionInfo[]): SessionInfo[] {
  return [...list].sort((a, b) => attentionRank(a) - attentionRank(b) || a.name.localeCompare(b.name));
}

const TONE_ORDER: Record<Tone, number> = { attention: 0, bell: 0, waiting: 1, working: 2, quiet: 3, exited: 4 };

/** The window that speaks for the session on its card: the most urgent, the current one on a tie. */
export function headlineWindow(s: SessionInfo): WindowInfo | undefined {
  let best: WindowInfo | undefined;
  for (const w of s.windows) {
    if (!best) best = w;
    const d = TONE_ORDER[statusLabel(w).tone] - TONE_ORDER[statusLabel(best).tone];
    if (d < 0 || (d === 0 && w.active && !best.active)) best = w;
  }
  return best;
}

/** The window a session shows by default (tmux's current one). */
export function activeWindow(s: SessionInfo): WindowInfo | undefined {
  return s.windows.find((w) => w.active) ?? s.windows[0];
}

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function ago(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/**
 * A command as typed in the create form → argv, split on whitespace. No shell
 * quoting on purpose: the daemon runs argv, never a shell string, so an
 * argument cannot contain a space (the form says so).
 */
export function splitCommand(text: string): string[] | undefined {
  const argv = text.trim().split(/\s+/).filter((a) => a.length > 0);
  return argv.length ? argv : undefined;
}

/** "1 device", "3 devices", "no devices". */
export function devices(n: number): string {
  if (n <= 0) return 'no devices';
  return n === 1 ? '1 device' : `${n} devices`;
}
