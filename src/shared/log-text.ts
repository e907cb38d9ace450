/**
 * A job's log as text a person reads, from the raw bytes its terminal got
 * (decoded to a string by the caller, streaming): escape sequences removed,
 * each line as a terminal would have left it. A carriage return moves back
 * to the start of the line and what follows overwrites it, so a progress
 * bar redrawn a thousand times with `\r` ends as its last state; `ESC[K`
 * erases to the end of the line; a backspace steps back; a tab goes to the
 * next multiple of 8. Lines end at `\n` only. Cursor movement across lines
 * (full-screen programs) is not replayed: its text comes out in order.
 *
 * Shared by `roost logs` and the dashboard's log viewer, so both show the
 * same text. Pure: strings in, lines out; no Node, no DOM.
 */

/** A line longer than this (characters) is broken: a program printing megabytes without a newline must not take the reader's memory. */
export const MAX_LINE_CHARS = 65_536;

type Mode = 'text' | 'esc' | 'csi' | 'osc' | 'osc-esc' | 'string' | 'string-esc' | 'charset';

export class LogText {
  private mode: Mode = 'text';
  private line: string[] = [];
  private col = 0;
  private params = '';

  /** Take more text; returns the lines it completed (without their `\n`). */
  push(text: string): string[] {
    const out: string[] = [];
    for (const ch of text) this.step(ch, out);
    return out;
  }

  /** The unfinished last line as it shows now ('' when there is none). */
  pending(): string {
    return this.line.join('').trimEnd();
  }

  /** The input is over: the unfinished last line, if it has any text. */
  end(): string[] {
    const last = this.pending();
    this.line = [];
    this.col = 0;
    this.mode = 'text';
    return last === '' ? [] : [last];
  }

  private step(ch: string, out: string[]): void {
    const c = ch.codePointAt(0)!;
    switch (this.mode) {
      case 'text':
        if (c >= 0x20 && c !== 0x7f && !(c >= 0x80 && c < 0xa0)) return this.put(ch, out);
        if (c === 0x0a) return this.newline(out);
        if (c === 0x0d) { this.col = 0; return; }
        if (c === 0x08) { this.col = Math.max(0, this.col - 1); return; }
        if (c === 0x09) { const to = (Math.floor(this.col / 8) + 1) * 8; while (this.col < to) this.put(' ', out); return; }
        if (c === 0x1b) { this.mode = 'esc'; return; }
        if (c === 0x9b) { this.mode = 'csi'; this.params = ''; return; }
        if (c === 0x9d) { this.mode = 'osc'; return; }
        return; // other control characters (BEL, ...) show nothing
      case 'esc':
        if (ch === '[') { this.mode = 'csi'; this.params = ''; return; }
        if (ch === ']') { this.mode = 'osc'; return; }
        if (ch === 'P' || ch === 'X' || ch === '^' || ch === '_') { this.mode = 'string'; return; }
        if (ch === '(' || ch === ')' || ch === '*' || ch === '+' || ch === '#' || ch === '%') { this.mode = 'charset'; return; }
        this.mode = 'text'; // a two-character sequence (ESC 7, ESC =, ...)
        return;
      case 'charset':
        this.mode = 'text';
        return;
      case 'csi':
        if (c >= 0x40 && c <= 0x7e) {
          this.mode = 'text';
          if (ch === 'K') this.eraseInLine(this.params);
          else if (ch === 'G') this.col = Math.max(0, (Number(this.params) || 1) - 1);
          return;
        }
        if (this.params.length < 32) this.params += ch;
        if (c < 0x20 || c > 0x7e) this.mode = 'text'; // malformed: give up on it
        return;
      case 'osc':
        if (c === 0x07) this.mode = 'text';
        else if (c === 0x1b) this.mode = 'osc-esc';
        return;
      case 'osc-esc':
        this.mode = ch === '\\' ? 'text' : 'osc';
        return;
      case 'string':
        if (c === 0x1b) this.mode = 'string-esc';
        return;
      case 'string-esc':
        this.mode = ch === '\\' ? 'text' : 'string';
        return;
    }
  }

  private put(ch: string, out: string[]): void {
    if (this.col >= MAX_LINE_CHARS) this.newline(out);
    while (this.line.length < this.col) this.line.push(' ');
    this.line[this.col++] = ch;
  }

  private newline(out: string[]): void {
    out.push(this.line.join('').trimEnd());
    this.line = [];
    this.col = 0;
  }

  private eraseInLine(params: string): void {
    const n = Number(params) || 0;
    if (n === 0) this.line.length = Math.min(this.line.length, this.col);
    else if (n === 1) for (let i = 0; i <= this.col && i < this.line.length; i++) this.line[i] = ' ';
    else if (n === 2) this.line = [];
  }
}

/** A whole text at once: its lines, the last one included even without a `\n`. */
export function logLines(text: string): string[] {
  const t = new LogText();
  return [...t.push(text), ...t.end()];
}

/** A line of a log with the offset of its first byte. */
export interface LogLine {
  offset: number;
  text: string;
}

/**
 * Bytes of a log, fed in order by offset, into text lines that know where
 * they start (for `roost logs --timestamps` and the dashboard's viewer,
 * which pages by offset). Lines end at `\n`, which is never inside a UTF-8
 * character, so each one decodes and converts on its own.
 */
export class LogLineReader {
  private readonly text = new LogText();
  private readonly decoder = new TextDecoder('utf-8');
  private lineStart: number | null = null;

  push(offset: number, data: Uint8Array): LogLine[] {
    this.lineStart ??= offset;
    const out: LogLine[] = [];
    let from = 0;
    while (from < data.length) {
      const nl = data.indexOf(0x0a, from);
      const end = nl < 0 ? data.length : nl + 1;
      for (const text of this.text.push(this.decoder.decode(data.subarray(from, end), { stream: true }))) out.push({ offset: this.lineStart, text });
      if (nl >= 0) this.lineStart = offset + end;
      from = end;
    }
    return out;
  }

  /** The unfinished last line as it shows now. */
  pending(): string {
    return this.text.pending();
  }

  /** The log is over: its unfinished last line, if it has text. */
  end(): LogLine[] {
    const offset = this.lineStart ?? 0;
    return [...this.text.push(this.decoder.decode()), ...this.text.end()].map((text) => ({ offset, text }));
  }
}
