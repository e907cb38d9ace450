/**
 * What the job commands (run, jobs, logs, stop, rm, adopt) share: the jobs
 * object over the database (opened and closed around the command; no daemon
 * needed), a refused request as a user error, the retention sweep.
 */
import { openRoostDb } from '../daemon/schemas.js';
import { loadConfig, type Config } from '../config/config.js';
import { Jobs } from '../jobs/jobs.js';
import { JobInputError } from '../jobs/spec.js';
import { UserError, type Context } from './command.js';

export async function withJobs<T>(ctx: Context, fn: (jobs: Jobs) => Promise<T>): Promise<T> {
  let config: Config | null = null;
  const db = openRoostDb(ctx.paths.stateDir);
  try {
    const jobs = new Jobs({ db, stateDir: ctx.paths.stateDir, config: () => (config ??= loadConfig(ctx.paths.configFile)), tmux: ctx.tmux, env: ctx.env });
    return await fn(jobs);
  } catch (e) {
    if (e instanceof JobInputError) throw new UserError(e.message);
    throw e;
  } finally {
    db.close();
  }
}

/** Finished jobs past the retention period go whenever a job command runs: the daemon need not run for logs to stay bounded. */
export async function sweepQuietly(jobs: Jobs): Promise<void> {
  try {
    await jobs.sweep();
  } catch {
    // A job that cannot be removed now (tmux stuck, a file busy) is tried again next time; the command itself goes on.
  }
}
