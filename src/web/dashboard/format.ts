/**
 * How sessions and windows read on screen: status labels, the order of the
 * cards (those wanting attention first), "N s ago", and splitting a typed
 * command into argv. Pure: no DOM, unit-tested in Node.
 */
import type { SessionInfo, WindowInfo } from '../../shared/api.js';

export type Tone = 'working' | 'waiting' | 'bell' | 'exited' | 'attention';

export interface StatusLabel {
  /** Short text on the badge, e.g. "~ waiting". */
  text: string;
  /** One character for tight spots (tabs): "~", "!", "×", or "" while working. */
  symbol: string;
  tone: Tone;
}

function exitStatus(w: WindowInfo): number | null {
  const pane = w.panes.find((p) => p.active && p.dead) ?? w.panes.find((p) => p.dead);
  return pane?.exitStatus ?? null;
}

export function statusLabel(w: WindowInfo): StatusLabel {
  if (w.status === 'exited') {
    const code = exitStatus(w);
    return { text: code === null ? 'exited' : `exited (${code})`, symbol: '×', tone: 'exited' };
  }
  if (w.agent === 'needs-permission') return { text: '! needs permission', symbol: '!', tone: 'attention' };
  if (w.status === 'bell') return { text: '! bell', symbol: '!', tone: 'bell' };
  if (w.status === 'waiting') return { text: w.agent === 'done' ? '~ done' : '~ waiting', symbol: '~', tone: 'waiting' };
  return { text: 'working', symbol: '', tone: 'working' };
}

/** 0 = needs the user now (bell, permission), 1 = waiting or an idle/done agent, 2 = working, 3 = everything exited. */
export function attentionRank(s: SessionInfo): number {
  const ws = s.windows;
  if (ws.some((w) => w.status !== 'exited' && (w.status === 'bell' || w.agent === 'needs-permission'))) return 0;
  if (ws.some((w) => w.status === 'waiting' || (w.status !== 'exited' && (w.agent === 'idle' || w.agent === 'done')))) return 1;
  if (ws.some((w) => w.status === 'working')) return 2;
  return 3;
}

/** Sessions wanting attention first; by name within a group, so cards do not jump around. */
export function sortSessions(list: readonly SessionInfo[]): SessionInfo[] {
  return [...list].sort((a, b) => attentionRank(a) - attentionRank(b) || a.name.localeCompare(b.name));
}

const TONE_ORDER: Record<Tone, number> = { attention: 0, bell: 0, waiting: 1, working: 2, exited: 3 };

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

/**
 * A window asks for the person: waiting, bell, or an agent state (needs
 * permission, idle, done). Working and exited windows do not.
 */
export function wantsAttention(w: WindowInfo): boolean {
  if (w.status === 'exited') return false;
  return w.status !== 'working' || (w.agent !== null && w.agent !== undefined);
}

/** How many windows across all sessions want attention (the page title's count). */
export function attentionCount(list: readonly SessionInfo[]): number {
  let n = 0;
  for (const s of list) for (const w of s.windows) if (wantsAttention(w)) n++;
  return n;
}

/** "(2) Roost" while windows want attention, the plain title otherwise. */
export function countedTitle(base: string, count: number): string {
  return count > 0 ? `(${count}) ${base}` : base;
}

/** The agent's own state as a badge beside the window status; null when no hook reported one. */
export function agentLabel(w: WindowInfo): StatusLabel | null {
  if (w.status === 'exited') return null;
  switch (w.agent) {
    case 'needs-permission': return { text: '! needs permission', symbol: '!', tone: 'attention' };
    case 'idle': return { text: 'agent idle', symbol: '~', tone: 'waiting' };
    case 'done': return { text: 'agent done', symbol: '~', tone: 'waiting' };
    default: return null;
  }
}
