/**
 * How a job reads on the dashboard: its state as a badge (word and tone;
 * success and failure told apart) and how long it ran. Pure: unit-tested in Node.
 */
import { describeState, formatDuration, type JobInfo } from '../../shared/jobs.js';

export type JobTone = 'working' | 'exited' | 'attention' | 'waiting';

export function jobBadge(j: Pick<JobInfo, 'state' | 'exitCode' | 'signal'>): { text: string; tone: JobTone } {
  const text = describeState(j);
  switch (j.state) {
    case 'running': return { text, tone: 'working' };
    case 'exited': return { text, tone: j.exitCode === 0 || j.exitCode === null ? 'exited' : 'attention' };
    case 'killed': return { text, tone: 'attention' };
    case 'lost': return { text, tone: 'waiting' };
  }
}

/** "ran 2 h 14 min" / "running for 5 min". */
export function ran(j: Pick<JobInfo, 'state' | 'durationMs'>): string {
  return `${j.state === 'running' ? 'running for' : 'ran'} ${formatDuration(j.durationMs)}`;
}
