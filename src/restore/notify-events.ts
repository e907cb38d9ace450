/**
 * Restore as notify sees it: one neutral event (src/notify/event.ts) when
 * the daemon brought sessions back by itself, saying which and how many
 * agents and programs came back, and which saved sessions it left out
 * because one of that name already ran. Session names and counts only (and
 * the roost commands to run): no command lines, no screen text.
 */
import type { NotifyEvent } from '../notify/event.js';
import type { RestoreOutcome } from './execute.js';
import { plural } from './format.js';

export const RESTORE_SOURCE = 'restore';

/** The kinds restore sends, for a channel's filter (`roost notify add --states`). */
export const RESTORE_KINDS: readonly string[] = ['restored', 'restore-failed'];


/** Kept sentences told at most; the rest are counted (the daemon's log has them all). */
const KEPT_SHOWN = 3;

/**
 * The event for a restore the daemon ran; null when it made nothing, nothing
 * failed and no saved session was kept out (another restore made every
 * session meanwhile). `kept` says, one sentence each, the saved sessions
 * not restored because one of their name already ran on the new server,
 * with what to do to get their saved windows.
 */
export function restoreNotifyEvent(o: RestoreOutcome, snapshotTakenAt: number, at: number, kept: readonly string[] = []): NotifyEvent | null {
  if (o.restored.length === 0 && o.failed.length === 0 && kept.length === 0) return null;
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
  const keptText = [
    ...kept.slice(0, KEPT_SHOWN),
    ...(kept.length > KEPT_SHOWN ? [`${plural(kept.length - KEPT_SHOWN, 'more saved session')} already running (the daemon's log says which)`] : []),
  ].map((k) => ` ${k}.`).join('');
  const taken = new Date(snapshotTakenAt).toISOString().slice(0, 16).replace('T', ' ');
  return {
    source: RESTORE_SOURCE,
    kind: failed ? 'restore-failed' : 'restored',
    severity: failed ? 'attention' : 'info',
    subject: { id: `restore:${o.generation}`, session: null, window: null, link: '/' },
    title: failed ? `Restored ${o.restored.length} of ${plural(total, 'session')}`
      : o.restored.length ? `Restored ${plural(o.restored.length, 'session')} after a restart` : 'Nothing restored after a restart',
    body: `${shown ? `${shown}, from` : 'From'} the snapshot of ${taken} UTC.${facts.length ? ` ${facts.join('; ')}.` : ''}${keptText}`,
    icon: failed ? 'warning' : 'recycle',
    at,
    dedupe: { thread: 'restore', key: `${o.generation}:${at}` },
    baseline: false,
  };
}
