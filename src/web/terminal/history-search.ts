/**
 * Search in the scrollback reader: the field, previous/next (Enter steps to
 * older hits, Shift+Enter to newer), the count of hits, and their
 * highlights (CSS Custom Highlights where the browser has them; the current
 * hit's line is marked and scrolled into view either way).
 */
import { h } from '../dom.js';
import { rangeOf, type Line } from './history-text.js';
import { findAll, HitCursor, type Hit } from './text-search.js';

/** Hits highlighted at once; the count still covers all of them. */
const MAX_HIGHLIGHTS = 2000;

export interface HistorySearchOptions {
  /** The text's element, holding the line elements. */
  body: HTMLElement;
  lines(): readonly Line[];
  /** The current hit changed. */
  changed(): void;
  /** Escape in the field. */
  close(): void;
}

export interface HistorySearch {
  readonly input: HTMLInputElement;
  readonly count: HTMLElement;
  readonly prev: HTMLElement;
  readonly next: HTMLElement;
  readonly current: Hit | null;
  /** Search the lines for what the field holds, from the newest hit. */
  search(): void;
  /** Make the first hit on `line` or after it current (the reader opened at a match). */
  goTo(line: number): void;
  dispose(): void;
}

export function historySearch(o: HistorySearchOptions): HistorySearch {
  const highlights = 'highlights' in CSS ? CSS.highlights : null;
  let cursor = new HitCursor([]);
  let capped = false;

  const input = h('input', { type: 'search', class: 'find-input', placeholder: 'Search history', 'aria-label': 'Search history', enterkeyhint: 'search', autocomplete: 'off', autocapitalize: 'off', autocorrect: 'off', spellcheck: 'false' });
  const count = h('span', { class: 'find-count', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Previous match (older)', onclick: () => step(-1) }, '↑');
  const next = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Next match (newer)', onclick: () => step(1) }, '↓');

  const paint = () => {
    if (!highlights) return;
    highlights.delete('roost-hit');
    highlights.delete('roost-hit-current');
    const lines = o.lines();
    const shown = cursor.hits.slice(0, MAX_HIGHLIGHTS).map((x) => rangeOf(lines[x.line]!.el, x.start, x.end));
    if (shown.length) highlights.set('roost-hit', new Highlight(...shown));
    const cur = cursor.current;
    if (cur) highlights.set('roost-hit-current', new Highlight(rangeOf(lines[cur.line]!.el, cur.start, cur.end)));
  };
  const show = (hit: Hit | null) => {
    for (const x of o.body.querySelectorAll('.hl-current')) x.classList.remove('hl-current');
    if (hit) {
      const line = o.lines()[hit.line]!.el;
      line.classList.add('hl-current');
      line.scrollIntoView({ block: 'center' });
    }
    count.textContent = input.value ? cursor.label(capped) : '';
    paint();
    o.changed();
  };
  const search = () => {
    const r = findAll(o.lines().map((l) => l.text), input.value);
    capped = r.capped;
    cursor = new HitCursor(r.hits);
    show(cursor.current);
  };
  function step(dir: 1 | -1): void {
    if (cursor.hits.length === 0) return search();
    show(dir > 0 ? cursor.next() : cursor.previous());
  }
  input.addEventListener('input', search);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      step(e.shiftKey ? 1 : -1);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      o.close();
    }
  });

  return {
    input,
    count,
    prev,
    next,
    get current() {
      return cursor.current;
    },
    search,
    goTo(line) {
      show(cursor.moveTo(line));
    },
    dispose() {
      highlights?.delete('roost-hit');
      highlights?.delete('roost-hit-current');
    },
  };
}
