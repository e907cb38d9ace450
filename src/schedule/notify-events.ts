/**
 * A schedule's runs as notify sees them (src/notify/event.ts), always with
 * the schedule's name: "nightly failed (exit 1) after 12 min". Built from
 * the run's record alone: never its output or its command line. A run's
 * agent asking for permission is attention's to tell (its window, "nightly-42:0
 * claude — needs permission", once per episode, a tap away from the answer),
 * not told here a second time.
 *
 *   schedule-failed     the run failed (non-zero, a signal, or could not start)  attention
 *   schedule-timed-out  stopped at its timeout                                  attention
 *   schedule-lost       nobody saw its job end                                  attention
 *   schedule-skipped    a guard began skipping runs (once per streak; not lock) info
 *   schedule-succeeded  it exited 0 (only with --notify always)                 info
 */
import type { NotifyEvent, Severity } from '../notify/event.js';
import { formatDuration } from '../shared/jobs.js';
import type { RunInfo } from '../shared/schedules.js';

export const SCHEDULE_SOURCE = 'schedule';

export const SCHEDULE_KINDS: readonly string[] = ['schedule-failed', 'schedule-timed-out', 'schedule-lost', 'schedule-skipped', 'schedule-succeeded'];

export type ScheduleKind = 'schedule-failed' | 'schedule-timed-out' | 'schedule-lost' | 'schedule-skipped' | 'schedule-succeeded';

/** The kind a finished run is told as, or null for outcomes that are no end (running, skipped, missed). */
export function endKind(r: RunInfo): ScheduleKind | null {
  switch (r.outcome) {
    case 'succeeded': return 'schedule-succeeded';
    case 'failed': return 'schedule-failed';
    case 'timed-out': return 'schedule-timed-out';
    case 'lost': return 'schedule-lost';
    default: return null;
  }
}

const SEVERITY: Record<ScheduleKind, Severity> = {
  'schedule-failed': 'attention', 'schedule-timed-out': 'attention', 'schedule-lost': 'attention',
  'schedule-skipped': 'info', 'schedule-succeeded': 'info',
};
const ICON: Record<ScheduleKind, string> = {
  'schedule-failed': 'x', 'schedule-timed-out': 'hourglass', 'schedule-lost': 'ghost',
  'schedule-skipped': 'fast_forward', 'schedule-succeeded': 'white_check_mark',
};

function title(name: string, r: RunInfo, kind: ScheduleKind, timeoutMs: number | null): string {
  const ran = r.started !== null && r.ended !== null ? ` after ${formatDuration(r.ended - r.started)}` : '';
  switch (kind) {
    case 'schedule-succeeded': return `${name} succeeded${ran}`;
    // Its timeout, not how long it ran: that adds the grace between TERM and KILL (and a listing's delay).
    case 'schedule-timed-out': return timeoutMs === null ? `${name} timed out${ran}` : `${name} timed out after ${formatDuration(timeoutMs)}`;
    case 'schedule-lost': return `${name} was lost${ran}`;
    case 'schedule-skipped': return `${name} is skipping runs`;
    case 'schedule-failed':
      if (r.started === null) return `${name} could not start`;
      if (r.signal) return `${name} failed (${r.signal})${ran}`;
      return `${name} failed (exit ${r.exitCode ?? '?'})${ran}`;
  }
}

function body(r: RunInfo, kind: ScheduleKind): string {
  switch (kind) {
    case 'schedule-skipped': return `${r.reason ?? 'a guard stopped it'}. Told once until a run goes.`;
    case 'schedule-succeeded': return r.claude ? `${r.claude.turns ?? '?'} turns${r.claude.costUsd !== null ? `, $${r.claude.costUsd.toFixed(2)}` : ''}.` : 'Finished successfully.';
    default:
      if (r.started === null) return r.reason ?? 'It could not start.';
      return r.job ? `Its log: roost logs ${r.job}` : 'See roost schedule history.';
  }
}

/** The event for a schedule's run; `timeoutMs`: the schedule's timeout, what a timed-out run is told to have run. */
export function scheduleEvent(name: string, r: RunInfo, kind: ScheduleKind, at: number, timeoutMs: number | null = null): NotifyEvent {
  return {
    source: SCHEDULE_SOURCE,
    kind,
    severity: SEVERITY[kind],
    subject: { id: `schedule:${name}`, session: r.job, window: null, link: `/schedules/${encodeURIComponent(name)}` },
    title: title(name, r, kind, timeoutMs),
    body: body(r, kind),
    icon: ICON[kind],
    at,
    dedupe: { thread: `schedule:${name}`, key: `${kind}:${r.id}` },
    baseline: false,
  };
}
