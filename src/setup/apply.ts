/**
 * Carrying out a planned file change: a backup of the file first (only when
 * its content changes), then an atomic write that keeps the file's mode and
 * owner and writes through a symlink (dotfile managers link ~/.bashrc), or
 * the removal of a file roost had created.
 */
import { accessSync, chmodSync, chownSync, copyFileSync, constants, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic, writePrivateFile } from '../config/files.js';
import type { FileChange } from './plan.js';

/** Mode of a file roost creates that other programs read (~/.bashrc, ~/.tmux.conf, cockpit.conf). */
const PUBLIC_FILE_MODE = 0o644;
const PUBLIC_DIR_MODE = 0o755;

export type Outcome =
  | { did: 'unchanged'; path: string }
  | { did: 'created'; path: string }
  | { did: 'updated'; path: string; backup: string }
  | { did: 'removed'; path: string; backup: string };

/** A file's text, or null when it does not exist. */
export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Whether applyChange can write (or remove) this file: the file itself if it
 * exists, and its folder (or the nearest existing parent, for folders still
 * to be made), where the backup and the atomic write's temp file go.
 */
export function writable(path: string): boolean {
  let real = path;
  try {
    real = realpathSync(path);
    accessSync(real, constants.W_OK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return false;
  }
  for (let dir = dirname(real); ; dir = dirname(dir)) {
    try {
      accessSync(dir, constants.W_OK);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) return false;
    }
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** FILE.roost-backup-YYYYMMDD-HHMMSS (local time), with .N added if that exists. */
export function backupPath(path: string, now: Date, exists: (p: string) => boolean = existsSync): string {
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  const base = `${path}.roost-backup-${stamp}`;
  let p = base;
  for (let n = 1; exists(p); n++) p = `${base}.${n}`;
  return p;
}

function backup(path: string, now: Date): string {
  const to = backupPath(path, now);
  copyFileSync(path, to, constants.COPYFILE_EXCL); // copies the mode too
  return to;
}

export function applyChange(c: FileChange, now: Date): Outcome {
  if (c.before === c.after) return { did: 'unchanged', path: c.path };
  if (c.after === null) {
    const b = backup(c.path, now);
    rmSync(c.path);
    return { did: 'removed', path: c.path, backup: b };
  }
  if (c.before === null) {
    if (c.kind === 'layout') writePrivateFile(c.path, c.after);
    else {
      mkdirSync(dirname(c.path), { recursive: true, mode: PUBLIC_DIR_MODE });
      writeFileAtomic(c.path, c.after, PUBLIC_FILE_MODE);
      chmodSync(c.path, PUBLIC_FILE_MODE); // whatever the umask
    }
    return { did: 'created', path: c.path };
  }
  const b = backup(c.path, now);
  const real = realpathSync(c.path);
  const st = statSync(real);
  writeFileAtomic(real, c.after, st.mode & 0o7777);
  chmodSync(real, st.mode & 0o7777);
  if (process.getuid?.() === 0 && (st.uid !== 0 || st.gid !== 0)) chownSync(real, st.uid, st.gid); // root editing someone's file keeps it theirs
  return { did: 'updated', path: c.path, backup: b };
}
