/**
 * The browser's half of the ack-based flow control (src/shared/protocol.ts):
 * count OUTPUT bytes once xterm has rendered them, and acknowledge them in
 * steps of ACK_STEP_BYTES, as VS Code's terminal does from xterm's write
 * callback. The daemon drops output while too much is unacknowledged and
 * redraws the screen once the tab caught up, so a tab that cannot keep up
 * costs no memory anywhere and is shown the current screen.
 *
 * Also the input side: xterm's data → bytes, cut into INPUT frames.
 */
import { ACK_STEP_BYTES, INPUT_CHUNK_BYTES } from '../../shared/protocol.js';

export class AckCounter {
  private pending = 0;

  constructor(private readonly step = ACK_STEP_BYTES) {}

  /**
   * `n` more bytes were rendered. Returns how many bytes to acknowledge now
   * (everything rendered since the last ACK once that reaches a step), or 0.
   */
  rendered(n: number): number {
    this.pending += n;
    if (this.pending < this.step) return 0;
    const ack = this.pending;
    this.pending = 0;
    return ack;
  }

  /** Rendered but not yet acknowledged (below one step). */
  get unacknowledged(): number {
    return this.pending;
  }
}

/** Cut `data` into pieces of at most `size` bytes (views, no copies). */
export function* chunks(data: Uint8Array, size = INPUT_CHUNK_BYTES): Generator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, Math.min(data.length, i + size));
}

const encoder = new TextEncoder();

/** xterm's onData: a string of characters, sent as UTF-8. */
export function textBytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/** xterm's onBinary: one character per byte (code points 0-255), e.g. some mouse reports. */
export function binaryBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
