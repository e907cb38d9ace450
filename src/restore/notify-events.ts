/**
 * Restore as notify sees it: one neutral event (src/notify/event.ts) when
 * the daemon brought sessions back by itself, saying which and how many
 * agents and programs came back. Session names and counts only: no command
 * lines, no screen text.
 */
import type { NotifyEvent } from '../notify/event.js';
import type { RestoreOutcome } from './execute.js';

export const RESTORE_SOURCE = 'restore';

/** The kinds restore sends, for a channel's filter (`roost notify add --states`). */
export const RESTORE_KINDS: readonly string[] = ['restored', 'restore-failed'];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The event for a restore the daemon ran; null when it made nothing and nothing failed (another restore made every session meanwhile). */
export function restoreNotifyEvent(o: RestoreOutcome, snapshotTakenAt: number, at: number): NotifyEvent | null {
  if (o.restored.length === 0 && o.failed.length === 0) return null;
  const total = o.restored.length + o.failed.length;
  const failed = o.failed.length > 0;
  const names = o.restored.map((s) => s.name);
  const shown = names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
  const facts = [
    o.resumed ? `${plural(o.resumed, 'agent conversation')} resumed` : '',
    o.relaunched ? `${plural(o.relaunched, 'program')} started again` : '',
    o.typed ? `${plural(o.typed, 'command')} typed at the prompt for you to run` : '',
    failed ? `could not restore ${o.failed.map((f) => f.name).join(', ')}` : '',
  ].filter(Boolean);
  const taken = new Date(snapshotTakenAt).toISOString().slice(0, 16).replace('T', ' ');
  return {
    source: RESTORE_SOURCE,
    kind: failed ? 'restore-failed' : 'restored',
    severity: failed ? 'attention' : 'info',
    subject: { id: `restore:${o.generation}`, session: null, window: null, link: '/' },
    title: failed ? `Restored ${o.restored.length} of ${plural(total, 'session')}` : `Restored ${plural(o.restored.length, 'session')} after a restart`,
    body: `${shown ? `${shown}, ` : ''}from the snapshot of ${taken} UTC.${facts.length ? ` ${facts.join('; ')}.` : ''}`,
    icon: failed ? 'warning' : 'recycle',
    at,
    dedupe: { thread: 'restore', key: `${o.generation}:${at}` },
    baseline: false,
  };
}
