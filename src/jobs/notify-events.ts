/**
 * A job's end as notify sees it (src/notify/event.ts): "train-3 exited 1
 * after 2 h 14 min". Success and failure are told apart in the kind, the
 * severity and the words. Built from the job's state alone: never its
 * output or its command line.
 *
 *   job-finished  exited 0                      info
 *   job-failed    exited non-zero, or killed    attention
 *   job-stopped   ended after `roost stop`      info
 *   job-lost      tmux lost it                  attention
 */
import type { NotifyEvent } from '../notify/event.js';
import { formatDuration, type JobInfo } from '../shared/jobs.js';

export const JOB_SOURCE = 'job';

/** The kinds jobs send, for a channel's state filter (`roost notify add --states`). */
export const JOB_KINDS: readonly string[] = ['job-finished', 'job-failed', 'job-stopped', 'job-lost'];

export function jobKind(j: JobInfo, stopped: boolean): string {
  if (j.state === 'lost') return 'job-lost';
  if (stopped) return 'job-stopped';
  return j.state === 'exited' && (j.exitCode === 0 || j.exitCode === null) ? 'job-finished' : 'job-failed';
}

function title(j: JobInfo, kind: string): string {
  const after = `after ${formatDuration(j.durationMs)}`;
  switch (kind) {
    case 'job-lost': return `${j.name} was lost ${after} (tmux lost its window)`;
    case 'job-stopped': return `${j.name} stopped ${after}`;
    default:
      if (j.state === 'killed') return `${j.name} was killed by ${j.signal ?? 'a signal'} ${after}`;
      if (j.exitCode === null) return `${j.name} ended ${after}`;
      return `${j.name} exited ${j.exitCode} ${after}`;
  }
}

const BODY: Record<string, string> = {
  'job-finished': 'Finished successfully.',
  'job-failed': 'It failed. Its log: roost logs NAME',
  'job-stopped': 'Stopped as asked.',
  'job-lost': 'Its log is kept: roost logs NAME',
};

const ICON: Record<string, string> = { 'job-finished': 'white_check_mark', 'job-failed': 'x', 'job-stopped': 'stop_sign', 'job-lost': 'ghost' };

/** The notify event for a job that ended; `baseline`: it ended while no daemon ran, long ago (not news). */
export function jobEndEvent(j: JobInfo, o: { stopped: boolean; baseline: boolean }): NotifyEvent {
  const kind = jobKind(j, o.stopped);
  return {
    source: JOB_SOURCE,
    kind,
    severity: kind === 'job-failed' || kind === 'job-lost' ? 'attention' : 'info',
    subject: { id: `job:${j.id}`, session: j.name, window: null, link: `/jobs/${encodeURIComponent(j.name)}` },
    title: title(j, kind),
    body: BODY[kind]!.replace('NAME', j.name),
    icon: ICON[kind],
    at: j.ended ?? Date.now(),
    dedupe: { thread: `job:${j.id}`, key: 'end' },
    baseline: o.baseline,
  };
}
