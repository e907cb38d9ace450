/**
 * Attention as notify sees it: each observer event mapped onto notify's
 * neutral event (src/notify/event.ts), with the words a notification says
 * ("main:1 claude — needs permission", a deep link to /s/SESSION/INDEX).
 * Built from the event alone, never from the terminal: no screen text, no
 * command lines, no agent messages.
 *
 * The mapping: kind = the state; the subject is the window; one dedupe
 * thread per window (its tmux id), keyed by the attention episode, so a
 * channel hears of each episode once; a closed window ends its thread.
 * `working` and `shell` (a shell at its prompt) are never news: only a
 * baseline one is passed on, so the window's episode counts as told (as
 * every baseline state does). `waiting` is damped by the window's last
 * look (StateEvent.lookedAt): a program that logs a line every minute is
 * silent every minute, and a waiting nobody looked at is not pushed again.
 */
import type { NotifyEvent } from '../notify/event.js';
import { WANTS_ATTENTION, type AttentionEvent, type AttentionState, type StateEvent } from './types.js';
import { isAttention } from '../shared/status.js';

export const ATTENTION_SOURCE = 'attention';

/** The kinds attention sends, for a channel's state filter (`roost notify add --states`). */
export const ATTENTION_KINDS: readonly string[] = WANTS_ATTENTION;

const STATE_LABEL: Record<AttentionState, string> = {
  working: 'working',
  shell: 'at the shell prompt',
  waiting: 'waiting',
  bell: 'bell',
  exited: 'exited',
  'needs-permission': 'needs permission',
  idle: 'idle',
  done: 'done',
};

/** Emoji short codes ntfy shows in front of the title. */
const ICON: Record<AttentionState, string> = {
  working: 'gear',
  shell: 'computer',
  waiting: 'hourglass_flowing_sand',
  bell: 'bell',
  exited: 'checkered_flag',
  'needs-permission': 'raised_hand',
  idle: 'zzz',
  done: 'white_check_mark',
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
      if (e.exitSignal) return `The program was killed by ${e.exitSignal}.`;
      return e.exitStatus === null || e.exitStatus === undefined ? 'The program ended.' : `The program ended with status ${e.exitStatus}.`;
    case 'needs-permission':
      return `${agent} needs your permission to go on.`;
    case 'idle':
      return `${agent} is waiting for your input.`;
    case 'done':
      return `${agent} finished.`;
    case 'working':
      return 'Working.';
    case 'shell':
      return 'At the shell prompt.';
  }
}

/** One state event as a notify event (whether or not it is news: see attentionToNotify). */
export function notifyEventFor(e: StateEvent): NotifyEvent {
  const name = clean(e.name);
  return {
    source: ATTENTION_SOURCE,
    kind: e.state,
    // A permission prompt blocks the agent until someone answers.
    severity: e.state === 'needs-permission' ? 'urgent' : isAttention(e.state) ? 'attention' : 'info',
    subject: {
      id: `${e.sessionId}:${e.windowId}`,
      session: e.session,
      window: { sessionId: e.sessionId, id: e.windowId, index: e.index, name },
      link: `/s/${encodeURIComponent(e.session)}/${e.index}`,
    },
    title: `${e.session}:${e.index}${name ? ` ${name}` : ''} — ${STATE_LABEL[e.state]}`,
    body: body(e),
    icon: ICON[e.state],
    at: e.at,
    // Windows are keyed by tmux id (observer.ts): a window moved to another session keeps its thread.
    dedupe: { thread: e.windowId, key: String(e.episode) },
    baseline: e.baseline,
    ...(e.state === 'waiting' ? { damp: { look: e.lookedAt ?? null } } : {}),
  };
}

/** Where attention sends: the notifier (src/notify/notifier.ts) or a bare Dispatcher. */
export interface NotifyTarget {
  handle(e: NotifyEvent): void;
  forget(source: string, thread: string): void;
}

/**
 * States not sent for windows of background jobs (sessions of kind `job`):
 * the jobs service tells how a job ended (its own words, --notify), and
 * silence is what background work does. Bells and agent states still go.
 */
export const QUIET_FOR_JOBS: readonly AttentionState[] = ['waiting', 'exited'];

/** An observer listener that passes attention on to notify; `isJob` says whether a session (by id) is a background job's. */
export function attentionToNotify(target: NotifyTarget, isJob: (sessionId: string) => boolean = () => false): (e: AttentionEvent) => void {
  return (e) => {
    if (e.type === 'closed') target.forget(ATTENTION_SOURCE, e.windowId);
    else if (e.baseline) target.handle(notifyEventFor(e));
    else if ((WANTS_ATTENTION as readonly string[]).includes(e.state) && !(QUIET_FOR_JOBS.includes(e.state) && isJob(e.sessionId))) target.handle(notifyEventFor(e));
  };
}
