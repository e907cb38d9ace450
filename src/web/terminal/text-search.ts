/**
 * Search in the scrollback reader's plain text: every hit (line, start, end),
 * ignoring case unless the query has a capital letter (as vim's smartcase and
 * less -i do), and a cursor that steps through them and wraps around. Pure:
 * no DOM, unit-tested in Node.
 */

export interface Hit {
  line: number;
  /** UTF-16 offsets into the line's plain text. */
  start: number;
  end: number;
}

/** At most this many hits are collected (the count then reads "N+"): bounds memory on a one-letter search of 50,000 lines. */
export const MAX_HITS = 10_000;

export interface SearchResult {
  hits: Hit[];
  /** More hits exist than MAX_HITS. */
  capped: boolean;
}

export function findAll(lines: readonly string[], query: string, max = MAX_HITS): SearchResult {
  const hits: Hit[] = [];
  if (!query) return { hits, capped: false };
  const fold = query === query.toLowerCase();
  const q = fold ? query.toLowerCase() : query;
  for (let line = 0; line < lines.length; line++) {
    const text = fold ? lines[line]!.toLowerCase() : lines[line]!;
    // toLowerCase keeps UTF-16 lengths for almost all text; where it does not, offsets may drift by a character.
    let from = 0;
    for (;;) {
      const at = text.indexOf(q, from);
      if (at < 0) break;
      if (hits.length >= max) return { hits, capped: true };
      hits.push({ line, start: at, end: at + q.length });
      from = at + Math.max(1, q.length);
    }
  }
  return { hits, capped: false };
}

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
