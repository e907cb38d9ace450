/**
 * What notify hears: one neutral event, whoever sends it. Attention is the
 * first source (src/attention/notify-events.ts maps its events onto this);
 * background jobs, schedules, Slurm allocations, restore and the daemon
 * itself send the same shape. Notify knows nothing of any source: it
 * filters, de-duplicates, holds back and delivers by these fields alone.
 *
 *   source    who sends it: 'attention', later 'job', 'schedule', 'slurm',
 *             'restore', 'roost'. Scopes the de-duplication threads.
 *   kind      what happened, in the source's words ('needs-permission',
 *             'failed', ...). A channel's `states` filter lists kinds.
 *   severity  info | attention | urgent: urgent goes out with high
 *             priority (ntfy Priority 4, Web Push urgency high).
 *   subject   what it is about: a stable id (a device keeps one
 *             notification per subject: the push tag), the session it
 *             belongs to (a channel's `sessions` filter), the tmux window
 *             when there is one (the "somebody is watching it" rule), and
 *             the dashboard path a tap opens.
 *   title, body  the text, made by the source from the event alone: never
 *             terminal content (screen text, command lines, agent messages).
 *   dedupe    a channel is told once per key. Keys of one thread supersede
 *             each other (a window's attention episodes): a channel keeps
 *             only the last key it was told per thread, so a new key
 *             re-arms it, and the source says when a thread is over
 *             (Dispatcher.forget) so nothing grows without bound.
 *   baseline  the thing was already so when the source first looked (the
 *             daemon just started): not news. It marks the key as told on
 *             every channel and sends nothing.
 *   damp      routine news (attention's `waiting`: a program that logs a
 *             line a minute is silent every minute): a channel that sent
 *             a damped event of the thread sends no other until a person
 *             has looked at the subject. `look` is when one last did (any
 *             value that changes at each look; null: never).
 */

/** How loud a notification is. */
export type Severity = 'info' | 'attention' | 'urgent';

/** A tmux window an event is about. */
export interface SubjectWindow {
  /** tmux session id, e.g. "$3". */
  sessionId: string;
  /** tmux window id, e.g. "@5". */
  id: string;
  /** Index in the session, e.g. 1. */
  index: number;
  /** Window name as shown: one clean line. */
  name: string;
}

export interface NotifySubject {
  /**
   * Stable id of the thing, unique across sources, e.g. "$3:@5" for a
   * window; other sources start theirs with their name ("job:42"). A device
   * shows one notification per subject (tag "roost:<id>"): a newer replaces an older.
   */
  id: string;
  /** Session name it belongs to, or null when it is about no session (then a channel with a session filter skips it). */
  session: string | null;
  /** The window it is about, or null. Only a window can be "watched" in a browser. */
  window: SubjectWindow | null;
  /** Path in the dashboard a tap opens: "/s/main/1", or "/" for the dashboard. */
  link: string;
}

export interface NotifyEvent {
  source: string;
  kind: string;
  severity: Severity;
  subject: NotifySubject;
  /** One line, e.g. "main:1 claude — needs permission". */
  title: string;
  body: string;
  /** An emoji short code shown before the title where the channel can (ntfy Tags), e.g. "raised_hand". */
  icon?: string;
  /** Epoch ms of what happened. */
  at: number;
  /** `thread` is unique within the source; `key` is told once per channel (see above). */
  dedupe: { thread: string; key: string };
  baseline: boolean;
  /** Sent once per look at the subject, per channel and thread (see above); absent: not damped. */
  damp?: { look: number | null };
}
