/**
 * Where a job's files live: <state>/jobs/<id>/ (0700), holding its log
 * (log-writer.ts) and the FIFO tmux's pipe-pane writes into. Paths are made
 * from the job's id alone, never from a name or anything a client sends.
 */
import { join } from 'node:path';
import { ensurePrivateDir } from '../config/files.js';

export const jobsRoot = (stateDir: string): string => join(stateDir, 'jobs');

export const jobDir = (stateDir: string, id: number): string => {
  if (!Number.isSafeInteger(id) || id < 1) throw new Error(`not a job id: ${id}`);
  return join(jobsRoot(stateDir), String(id));
};

/** The FIFO between tmux (pipe-pane) and the job's runner. */
export const pipePath = (dir: string): string => join(dir, 'pipe');

/** Make the job's folder (and <state>/jobs), 0700 both. */
export function makeJobDir(stateDir: string, id: number): string {
  ensurePrivateDir(jobsRoot(stateDir));
  const dir = jobDir(stateDir, id);
  ensurePrivateDir(dir);
  return dir;
}
