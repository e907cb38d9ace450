/**
 * What the job commands (run, jobs, logs, stop, rm, adopt) share: the jobs
 * object over the database (opened and closed around the command; no daemon
 * needed), a refused request as a user error, the retention sweep.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openRoostDb } from '../daemon/schemas.js';
import { DB_FILE } from '../store/db.js';
import type { Config } from '../config/config.js';
import { commandConfig } from './config.js';
import { Jobs } from '../jobs/jobs.js';
import { JobInputError } from '../jobs/spec.js';
import { JobStore, type JobRow } from '../jobs/store.js';
import { jobEndReach, type JobEndReach } from '../jobs/notify-reach.js';
import { ChannelRepository } from '../notify/repository.js';
import { UserError, type Context } from './command.js';

export async function withJobs<T>(ctx: Context, fn: (jobs: Jobs) => Promise<T>): Promise<T> {
  let config: Config | null = null;
  const db = openRoostDb(ctx.paths.stateDir);
  try {
    const jobs = new Jobs({ db, stateDir: ctx.paths.stateDir, config: () => (config ??= commandConfig(ctx)), tmux: ctx.tmux, env: ctx.env });
    return await fn(jobs);
  } catch (e) {
    if (e instanceof JobInputError) throw new UserError(e.message);
    throw e;
  } finally {
    db.close();
  }
}

/**
 * The rows of the jobs on this tmux server, read without the sweep or a tmux listing (for roost ls); none when
 * there is no database yet: a listing never creates one.
 */
export function jobRowsHere(ctx: Context): JobRow[] {
  if (!existsSync(join(ctx.paths.stateDir, DB_FILE))) return [];
  const db = openRoostDb(ctx.paths.stateDir);
  try {
    const socket = ctx.tmux.socket ?? null;
    return new JobStore(db).all().filter((r) => r.tmuxSocket === socket);
  } finally {
    db.close();
  }
}

/** Whether the end of job `name` would reach a notification channel (the channels are in the same database). */
export function jobEndReachHere(ctx: Context, name: string): JobEndReach {
  const db = openRoostDb(ctx.paths.stateDir);
  try {
    return jobEndReach(new ChannelRepository(db).list(), name);
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
