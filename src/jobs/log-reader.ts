/**
 * Reading a job's log (the segments log-writer.ts writes) by offset while
 * it may still grow and lose its oldest segments: ranges for the HTTP API
 * and `roost logs -f`, the last N lines read from the end (fast on a 1 GB
 * log: only the blocks that hold them are read), chunks for a full print
 * or download, and the times of lines.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SEGMENT_RE, indexFile } from './log-writer.js';
import { brokenLineBytes } from '../shared/jobs.js';

export interface Segment {
  start: number;
  size: number;
  path: string;
}

export interface Extent {
  /** First offset kept (bytes cut before it). */
  start: number;
  /** Offset past the newest byte. */
  end: number;
  /** Bytes kept. */
  bytes: number;
}

/** The segments, oldest first; none for a missing folder. */
export function listSegments(dir: string): Segment[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: Segment[] = [];
  for (const n of names) {
    const m = SEGMENT_RE.exec(n);
    if (!m) continue;
    const path = join(dir, n);
    try {
      out.push({ start: Number(m[1]), size: statSync(path).size, path });
    } catch {
      // Cut by the writer between readdir and stat: it is no longer part of the log.
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

export function extentOf(segments: readonly Segment[]): Extent {
  if (segments.length === 0) return { start: 0, end: 0, bytes: 0 };
  const last = segments.at(-1)!;
  const bytes = segments.reduce((n, s) => n + s.size, 0);
  return { start: segments[0]!.start, end: last.start + last.size, bytes };
}

export const logExtent = (dir: string): Extent => extentOf(listSegments(dir));

/** Read up to `length` bytes at `position` of a file; a file cut meanwhile reads as nothing. */
function readAt(path: string, position: number, length: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw e;
  }
  try {
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

export interface Range {
  /** Where the bytes start: `from`, or the first kept offset if `from` was cut. */
  from: number;
  to: number;
  data: Buffer;
  extent: Extent;
}

/**
 * Bytes [from, to) of the output, clamped to what is kept: a `from` before
 * the first kept byte starts there instead (the range says so). At most
 * `max` bytes.
 */
export function readRange(dir: string, from: number, to: number, max: number): Range {
  for (let attempt = 0; ; attempt++) {
    const segments = listSegments(dir);
    const extent = extentOf(segments);
    const a = Math.max(from, extent.start);
    const b = Math.min(to, extent.end, a + max);
    if (b <= a) return { from: Math.min(a, extent.end), to: Math.min(a, extent.end), data: Buffer.alloc(0), extent };
    const parts: Buffer[] = [];
    for (const s of segments) {
      const lo = Math.max(a, s.start);
      const hi = Math.min(b, s.start + s.size);
      if (hi > lo) parts.push(readAt(s.path, lo - s.start, hi - lo));
    }
    const data = Buffer.concat(parts);
    // A segment cut between listing and reading leaves a hole: list again (the range then starts later).
    if (data.length === b - a || attempt >= 3) return { from: a, to: a + data.length, data, extent };
  }
}

/** The offset where the last `lines` lines start (a final newline does not open another line). */
export function tailStart(dir: string, lines: number): number {
  const segments = listSegments(dir);
  const { start, end } = extentOf(segments);
  if (lines <= 0) return end;
  const BLOCK = 64 * 1024;
  let pos = end;
  let seen = 0;
  let first = true;
  while (pos > start) {
    const from = Math.max(start, pos - BLOCK);
    const { data } = readRange(dir, from, pos, BLOCK);
    for (let i = data.length - 1; i >= 0; i--) {
      if (data[i] !== 0x0a) continue;
      if (first && from + i === end - 1) continue; // the last line's own newline
      if (++seen === lines) return from + i + 1;
    }
    first = false;
    pos = from;
  }
  return start;
}

/**
 * Where the first whole line at or after `from` starts: just past the first
 * newline in [from, limit), or `from` itself when `from` is the start of
 * the log or the range holds no newline (a line longer than the range).
 */
export function lineStartFrom(dir: string, from: number, limit: number): number {
  const { data, from: a, extent } = readRange(dir, from - 1, limit, limit - from + 1);
  if (a <= extent.start && from <= extent.start) return extent.start;
  const i = data.indexOf(0x0a);
  return i < 0 ? from : a + i + 1;
}

/**
 * Where text reading starts after a cut at `start` (the first kept byte):
 * past the first newline, since the cap cuts whole segments, not lines, and
 * the rest of a line whose beginning is gone ("901" of "line 12901") reads
 * as output of its own. The dropped part counts as cut (the marker says
 * this offset). `start` itself when nothing was cut, or when no newline
 * comes within `max` bytes (one long line: better its end than nothing).
 * Raw readers keep every byte.
 */
export function afterCut(dir: string, start: number, max = 64 * 1024): number {
  if (start === 0) return 0;
  const { data, from } = readRange(dir, start, Number.MAX_SAFE_INTEGER, max);
  return from + brokenLineBytes(data);
}

/** Chunks of [from, end-at-call) in order, for printing or downloading a whole log. */
export function* chunks(dir: string, from: number, chunkBytes = 1024 * 1024): Generator<Range> {
  const end = logExtent(dir).end;
  let pos = from;
  while (pos < end) {
    const r = readRange(dir, pos, end, chunkBytes);
    if (r.data.length === 0) return;
    yield r;
    pos = r.to;
  }
}

/** "offset ms" marks of the kept segments, oldest first: the time output at each offset arrived. */
export function timeMarks(dir: string): { offset: number; at: number }[] {
  const marks: { offset: number; at: number }[] = [];
  for (const s of listSegments(dir)) {
    let text: string;
    try {
      text = readFileSync(join(dir, indexFile(s.start)), 'utf8');
    } catch {
      continue; // cut meanwhile, or never written (a writer that died at once): lines show no time
    }
    for (const line of text.split('\n')) {
      const [o, t] = line.split(' ');
      if (o && t) marks.push({ offset: Number(o), at: Number(t) });
    }
  }
  return marks;
}

/** The time of the byte at `offset`: the last mark at or before it (marks sorted by offset); null before the first. */
export function timeAt(marks: readonly { offset: number; at: number }[], offset: number): number | null {
  let lo = 0;
  let hi = marks.length - 1;
  let found: number | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid]!.offset <= offset) {
      found = marks[mid]!.at;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
