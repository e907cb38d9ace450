/**
 * Prints a job's log for `roost logs`: raw bytes as they are, or text
 * (src/shared/log-text.ts: escapes removed, `\r` redraws collapsed), each
 * line optionally dated by when its first byte arrived. Fed ranges in
 * order; writes wait for the terminal or pipe to drain, so a 1 GB log is
 * never held in memory. On a terminal, while following, the unfinished
 * last line (a progress bar) is shown and redrawn in place.
 */
import { once } from 'node:events';
import { LogText } from '../shared/log-text.js';
import { cutMarker } from '../shared/jobs.js';
import { timeAt, timeMarks } from '../jobs/log-reader.js';

export interface PrinterOptions {
  raw: boolean;
  timestamps: boolean;
  /** Show the unfinished line in place (following, on a terminal). */
  live: boolean;
  /** The job's log folder (for the time marks). */
  dir: string;
  columns?: number | undefined;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local time to the second: "2026-01-01 10:12:03". */
export function stamp(ms: number | null): string {
  if (ms === null) return '-------------------';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

export class LogPrinter {
  private readonly text = new LogText();
  private readonly decoder = new TextDecoder('utf-8');
  private marks: { offset: number; at: number }[] = [];
  private marksUpTo = -1;
  private lineStart: number | null = null;
  private shown = '';
  /** The reader went away (a closed pipe: `roost logs x | head`). */
  closed = false;

  constructor(private readonly out: NodeJS.WritableStream, private readonly err: NodeJS.WritableStream, private readonly o: PrinterOptions) {
    out.on('error', (e: NodeJS.ErrnoException) => {
      // EPIPE: whoever read our output has what it wanted.
      if (e.code === 'EPIPE') this.closed = true;
      else throw e;
    });
  }

  /** Output before `start` was cut: say so where the log begins. */
  async cut(start: number): Promise<void> {
    if (this.o.raw) this.err.write(`${cutMarker(start)}\n`);
    else await this.lines([cutMarker(start)], null);
  }

  /** Print the bytes that start at `offset` (ranges come in order). */
  async bytes(offset: number, data: Buffer): Promise<void> {
    if (this.o.raw) return this.write(data);
    this.lineStart ??= offset;
    let from = 0;
    while (from < data.length && !this.closed) {
      const nl = data.indexOf(0x0a, from);
      const end = nl < 0 ? data.length : nl + 1;
      const done = this.text.push(this.decoder.decode(data.subarray(from, end), { stream: true }));
      if (done.length) await this.lines(done, this.lineStart);
      if (nl >= 0) this.lineStart = offset + end;
      from = end;
    }
    await this.showPending();
  }

  /** The log is over: the unfinished last line, if any. */
  async end(): Promise<void> {
    if (this.o.raw) return;
    const rest = this.text.push(this.decoder.decode());
    await this.lines([...rest, ...this.text.end()], this.lineStart);
  }

  private async lines(lines: string[], start: number | null): Promise<void> {
    if (lines.length === 0) return;
    let prefix = '';
    if (this.o.timestamps) prefix = `${stamp(start === null ? null : this.timeOf(start))}  `;
    await this.clearPending();
    await this.write(lines.map((l) => `${prefix}${l}\n`).join(''));
  }

  private timeOf(offset: number): number | null {
    if (offset > this.marksUpTo) {
      this.marks = timeMarks(this.o.dir);
      this.marksUpTo = this.marks.at(-1)?.offset ?? -1;
    }
    return timeAt(this.marks, offset);
  }

  private async showPending(): Promise<void> {
    if (!this.o.live) return;
    const p = this.text.pending().slice(0, Math.max(10, (this.o.columns ?? 80) - 1));
    if (p === this.shown) return;
    this.shown = p;
    await this.write(`\r\x1b[K${p}`);
  }

  private async clearPending(): Promise<void> {
    if (!this.o.live || this.shown === '') return;
    this.shown = '';
    await this.write('\r\x1b[K');
  }

  private async write(data: string | Buffer): Promise<void> {
    if (this.closed) return;
    if (!this.out.write(data)) await Promise.race([once(this.out, 'drain'), once(this.out, 'close')]);
  }
}
