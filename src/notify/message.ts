/**
 * One notification as the senders put it on the wire: a notify event
 * flattened to the fields the ntfy request, the webhook body and the Web
 * Push payload carry (docs/notifications.md), and the test message of
 * `roost notify test`. The text itself is the source's (event.ts).
 */
import type { NotifyEvent } from './event.js';

export interface Notification {
  /** "main:1 claude — needs permission" */
  title: string;
  body: string;
  /** Path in the dashboard that opens the subject. */
  url: string;
  /** Stable per subject: a newer notification replaces an older one on the device. */
  tag: string;
  /** The event's kind (the field keeps its first name: attention states were the first kinds). */
  state: string;
  /** Session name, or "" when the event is about none. */
  session: string;
  /** The window's index and name; null when the event is about no window (a job, a schedule, a node session). */
  window: { index: number; name: string } | null;
  /** Emoji short code for ntfy's Tags header, or null for none. */
  icon: string | null;
  /** Epoch ms of the event. */
  at: number;
  urgent: boolean;
  /** A test from `roost notify test`. */
  test?: boolean;
}

export function toNotification(e: NotifyEvent): Notification {
  return {
    title: e.title,
    body: e.body,
    url: e.subject.link,
    tag: `roost:${e.subject.id}`,
    state: e.kind,
    session: e.subject.session ?? '',
    window: e.subject.window ? { index: e.subject.window.index, name: e.subject.window.name } : null,
    icon: e.icon ?? null,
    at: e.at,
    urgent: e.severity === 'urgent',
  };
}

/** The message `roost notify test` sends. Its state stays "waiting", as before, for receivers that switch on it. */
export function testNotification(now: number): Notification {
  return {
    title: 'Roost — test notification',
    body: 'Notifications from Roost reach you here.',
    url: '/',
    tag: 'roost:test',
    state: 'waiting',
    session: '',
    // As the first release sent it, for receivers written then; `test: true` tells it apart.
    window: { index: 0, name: '' },
    icon: 'test_tube',
    at: now,
    urgent: false,
    test: true,
  };
}
