/**
 * What a notification says: session, window and state, and where a tap
 * leads ("/s/SESSION/INDEX"). Built from the event alone, never from the
 * terminal: no screen text, no command lines, no agent messages.
 */
import type { AttentionState, StateEvent } from '../attention/types.js';

export interface Notification {
  /** "main:1 claude — needs permission" */
  title: string;
  body: string;
  /** Path in the dashboard that opens the window. */
  url: string;
  /** Stable per window: a newer notification replaces an older one on the device. */
  tag: string;
  state: AttentionState;
  session: string;
  index: number;
  window: string;
  /** Epoch ms of the state change. */
  at: number;
  urgent: boolean;
  /** A test from `roost notify test`. */
  test?: boolean;
}

export const STATE_LABEL: Record<AttentionState, string> = {
  working: 'working',
  waiting: 'waiting',
  bell: 'bell',
  exited: 'exited',
  'needs-permission': 'needs permission',
  idle: 'idle',
  done: 'done',
};

/** Window names are set by programs: keep them to one short line of printable text. */
function clean(s: string, max = 48): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function body(e: StateEvent): string {
  const agent = e.agent === 'claude' ? 'Claude' : 'The agent';
  switch (e.state) {
    case 'waiting':
      return 'No output for a while: it may be waiting for you.';
    case 'bell':
      return 'The window rang the bell.';
    case 'exited':
      return e.exitStatus === null || e.exitStatus === undefined ? 'The program ended.' : `The program ended with status ${e.exitStatus}.`;
    case 'needs-permission':
      return `${agent} needs your permission to go on.`;
    case 'idle':
      return `${agent} is waiting for your input.`;
    case 'done':
      return `${agent} finished.`;
    case 'working':
      return 'Working.';
  }
}

export function notificationFor(e: StateEvent): Notification {
  const name = clean(e.name);
  return {
    title: `${e.session}:${e.index}${name ? ` ${name}` : ''} — ${STATE_LABEL[e.state]}`,
    body: body(e),
    url: `/s/${encodeURIComponent(e.session)}/${e.index}`,
    tag: `roost:${e.sessionId}:${e.windowId}`,
    state: e.state,
    session: e.session,
    index: e.index,
    window: name,
    at: e.at,
    urgent: e.state === 'needs-permission',
  };
}

/** The message `roost notify test` sends. */
export function testNotification(now: number): Notification {
  return {
    title: 'Roost — test notification',
    body: 'Notifications from Roost reach you here.',
    url: '/',
    tag: 'roost:test',
    state: 'waiting',
    session: '',
    index: 0,
    window: '',
    at: now,
    urgent: false,
    test: true,
  };
}
