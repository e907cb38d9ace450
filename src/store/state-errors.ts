/**
 * Why Roost's state folder (the database, job logs, keys) cannot be used,
 * as one line that names the path and says what to do, instead of Node's
 * `ENOTDIR: not a directory, mkdir '...'` or SQLite's `database or disk is
 * full` / `disk I/O error`, which name no path or the wrong cause.
 *
 * The cause is read from the error and then checked on the disk itself: a
 * recursive mkdir on a read-only file system reports ENOENT, and SQLite
 * reports a full disk as an I/O error when a journal or its shared memory
 * cannot grow, so the nearest existing folder is probed (a file where a
 * folder should be, write access, free space).
 */
import { accessSync, constants, statSync, statfsSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';

export class StateDirError extends Error {
  override name = 'StateDirError';
}

/** Below this many free bytes a disk counts as full (SQLite needs room for a journal, not just a record). */
const NEARLY_FULL_BYTES = 256 * 1024;

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
/** Errors that may come from the state folder being unusable (others pass through unchanged). */
const FS_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'ENOTDIR', 'ENOENT', 'EIO']);

const inside = (path: string, dir: string) => {
  const r = relative(dir, path);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

/** The deepest part of `path` that exists (the root at worst). */
function nearestExisting(path: string): string {
  let p = path;
  for (;;) {
    try {
      statSync(p);
      return p;
    } catch {
      // Not there (or not reachable): look one level up.
    }
    const up = dirname(p);
    if (up === p) return p;
    p = up;
  }
}

function freeBytes(path: string): number | null {
  try {
    const s = statfsSync(path);
    return s.bavail * s.bsize;
  } catch {
    return null; // the file system cannot say: no claim about space
  }
}

/** What is wrong with writing under `stateDir`, found on the disk; null when nothing shows. */
function probe(stateDir: string): string | null {
  const at = nearestExisting(stateDir);
  try {
    if (!statSync(at).isDirectory()) return `${at} is a file, not a folder`;
  } catch {
    return null; // vanished meanwhile: nothing to say
  }
  try {
    accessSync(at, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return `${at} is on a read-only file system`;
    return `${at} is not writable by you`;
  }
  const free = freeBytes(at);
  if (free !== null && free < NEARLY_FULL_BYTES) return `the disk holding ${at} is full`;
  return null;
}

const ADVICE_FULL = 'free some space there (or set XDG_STATE_HOME to a folder on another disk)';
const ADVICE_UNWRITABLE = 'make it a folder you can write, or set XDG_STATE_HOME to one';

/**
 * `e` as a StateDirError when it came from the state folder being unusable
 * (a file system error on a path inside `stateDir`, or any SQLite error
 * about writing, its database being there); null otherwise.
 */
export function stateDirError(e: unknown, stateDir: string): StateDirError | null {
  if (e instanceof StateDirError) return e;
  if (!(e instanceof Error)) return null;
  const code = String((e as NodeJS.ErrnoException).code ?? '');
  const path = (e as NodeJS.ErrnoException).path;
  const sqlite = e.name === 'SqliteError' && /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|PERM)/.test(code);
  const fs = FS_CODES.has(code) && typeof path === 'string' && inside(path, stateDir);
  if (!sqlite && !fs) return null;
  let cause = FULL_CODES.has(code) ? `the disk holding ${stateDir} is full` : probe(stateDir);
  // A missing file is only the folder's fault when the folder cannot be made (mkdir on a read-only disk says ENOENT).
  if (code === 'ENOENT' && cause?.includes('full')) cause = null;
  if (cause === null) {
    // Nothing on the disk explains it: say where it happened and what the system said.
    if (!sqlite) return null;
    return new StateDirError(`cannot use Roost's state folder ${stateDir}: ${e.message} (SQLite); check the disk`);
  }
  const advice = cause.includes('full') ? ADVICE_FULL : ADVICE_UNWRITABLE;
  return new StateDirError(`cannot write Roost's state folder ${stateDir}: ${cause}; ${advice}`);
}
