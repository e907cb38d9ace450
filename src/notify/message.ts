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
  /** Window index and name, or 0 and "" when the event is about no window. */
  index: number;
  window: string;
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
    index: e.subject.window?.index ?? 0,
    window: e.subject.window?.name ?? '',
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
    index: 0,
    window: '',
    icon: 'test_tube',
    at: now,
    urgent: false,
    test: true,
  };
}
