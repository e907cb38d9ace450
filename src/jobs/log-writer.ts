/**
 * Writes a job's output into its folder, capped: the log is a run of
 * segment files named by the offset of their first byte (20 digits, so
 * names sort as numbers), each at most 1/8 of the cap. When the kept bytes
 * pass the cap, the oldest segments go, whole; what remains is the newest
 * 7/8 to 8/8 of the cap. Dropping a file is O(1) whatever the cap, where
 * cutting the front of one file would rewrite it.
 *
 * Offsets count every byte the job ever printed, so a reader's position
 * stays valid across cuts; the first kept offset says how much was cut
 * (log-reader.ts shows the cut as one line, shared/jobs.ts cutMarker).
 *
 * Beside each segment, `<start>.idx` holds "offset epoch-ms" lines: one at
 * the segment's start and one whenever output arrives in a new second, so
 * `roost logs --timestamps` dates every line to the second.
 *
 * Files 0600 in the job's 0700 folder. Writes are synchronous: a record is
 * on disk before the next chunk is read, so a reader never sees a hole.
 *
 * A write that fails (a full disk, a quota, a failing or read-only disk)
 * stops the log there for good, and `failed` says why: the writer runs in
 * the job's runner, the pane's session leader, so throwing would end the
 * job's program with its pane. Output after that is dropped, not queued
 * (a disk may stay full for the rest of the job); a log that went on after
 * a gap would need a hole readers can see.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Segments per cap: a cut drops 1/8 of the log at a time. */
export const SEGMENTS_PER_CAP = 8;
const MIN_SEGMENT_BYTES = 4096;

export const segmentFile = (start: number): string => `${String(start).padStart(20, '0')}.log`;
export const indexFile = (start: number): string => `${String(start).padStart(20, '0')}.idx`;
export const SEGMENT_RE = /^(\d{20})\.log$/;

export interface LogWriterOptions {
  /** The job's folder (exists, 0700). */
  dir: string;
  /** Most bytes kept. */
  maxBytes: number;
  now?: () => number;
}

export class LogWriter {
  private readonly segmentBytes: number;
  private readonly now: () => number;
  /** Closed segments, oldest first, and their sizes. */
  private readonly closed: { start: number; size: number }[] = [];
  private fd: number | null = null;
  private idx: number | null = null;
  private segStart = 0;
  private segSize = 0;
  private kept = 0;
  private lastSecond = -1;
  /** Offset past the last byte written. */
  end = 0;
  /** Why the log stopped early (then everything after `end` was dropped); null while it is written. */
  failed: NodeJS.ErrnoException | null = null;

  constructor(private readonly o: LogWriterOptions) {
    this.segmentBytes = Math.max(MIN_SEGMENT_BYTES, Math.floor(o.maxBytes / SEGMENTS_PER_CAP));
    this.now = o.now ?? Date.now;
  }

  write(chunk: Uint8Array): void {
    if (this.failed) return;
    try {
      this.append(chunk);
    } catch (e) {
      this.failed = e as NodeJS.ErrnoException;
      try {
        this.close();
      } catch {
        // A close that fails too (EIO) changes nothing: the log has stopped either way.
        this.fd = this.idx = null;
      }
    }
  }

  private append(chunk: Uint8Array): void {
    const at = this.now();
    const second = Math.floor(at / 1000);
    let off = 0;
    while (off < chunk.length) {
      if (this.fd === null || this.segSize >= this.segmentBytes) this.rotate();
      if (second !== this.lastSecond) this.stamp(at);
      this.lastSecond = second;
      const n = Math.min(chunk.length - off, this.segmentBytes - this.segSize);
      writeAll(this.fd!, chunk.subarray(off, off + n));
      this.segSize += n;
      this.kept += n;
      this.end += n;
      off += n;
      this.trim();
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    if (this.idx !== null) closeSync(this.idx);
    this.fd = this.idx = null;
  }

  private rotate(): void {
    if (this.fd !== null) {
      this.closed.push({ start: this.segStart, size: this.segSize });
      this.close();
    }
    this.segStart = this.end;
    this.segSize = 0;
    this.fd = openSync(join(this.o.dir, segmentFile(this.segStart)), 'a', 0o600);
    this.idx = openSync(join(this.o.dir, indexFile(this.segStart)), 'a', 0o600);
    // Every index starts with its segment's first byte, so a lookup never needs an older (maybe cut) index.
    this.lastSecond = -1;
  }

  private stamp(at: number): void {
    writeAll(this.idx!, Buffer.from(`${this.end} ${at}\n`));
  }

  /** Drop the oldest closed segments while more than the cap is kept. */
  private trim(): void {
    while (this.kept > this.o.maxBytes && this.closed.length > 0) {
      const s = this.closed.shift()!;
      rmSync(join(this.o.dir, segmentFile(s.start)), { force: true });
      rmSync(join(this.o.dir, indexFile(s.start)), { force: true });
      this.kept -= s.size;
    }
  }
}

function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
}
