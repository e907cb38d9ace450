/**
 * How a job reads on the dashboard: its state as a badge (word and tone;
 * success and failure told apart), sizes and times. Pure: unit-tested in Node.
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

/** 0 B, 12 KB, 3.4 MB (powers of 1000). */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** "ran 2 h 14 min" / "running for 5 min". */
export function ran(j: Pick<JobInfo, 'state' | 'durationMs'>): string {
  return `${j.state === 'running' ? 'running for' : 'ran'} ${formatDuration(j.durationMs)}`;
}

/** A command line as a shell would read it back. */
export function commandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
