/**
 * The poller's file, one per login host and tmux server
 * (`$XDG_STATE_HOME/roost/slurm/polls/HOST~SOCKET.json`): what squeue said
 * at the last look, which notifications went out, and who looks (the
 * lease). There is one poller per host and server: the daemon when it runs,
 * else one of the node sessions' own windows (runner.ts), so Slurm is asked
 * about Roost's jobs once per interval however many sessions and windows
 * there are. Only the holder of the lease writes this file.
 *
 * The lease: the holder writes its pid, its role and when it will look
 * next. Another process may take over when that time is well past, or the
 * holder's pid is gone; a daemon always takes over from a window.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../config/files.js';
import type { JobObservation } from './slurm-cli.js';
import { processExists } from '../process/exists.js';

export type PollerRole = 'daemon' | 'window';

/** What was told of one node session's job (notification keys), so a restart or a new holder does not repeat it. */
export interface Told {
  job: string;
  keys: string[];
}

export interface PollFile {
  holder: { pid: number; role: PollerRole };
  /** Epoch ms of the last look at Slurm (null before the first). */
  polledAt: number | null;
  /** When the holder looks next (epoch ms). */
  nextAt: number;
  jobs: Record<string, JobObservation>;
  /** Job ids squeue was asked about and did not list: Slurm has forgotten them. */
  gone: string[];
  /** By session name. */
  told: Record<string, Told>;
}

/** A holder this late (ms past its nextAt) has stopped looking. */
export const LEASE_GRACE_MS = 15_000;

export function pollFilePath(stateDir: string, host: string, socket: string | null): string {
  // Host names are letters, digits, "-" and "."; socket names passed the CLI's check. "~" separates them.
  const safeHost = host.replace(/[^A-Za-z0-9.-]/g, '_');
  return join(stateDir, 'slurm', 'polls', `${safeHost}~${socket ?? 'default'}.json`);
}

export function readPollFile(path: string): PollFile | null {
  try {
    const p = JSON.parse(readFileSync(path, 'utf8')) as PollFile;
    return p && typeof p === 'object' && p.holder && typeof p.jobs === 'object' ? p : null;
  } catch {
    // Missing (no poller yet) or unreadable (a foreign file): no poll so far, and anyone may take the lease.
    return null;
  }
}

export function writePollFile(path: string, p: PollFile): void {
  writePrivateFile(path, `${JSON.stringify(p)}\n`);
}

/** May this process (pid, role) look at Slurm now, given the file as it stands? */
export function mayHold(p: PollFile | null, pid: number, role: PollerRole, now: number): boolean {
  if (!p || p.holder.pid === pid) return true;
  if (role === 'daemon' && p.holder.role === 'window') return true;
  // Someone else's process (pid reuse) counts as alive: not our holder, but not proof it is gone either.
  if (!processExists(p.holder.pid)) return true;
  return now > p.nextAt + LEASE_GRACE_MS;
}

/** A lock older than this (ms) is a look that died half-way (a look takes seconds at most). */
const STALE_LOCK_MS = 120_000;

/**
 * Take the look lock beside the poll file, or say who has it. Two pollers
 * (the daemon and a window's program, around a lease change) could
 * otherwise read the same "told" keys and both send the same news; with the
 * lock, the second one reads what the first wrote. `O_EXCL` makes taking it
 * atomic; a lock whose process is gone, or that is stale, is taken over.
 */
export function takeLookLock(pollFile: string, pid: number, now: number): (() => void) | null {
  const lock = `${pollFile}.lock`;
  ensurePrivateDir(dirname(lock));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(pid), { flag: 'wx', mode: 0o600 });
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      let age = 0;
      try {
        owner = Number(readFileSync(lock, 'utf8'));
        age = now - statSync(lock).mtimeMs;
      } catch {
        // Released between our try and this read: try again.
        continue;
      }
      if (owner !== pid && processExists(owner) && age < STALE_LOCK_MS) return null;
      rmSync(lock, { force: true });
    }
  }
  return null;
}
