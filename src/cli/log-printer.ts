/**
 * Prints a job's log for `roost logs`: raw bytes as they are, or text
 * (src/shared/log-text.ts: escapes removed, `\r` redraws collapsed), each
 * line optionally dated by when its first byte arrived. Fed ranges in
 * order; writes wait for the terminal or pipe to drain, so a 1 GB log is
 * never held in memory. On a terminal, while following, the unfinished
 * last line (a progress bar) is shown and redrawn in place.
 */
import { LogLineReader, type LogLine } from '../shared/log-text.js';
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
  private readonly reader = new LogLineReader();
  private marks: { offset: number; at: number }[] = [];
  private marksUpTo = -1;
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

  /** Bytes as they are (--raw), not text. */
  get raw(): boolean {
    return this.o.raw;
  }

  /** Output before `start` was cut: say so where the log begins. */
  async cut(start: number): Promise<void> {
    if (this.o.raw) this.err.write(`${cutMarker(start)}\n`);
    else await this.lines([{ offset: -1, text: cutMarker(start) }]);
  }

  /** Print the bytes that start at `offset` (ranges come in order). */
  async bytes(offset: number, data: Buffer): Promise<void> {
    if (this.o.raw) return this.write(data);
    await this.lines(this.reader.push(offset, data));
    await this.showPending();
  }

  /** The log is over: the unfinished last line, if any. */
  async end(): Promise<void> {
    if (!this.o.raw) await this.lines(this.reader.end());
  }

  /** Lines out, each dated when asked (offset -1: a line of Roost's own, undated). */
  private async lines(lines: LogLine[]): Promise<void> {
    if (lines.length === 0 || this.closed) return;
    const prefix = (l: LogLine) => (this.o.timestamps ? `${stamp(l.offset < 0 ? null : this.timeOf(l.offset))}  ` : '');
    await this.clearPending();
    await this.write(lines.map((l) => `${prefix(l)}${l.text}\n`).join(''));
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
    const p = this.reader.pending().slice(0, Math.max(10, (this.o.columns ?? 80) - 1));
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
    if (this.out.write(data)) return;
    // A full pipe: wait until it drains, or closes, or fails (EPIPE: the constructor's handler marks it closed).
    // Not events.once: it rejects on 'error', and the loser of a race leaves its listeners behind.
    const out = this.out as NodeJS.WritableStream & { destroyed?: boolean };
    if (!out.destroyed) await new Promise<void>((resolve) => {
      const done = (): void => {
        for (const ev of ['drain', 'close', 'error']) this.out.off(ev, done);
        resolve();
      };
      for (const ev of ['drain', 'close', 'error']) this.out.on(ev, done);
    });
    if (out.destroyed) this.closed = true;
  }
}
