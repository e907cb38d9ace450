/**
 * How a window's state reads on screen, for the dashboard's cards and the
 * terminal's tabs and title alike: its label, symbol and tone; whether it
 * wants the person; how urgent a session is; and the "(N)" count in the page
 * title. Pure: no DOM, unit-tested in Node.
 */
import type { SessionInfo, WindowInfo } from '../shared/api.js';
import { exitedText } from '../shared/pane-end.js';

export type Tone = 'working' | 'waiting' | 'bell' | 'exited' | 'attention' | 'quiet';

export interface StatusLabel {
  /** Short text on the badge, e.g. "~ waiting". */
  text: string;
  /** One character for tight spots (tabs): "~", "!", "×", or "" while working. */
  symbol: string;
  tone: Tone;
}

export function statusLabel(w: WindowInfo): StatusLabel {
  if (w.status === 'exited') return { text: exitedText(w), symbol: '×', tone: 'exited' };
  if (w.agent === 'needs-permission') return { text: '! needs permission', symbol: '!', tone: 'attention' };
  if (w.status === 'bell') return { text: '! bell', symbol: '!', tone: 'bell' };
  if (w.status === 'waiting') return { text: w.agent === 'done' ? '~ done' : '~ waiting', symbol: '~', tone: 'waiting' };
  // The person's shell at its prompt: nothing runs, nothing waits.
  if (w.status === 'shell') return { text: 'shell', symbol: '', tone: 'quiet' };
  return { text: 'working', symbol: '', tone: 'working' };
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

/** 0 = needs the user now (bell, permission), 1 = waiting or an idle/done agent, 2 = working or at a shell prompt, 3 = everything exited. */
export function attentionRank(s: SessionInfo): number {
  const ws = s.windows;
  if (ws.some((w) => w.status !== 'exited' && (w.status === 'bell' || w.agent === 'needs-permission'))) return 0;
  if (ws.some((w) => w.status === 'waiting' || (w.status !== 'exited' && (w.agent === 'idle' || w.agent === 'done')))) return 1;
  if (ws.some((w) => w.status === 'working' || w.status === 'shell')) return 2;
  return 3;
}

/**
 * A window asks for the person: waiting, bell, or an agent state (needs
 * permission, idle, done). Working, exited and shell-at-its-prompt windows
 * do not (a state this page does not know does not either).
 */
export function wantsAttention(w: WindowInfo): boolean {
  if (w.status === 'exited') return false;
  return w.status === 'waiting' || w.status === 'bell' || (w.agent !== null && w.agent !== undefined);
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
