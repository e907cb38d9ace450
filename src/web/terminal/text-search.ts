/**
 * Search in the scrollback reader's plain text: the hits (src/shared/
 * text-search.ts, as the daemon's search finds them) and a cursor that steps
 * through them and wraps around. Pure: no DOM, unit-tested in Node.
 */

export { findAll, MAX_HITS, type Hit, type SearchResult } from '../../shared/text-search.js';
import type { Hit } from '../../shared/text-search.js';

/** Which hit is current; starts at the last one (the newest output), as a reader searches upwards from the end. */
export class HitCursor {
  private i: number;

  constructor(readonly hits: readonly Hit[]) {
    this.i = hits.length - 1;
  }

  get index(): number {
    return this.i;
  }

  get current(): Hit | null {
    return this.hits[this.i] ?? null;
  }

  /** The first hit on `line` or after it (else the last): where a reader opened at a match starts. */
  moveTo(line: number): Hit | null {
    const i = this.hits.findIndex((h) => h.line >= line);
    this.i = i >= 0 ? i : this.hits.length - 1;
    return this.current;
  }

  /** Towards the end of the text (wraps to the first hit). */
  next(): Hit | null {
    if (this.hits.length === 0) return null;
    this.i = (this.i + 1) % this.hits.length;
    return this.current;
  }

  /** Towards the start of the text (wraps to the last hit). */
  previous(): Hit | null {
    if (this.hits.length === 0) return null;
    this.i = (this.i - 1 + this.hits.length) % this.hits.length;
    return this.current;
  }

  /** "3 of 12", "no matches", "1 of 10000+". */
  label(capped = false): string {
    if (this.hits.length === 0) return 'no matches';
    return `${this.i + 1} of ${this.hits.length}${capped ? '+' : ''}`;
  }
}
