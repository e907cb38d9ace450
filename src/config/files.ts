/**
 * Private files: folders 0700, files 0600, written atomically (temp file +
 * rename) so a crash or a full disk never leaves a half-written file behind.
 * Durable writes also fsync the file before the rename and the folder after
 * it, so a power cut cannot leave an empty file under the new name.
 */
import {
  chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Create a folder (and parents) and make sure it is 0700. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
}

/** Links followed before giving up, as Linux does (MAXSYMLINKS). */
const MAX_LINK_HOPS = 40;

const isAbsent = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * The file that `path` finally names: itself when it is no symlink, else the
 * end of its chain of links, which may not exist yet (a dotfiles link made
 * before its target). Folders on the way are resolved as the kernel does.
 */
export function linkTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch (e) {
    if (!isAbsent(e)) throw e;
  }
  // Absent, or a link whose target is absent: follow the links by hand.
  let p = resolve(path);
  for (let hops = 0; hops <= MAX_LINK_HOPS; hops++) {
    try {
      if (!lstatSync(p).isSymbolicLink()) return p;
    } catch (e) {
      if (isAbsent(e)) return p;
      throw e;
    }
    let dir = dirname(p);
    try {
      dir = realpathSync(dir); // a relative link counts from the real folder, as for the kernel
    } catch (e) {
      if (!isAbsent(e)) throw e;
    }
    p = resolve(dir, readlinkSync(p));
  }
  throw new Error(`${path}: too many levels of symbolic links`);
}

/**
 * Write a file atomically with exactly the given mode (0600 unless told;
 * the umask does not narrow it). A symlink stays a symlink: the file it
 * finally names is replaced, the temp file beside that file so the rename
 * stays in one folder, so a settings file kept in a dotfiles repository and
 * linked into place keeps its link and gets the new content.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  const target = linkTarget(path);
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data, { mode, flag: 'wx' });
    chmodSync(tmp, mode);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Flush a folder's entries (a rename or link in it) to disk. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Write `data` to a new temporary file beside `path` and flush it to disk;
 * returns the temporary file's path (the caller renames or links it, then
 * calls fsyncDir). Nothing is left behind when it fails.
 */
export function writeTempDurable(path: string, data: string | Uint8Array, mode = 0o600): string {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', mode);
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    return tmp;
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** writeFileAtomic that survives a power cut: the file is flushed before the rename, the folder after. */
export function writeFileDurable(path: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = writeTempDurable(path, data, mode);
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dirname(path));
}

/** writeFileAtomic into a private folder. */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  ensurePrivateDir(dirname(path));
  writeFileAtomic(path, data, 0o600);
}
