/**
 * How a node session's allocation reads (NodeAllocation in api.ts), the same
 * in `roost ls`, `roost node ls`, the tmux status line and the dashboard:
 *
 *   PENDING (Resources), queued 4m
 *   RUNNING on gpu07, 3h12m left
 *   TIMEOUT (TimeLimit)
 *
 * Time left counts down from Slurm's last answer, so the text stays true
 * between two looks at the queue.
 */
import type { NodeAllocation } from './api.js';
import { shortDuration } from './slurm-time.js';

/** States in which the job holds or waits for resources (Slurm's, plus Roost's REQUESTING). */
const LIVE = new Set(['REQUESTING', 'PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'RESIZING', 'REQUEUED', 'SIGNALING', 'STAGE_OUT', 'STOPPED', 'UNKNOWN']);

/** Is the allocation over (ended, refused, cancelled, timed out)? */
export function allocationOver(a: Pick<NodeAllocation, 'state'>): boolean {
  return !LIVE.has(a.state);
}

/** Seconds left at `now` (epoch ms), counting down while it runs; null for no limit or unknown. */
export function timeLeftAt(a: NodeAllocation, now: number): number | null {
  if (a.timeLeft === null) return null;
  if (a.state !== 'RUNNING' || a.polledAt === null) return a.timeLeft;
  return Math.max(0, a.timeLeft - Math.floor((now - a.polledAt) / 1000));
}

/** One line: state, reason, where, how long. */
export function allocationSummary(a: NodeAllocation, now: number): string {
  const reason = a.reason ? ` (${a.reason})` : '';
  switch (a.state) {
    case 'REQUESTING':
      return 'requesting an allocation';
    case 'REFUSED':
      return `refused: ${a.reason ?? 'Slurm said no'}`;
    case 'UNKNOWN':
      return 'job not known (the launcher\'s job was not found)';
    case 'PENDING': {
      const queued = a.submittedAt !== null ? `, queued ${shortDuration((now - a.submittedAt) / 1000)}` : '';
      const start = a.startAt !== null && a.startAt > now ? `, starts in about ${shortDuration((a.startAt - now) / 1000)}` : '';
      return `PENDING${reason}${queued}${start}`;
    }
    case 'RUNNING': {
      const left = timeLeftAt(a, now);
      const on = a.nodes ? ` on ${a.nodes}` : '';
      return `RUNNING${on}, ${left === null ? 'no time limit' : `${shortDuration(left)} left`}`;
    }
    default:
      return `${a.state}${reason}`;
  }
}

/** The tmux status line's part: short, no reason but for a pending job. */
export function allocationStatusLine(a: NodeAllocation, now: number): string {
  const job = a.jobId ? `job ${a.jobId} ` : '';
  if (a.state === 'RUNNING') {
    const left = timeLeftAt(a, now);
    return `${job}RUNNING${a.nodes ? ` ${a.nodes}` : ''} ${left === null ? 'no limit' : `${shortDuration(left)} left`}`;
  }
  if (a.state === 'PENDING') return `${job}PENDING${a.reason ? ` ${a.reason}` : ''}`;
  if (a.state === 'REQUESTING') return 'requesting allocation';
  return `${job}${a.state === 'REFUSED' ? 'refused' : a.state}`;
}
