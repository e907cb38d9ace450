/**
 * The end mark: what the job runner writes to the pane after the program
 * ended, so that it knows when every earlier byte has come through tmux's
 * pipe. An OSC sequence with a private number (tmux drops OSCs it does not
 * know) and the job's random token, so a program cannot end its own log by
 * printing a look-alike. The scanner finds it across chunk borders and
 * keeps it out of the log.
 */
export const endMark = (token: string): string => `\x1b]7373;roost-end;${token}\x07`;

export class EndMarkScanner {
  private readonly mark: Buffer;
  private carry: Buffer = Buffer.alloc(0);

  constructor(mark: string) {
    this.mark = Buffer.from(mark, 'latin1');
  }

  /** Bytes that are surely output, and whether the mark was seen (what follows it is dropped). */
  push(chunk: Buffer): { data: Buffer; found: boolean } {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    const at = buf.indexOf(this.mark);
    if (at >= 0) return { data: buf.subarray(0, at), found: true };
    // Hold back only a tail that could be the start of the mark; everything else goes out now.
    const keep = this.partialTail(buf);
    this.carry = Buffer.from(buf.subarray(buf.length - keep));
    return { data: buf.subarray(0, buf.length - keep), found: false };
  }

  /** What is held back, when no more comes. */
  flush(): Buffer {
    const c = this.carry;
    this.carry = Buffer.alloc(0);
    return c;
  }

  private partialTail(buf: Buffer): number {
    const max = Math.min(this.mark.length - 1, buf.length);
    for (let n = max; n > 0; n--) {
      if (buf.subarray(buf.length - n).equals(this.mark.subarray(0, n))) return n;
    }
    return 0;
  }
}
