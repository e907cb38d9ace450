/**
 * A job's runner, told apart from any other process: the pane goes before
 * the runner has recorded how the program ended (it drains the log first,
 * runner.ts), so a missing pane means `lost` only once the runner is gone
 * too. Its pid is in the row (runner_pid); against a pid reused since, its
 * command line must still be the runner's: the title it gives itself
 * (`roost job NAME`, runnerTitle) or, before it has, the argv start.ts gave
 * it (`... job-runner --state DIR ID`).
 */
import type { JobRow } from './store.js';
import { procCmdline, procStat } from './procfs.js';

/** The runner's process title: what `ps` shows, and how runnerLives knows it. */
export function runnerTitle(name: string): string {
  return `roost job ${name}`;
}

/** The row's runner is still alive (not a zombie) and is this job's runner. */
export function runnerLives(row: JobRow, stateDir: string): boolean {
  if (row.runnerPid === null) return false;
  const stat = procStat(row.runnerPid);
  if (stat === null || stat.state === 'Z') return false;
  const argv = procCmdline(row.runnerPid);
  if (argv[0] === runnerTitle(row.name)) return true;
  const at = argv.indexOf('job-runner');
  return at >= 0 && argv[at + 1] === '--state' && argv[at + 2] === stateDir && argv[at + 3] === String(row.id);
}
