/**
 * Finding text in a terminal's lines, written once for the daemon (which
 * searches a pane's whole history, GET .../search) and the browser (which
 * searches the text its reader shows): every hit, ignoring case unless the
 * query has a capital letter (as vim's smartcase and less -i do), and the
 * hits grouped into matches with the lines around them. Pure.
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

/** One line that matched, with the lines around it. */
export interface Match {
  /** The line's place in the text searched (0 = the oldest line). */
  line: number;
  /** How many lines from the end of the text (1 = the last line): where a reader of the newest lines finds it. */
  fromEnd: number;
  text: string;
  /** Where the query is in `text`: [start, end) offsets. */
  ranges: [number, number][];
  before: string[];
  after: string[];
}

/**
 * The lines with hits, newest first, at most `max`, each with `context`
 * lines before and after it (lines are cut to `width` characters: a match
 * is for reading, the reader has the whole line).
 */
export function matchesInContext(lines: readonly string[], hits: readonly Hit[], o: { context: number; max: number; width: number }): Match[] {
  const byLine = new Map<number, [number, number][]>();
  for (const h of hits) {
    const r = byLine.get(h.line);
    if (r) r.push([h.start, h.end]);
    else byLine.set(h.line, [[h.start, h.end]]);
  }
  const cut = (s: string) => (s.length > o.width ? `${s.slice(0, o.width - 1)}…` : s);
  const out: Match[] = [];
  for (const line of [...byLine.keys()].sort((a, b) => b - a).slice(0, o.max)) {
    const full = lines[line]!;
    const ranges = byLine.get(line)!;
    // The line itself is not cut before its last hit, so every range stays inside the text.
    const keep = Math.max(o.width, ranges.at(-1)![1] + 40);
    out.push({
      line,
      fromEnd: lines.length - line,
      text: full.length > keep ? `${full.slice(0, keep)}…` : full,
      ranges,
      before: lines.slice(Math.max(0, line - o.context), line).map(cut),
      after: lines.slice(line + 1, line + 1 + o.context).map(cut),
    });
  }
  return out;
}
