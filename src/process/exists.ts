/**
 * Whether a process exists, by pid, without touching it: processExists (the
 * pid is taken: signal 0, a zombie and another user's process count) and
 * processRuns (it still runs: /proc says so and it is no zombie). Callers
 * that need the same process check its start time as well (src/jobs/procfs.ts).
 */
import { readFileSync } from 'node:fs';

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Still running: not gone, and not a zombie. A zombie's status waits for its
 * parent (tmux 3.3a now and then never reaps a pane's process, and never
 * records its status): it runs no more.
 */
export function processRuns(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state is the field after the name, which ends at the last ")" (a name may hold spaces and parentheses).
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
