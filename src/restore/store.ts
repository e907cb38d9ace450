/**
 * Snapshot files: generations and scrollback blobs under
 * $XDG_STATE_HOME/roost/snapshots (0700, files 0600).
 *
 *   gen-00000042.json        one generation: the Snapshot (model.ts), JSON
 *   blobs/<sha256>.gz        one pane's scrollback, gzip; shared by every
 *                            generation whose pane had the same text
 *
 * Writing, in an order that never leaves a generation pointing at nothing:
 * blobs first (each durable: temp, fsync, rename), then the generation (temp,
 * fsync, then link() to the next free number, which fails rather than
 * overwrite one another writer took), then the folder is fsynced. Only then
 * are old generations pruned and unreferenced blobs collected (blobs younger
 * than BLOB_GRACE_MS stay: another writer may be about to name them);
 * `keep` counts each tmux server's generations on their own, and the newest
 * of the server that ran on a socket before its current one stays too (what
 * a crashed tmux had, for `roost restore`). A generation
 * a message names for later (the daemon's `roost restore --from GEN NAME`)
 * is pinned (pin-00000042, its time the pin's) and stays past `keep` for
 * PIN_MS. A
 * failed write (full disk, read-only or unwritable folder) throws
 * SnapshotWriteError and leaves every earlier generation as it was.
 *
 * Reading: the newest generation that parses and passes the schema; newer
 * ones that do not are reported (`skipped`), so callers can say "generation
 * 12 is unreadable (...); using 11".
 */
import { existsSync, linkSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ensurePrivateDir, fsyncDir, writeFileDurable, writeTempDurable } from '../config/files.js';
import { snapshotSchema, type Snapshot, type SnapshotDraft } from './model.js';

/** Unreferenced blobs younger than this (ms) are kept: a writer may have stored them and not yet its generation. */
export const BLOB_GRACE_MS = 10 * 60_000;
/** How long (ms) a pinned generation stays past `keep`: a notification naming it may be read after a holiday. */
export const PIN_MS = 30 * 24 * 3600_000;
const GEN_RE = /^gen-(\d{8})\.json$/;
const BLOB_RE = /^([0-9a-f]{64})\.gz$/;

export class SnapshotWriteError extends Error {
  override name = 'SnapshotWriteError';
}

export class SnapshotReadError extends Error {
  override name = 'SnapshotReadError';
}

/** The sha256 (hex) a blob is stored under. */
export const blobHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Words for the errno of a failed write. */
function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a part of the path is not a folder',
  };
  return code && words[code] ? `${words[code]} (${code})` : (e as Error)?.message ?? String(e);
}

export interface GenerationInfo {
  generation: number;
  file: string;
  bytes: number;
  /** The snapshot, or why it cannot be read. */
  snapshot: Snapshot | null;
  problem: string | null;
  /** Epoch ms until which a pin keeps it past `keep` (a message named it), or null. */
  pinnedUntil: number | null;
}

/** A scrollback blob read back: its text, or which file and what is wrong with it. */
export type BlobRead =
  | { ok: true; text: string }
  | { ok: false; file: string; problem: 'missing' | 'unreadable' | 'damaged'; detail: string };

export interface Latest {
  snapshot: Snapshot | null;
  /** Newer generations that could not be read, newest first. */
  skipped: { generation: number; problem: string }[];
}

export class SnapshotStore {
  readonly blobDir: string;

  constructor(readonly dir: string) {
    this.blobDir = join(dir, 'blobs');
  }

  /** Generation numbers on disk, newest first. */
  generations(): number[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return names.map((n) => GEN_RE.exec(n)?.[1]).filter((n): n is string => n !== undefined).map(Number).sort((a, b) => b - a);
  }

  fileOf(generation: number): string {
    return join(this.dir, `gen-${String(generation).padStart(8, '0')}.json`);
  }

  private pinOf(generation: number): string {
    return join(this.dir, `pin-${String(generation).padStart(8, '0')}`);
  }

  /**
   * Keep a generation for PIN_MS past `keep` (from now): a message told
   * someone to restore from it later. `reason` is written in the pin file,
   * for a person looking at the folder. Throws SnapshotWriteError when the
   * pin cannot be written.
   */
  pin(generation: number, reason: string): void {
    try {
      writeFileDurable(this.pinOf(generation), `${reason}\n`);
    } catch (e) {
      throw new SnapshotWriteError(`cannot pin snapshot ${generation} in ${this.dir}: ${why(e)}`);
    }
  }

  /** Until when (epoch ms) a generation's pin keeps it, or null for none; a pin past PIN_MS reads as none. */
  private pinnedUntil(generation: number, now: number): number | null {
    const file = this.pinOf(generation);
    if (!existsSync(file)) return null;
    const until = mtime(file) + PIN_MS;
    return until >= now ? until : null;
  }

  /** Whether a generation is pinned now; a pin past PIN_MS is removed. */
  private pinned(generation: number, now: number): boolean {
    const file = this.pinOf(generation);
    if (!existsSync(file)) return false;
    if (now - mtime(file) <= PIN_MS) return true;
    rmSync(file, { force: true });
    return false;
  }

  /** One generation, checked; SnapshotReadError says what is wrong with it. */
  read(generation: number): Snapshot {
    const file = this.fileOf(generation);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new SnapshotReadError(code === 'ENOENT' ? `there is no snapshot ${generation}` : `cannot read ${file}: ${why(e)}`);
    }
    if (text.trim() === '') throw new SnapshotReadError(`snapshot ${generation} is empty`);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new SnapshotReadError(`snapshot ${generation} is not valid JSON (damaged)`);
    }
    const r = snapshotSchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new SnapshotReadError(`snapshot ${generation} is damaged (${issue.path.join('.') || 'top'}: ${issue.message})`);
    }
    if (r.data.generation !== generation) throw new SnapshotReadError(`snapshot ${generation} says it is generation ${r.data.generation} (damaged)`);
    return r.data;
  }

  /** Every generation with its snapshot or its problem, newest first. */
  list(now = Date.now()): GenerationInfo[] {
    return this.generations().map((generation) => {
      const pinnedUntil = this.pinnedUntil(generation, now);
      const file = this.fileOf(generation);
      let bytes = 0;
      try {
        bytes = statSync(file).size;
      } catch {
        // Gone between the listing and now (pruned by another writer): read() below says so.
      }
      try {
        return { generation, file, bytes, snapshot: this.read(generation), problem: null, pinnedUntil };
      } catch (e) {
        if (!(e instanceof SnapshotReadError)) throw e;
        return { generation, file, bytes, snapshot: null, problem: e.message, pinnedUntil };
      }
    });
  }

  /**
   * The newest readable generation, and the newer ones that were not. With
   * `socket`, the newest taken from that tmux server (Snapshot.server.socket):
   * snapshots of all servers share the folder (`roost -L work snapshot`), and
   * one server's must never be restored onto another. With `accept`, the
   * newest that it accepts (restore: one of a server that is gone).
   */
  latest(socket?: string, accept: (s: Snapshot) => boolean = () => true): Latest {
    const skipped: Latest['skipped'] = [];
    for (const generation of this.generations()) {
      try {
        const snapshot = this.read(generation);
        if ((socket !== undefined && snapshot.server.socket !== socket) || !accept(snapshot)) continue;
        return { snapshot, skipped };
      } catch (e) {
        if (!(e instanceof SnapshotReadError)) throw e;
        skipped.push({ generation, problem: e.message });
      }
    }
    return { snapshot: null, skipped };
  }

  /**
   * A blob's text, or what is wrong with its file: missing, unreadable, or
   * damaged (not gzip, cut short, or text that does not match its hash).
   * Never throws: a pane is restored without its scrollback, and the caller
   * says which file and why.
   */
  blob(hash: string): BlobRead {
    const file = join(this.blobDir, `${hash}.gz`);
    let gz: Buffer;
    try {
      gz = readFileSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? { ok: false, file, problem: 'missing', detail: 'it is not there' } : { ok: false, file, problem: 'unreadable', detail: why(e) };
    }
    let text: string;
    try {
      text = gunzipSync(gz).toString('utf8');
    } catch (e) {
      // zlib says "unexpected end of file" for a file cut short, "incorrect header check" for one that is not gzip.
      return { ok: false, file, problem: 'damaged', detail: gz.length === 0 ? 'it is empty' : `not valid gzip (${(e as Error).message})` };
    }
    if (blobHash(text) !== hash) return { ok: false, file, problem: 'damaged', detail: 'its text does not match its checksum' };
    return { ok: true, text };
  }

  /** Whether a blob is stored; refreshes its time so a collection running now keeps it. */
  hasBlob(hash: string): boolean {
    const file = join(this.blobDir, `${hash}.gz`);
    try {
      const now = new Date();
      utimesSync(file, now, now);
      return true;
    } catch {
      return false; // not there (or not ours to touch): the writer stores it again
    }
  }

  /**
   * Store blobs (hash → text) and then the snapshot as the next generation;
   * returns the generation. Keeps the newest `keep` generations of each tmux server.
   */
  write(draft: SnapshotDraft, blobs: ReadonlyMap<string, string>, keep: number): number {
    let generation = 0;
    try {
      ensurePrivateDir(this.dir);
      ensurePrivateDir(this.blobDir);
      for (const [hash, text] of blobs) {
        if (this.hasBlob(hash)) continue;
        writeFileDurable(join(this.blobDir, `${hash}.gz`), gzipSync(text, { level: 6 }));
      }
      generation = this.commit(draft);
    } catch (e) {
      if (e instanceof SnapshotWriteError) throw e;
      throw new SnapshotWriteError(`cannot write a snapshot in ${this.dir}: ${why(e)}; the earlier snapshots are unchanged`);
    }
    try {
      this.prune(keep);
    } catch {
      // The new generation is safely written; pruning is tried again at the next write.
    }
    return generation;
  }

  /** Write the generation file under the next free number (link: never over another writer's). */
  private commit(draft: SnapshotDraft): number {
    for (let attempt = 0; attempt < 100; attempt++) {
      const generation = (this.generations()[0] ?? 0) + 1;
      const file = this.fileOf(generation);
      const body = JSON.stringify({ ...draft, generation });
      const tmp = writeTempDurable(file, body);
      try {
        try {
          linkSync(tmp, file);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EEXIST') continue; // another writer took this number: take the next
          if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
          // A file system without hard links: rename, after checking the number is still free.
          if (existsSync(file)) continue;
          renameSync(tmp, file);
        }
      } finally {
        rmSync(tmp, { force: true });
      }
      fsyncDir(this.dir);
      return generation;
    }
    throw new SnapshotWriteError(`cannot write a snapshot in ${this.dir}: no free generation number after 100 tries`);
  }

  /**
   * Drop all but the newest `keep` generations of each tmux server (Snapshot.server.socket: `roost -L work`
   * snapshots share the folder, and a busy server's must not push another's out), then blobs no kept
   * generation names. A damaged generation belongs to no server: it goes once `keep` newer ones exist.
   * A pinned one stays (counted for none) until its pin is older than PIN_MS. So does the newest of the
   * server that ran on a socket before the one its newest snapshot is of: after a crash of tmux, the new
   * server's snapshots must not push out what the crashed one had, which `roost restore` brings back.
   */
  prune(keep: number, now = Date.now()): void {
    const kept = new Map<string, number>();
    /** Per socket: the server (serverKey) of its newest generation, and whether the newest of the one before it was seen. */
    const newest = new Map<string, string>();
    const before = new Set<string>();
    const used = new Set<string>();
    this.generations().forEach((g, newer) => {
      let s: Snapshot | null = null;
      try {
        s = this.read(g);
      } catch {
        // damaged: its blobs need not stay for it (it cannot be restored from)
      }
      let previousServer = false;
      if (s) {
        const key = serverKey(s.server);
        const first = newest.get(s.server.socket);
        if (first === undefined) newest.set(s.server.socket, key);
        else if (first !== key && !before.has(s.server.socket)) {
          before.add(s.server.socket);
          previousServer = true;
        }
      }
      const n = s ? (kept.get(s.server.socket) ?? 0) : newer;
      if (n >= keep && !(s && (previousServer || this.pinned(g, now)))) {
        rmSync(this.fileOf(g), { force: true });
        rmSync(this.pinOf(g), { force: true });
        return;
      }
      if (!s) return;
      if (n < keep) kept.set(s.server.socket, n + 1);
      for (const x of s.sessions) for (const w of x.windows) for (const p of w.panes) if (p.scrollback) used.add(p.scrollback.blob);
    });
    let names: string[];
    try {
      names = readdirSync(this.blobDir);
    } catch {
      return; // no blob folder yet: nothing to collect
    }
    for (const n of names) {
      const hash = BLOB_RE.exec(n)?.[1];
      const path = join(this.blobDir, n);
      if (hash === undefined) {
        // A temporary file left by a writer that died: old ones go.
        if (n.endsWith('.tmp') && now - mtime(path) > BLOB_GRACE_MS) rmSync(path, { force: true });
        continue;
      }
      if (!used.has(hash) && now - mtime(path) > BLOB_GRACE_MS) rmSync(path, { force: true });
    }
  }
}

/** One run of a tmux server: a socket's server after a reboot or a crash has another pid and start. */
export const serverKey = (s: { pid: number; started: number }): string => `${s.pid}:${s.started}`;

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now(); // gone already: treat as new, so nothing is done with it
  }
}
