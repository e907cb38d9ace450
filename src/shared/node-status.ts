/**
 * How a node session's allocation reads (NodeAllocation in api.ts), the same
 * in `roost ls`, `roost node ls`, the tmux status line and the dashboard:
 *
 *   PENDING (Resources), queued 4m
 *   RUNNING on gpu07, 3h12m left
 *   TIMEOUT (TimeLimit)
 *
 * Time left counts down from Slurm's last answer, so the text stays true
 * between two looks at the queue; the status line's is counted by tmux
 * (src/slurm/status-line.ts).
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

/** What the poller sets on a node session's status line (src/slurm/status-line.ts). */
export interface StatusLine {
  text: string;
  /** While it runs with a time limit: when it ends, epoch seconds, for tmux to count down to ("3h12m left"). */
  end: number | null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A clock time for the status line: "17:42" today, else "Dec 7 17:42" (local time). */
function clockTime(ms: number, now: number): string {
  const d = new Date(ms);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return new Date(now).toDateString() === d.toDateString() ? hm : `${MONTHS[d.getMonth()]} ${d.getDate()} ${hm}`;
}

/**
 * The tmux status line's part: short, no reason but for a pending job.
 * The time left of a running job is not in the text: tmux counts it down
 * from `end` at each redraw, where a text would be as old as the last look
 * at Slurm. A tmux that cannot count (`countdown` false) gets the end's
 * clock time in the text instead ("until 17:42"), which does not go stale.
 */
export function allocationStatusLine(a: NodeAllocation, now: number, countdown: boolean): StatusLine {
  const job = a.jobId ? `job ${a.jobId} ` : '';
  if (a.state === 'RUNNING') {
    const left = timeLeftAt(a, now);
    const text = `${job}RUNNING${a.nodes ? ` ${a.nodes}` : ''}`;
    if (left === null) return { text: `${text} no limit`, end: null };
    // Whole seconds, as tmux's clock (%s) counts: at `now` tmux shows exactly `left`, as roost node ls does.
    const end = Math.floor(now / 1000) + left;
    return countdown ? { text, end } : { text: `${text} until ${clockTime(end * 1000, now)}`, end: null };
  }
  if (a.state === 'PENDING') return { text: `${job}PENDING${a.reason ? ` ${a.reason}` : ''}`, end: null };
  if (a.state === 'REQUESTING') return { text: 'requesting allocation', end: null };
  return { text: `${job}${a.state === 'REFUSED' ? 'refused' : a.state}`, end: null };
}
