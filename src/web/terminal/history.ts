/**
 * The scrollback reader: a panel over the terminal with the pane's recent
 * history (the last 10,000 lines by default, from the daemon's history
 * route) as plain, selectable text in its colours, long lines wrapped;
 * search with previous/next and a count of hits; and a copy button (the
 * selection, else the line of the current hit, else everything).
 *
 * Colours come as palette classes (ansi.ts) from a stylesheet built here
 * through CSSOM, which the CSP allows; the text goes in as text nodes.
 */
import { h, replaceChildren } from '../dom.js';
import { paletteColour, parseLine, PLAIN, styleClasses, type Run } from './ansi.js';
import { findAll, HitCursor, type Hit } from './text-search.js';

/** Lines asked for first, and the most "show older" goes to (the daemon caps it there too). */
export const HISTORY_LINES = 10_000;
export const HISTORY_MAX_LINES = 50_000;
/** Hits highlighted at once; the count still covers all of them. */
const MAX_HIGHLIGHTS = 2000;
/** How long (ms) "Copied" shows on the button. */
const COPIED_MS = 1500;

export interface HistoryOptions {
  win: Window;
  /** e.g. "work · window 1". */
  title: string;
  load(lines: number): Promise<string[]>;
  onClose(): void;
}

export interface HistoryPanel {
  readonly el: HTMLElement;
  dispose(): void;
}

interface Line {
  el: HTMLElement;
  text: string;
}

function paletteSheet(): CSSStyleSheet {
  const rules: string[] = [
    '.history .fg-bg { color: var(--term-bg); }',
    '.history .bg-fg { background-color: var(--text); }',
  ];
  for (let i = 0; i < 256; i++) {
    const c = paletteColour(i);
    rules.push(`.history .fg-${i} { color: ${c}; }`, `.history .bg-${i} { background-color: ${c}; }`);
  }
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(rules.join('\n'));
  return sheet;
}

function renderLine(runs: Run[]): Line {
  // Trailing blanks (capture-pane keeps them with -J) are noise when reading and copying.
  while (runs.length && /^\s*$/.test(runs[runs.length - 1]!.text) && runs[runs.length - 1]!.style.bg === null) runs.pop();
  const last = runs[runs.length - 1];
  if (last) last.text = last.text.replace(/\s+$/, '');
  const el = h('div', { class: 'hl' });
  let text = '';
  for (const r of runs) {
    text += r.text;
    const cls = styleClasses(r.style);
    el.append(cls.length ? h('span', { class: cls.join(' ') }, r.text) : document.createTextNode(r.text));
  }
  return { el, text };
}

/** A DOM range over characters [start, end) of a line element's text. */
function rangeOf(el: HTMLElement, start: number, end: number): Range {
  const range = document.createRange();
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let pos = 0;
  let startSet = false;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const len = n.textContent?.length ?? 0;
    if (!startSet && start <= pos + len) {
      range.setStart(n, start - pos);
      startSet = true;
    }
    if (startSet && end <= pos + len) {
      range.setEnd(n, end - pos);
      return range;
    }
    pos += len;
  }
  range.selectNodeContents(el);
  return range;
}

async function copyText(win: Window, text: string): Promise<boolean> {
  try {
    await win.navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API here (plain http on another host) or refused: the old way.
    const ta = h('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true' });
    ta.value = text;
    win.document.body.append(ta);
    ta.select();
    let ok = false;
    try {
      ok = win.document.execCommand('copy');
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}

export function openHistory(o: HistoryOptions): HistoryPanel {
  const { win } = o;
  const doc = win.document;
  const sheet = paletteSheet();
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  const highlights = 'highlights' in CSS ? CSS.highlights : null;

  let lines: Line[] = [];
  let asked = HISTORY_LINES;
  let cursor = new HitCursor([]);
  let capped = false;
  let disposed = false;

  const status = h('p', { class: 'history-status muted', 'aria-live': 'polite' }, 'Loading history…');
  const body = h('div', { class: 'history-body', tabindex: '0', 'aria-label': 'History text' });
  const older = h('button', { type: 'button', class: 'btn btn-small history-older', hidden: true, onclick: () => void load(Math.min(HISTORY_MAX_LINES, asked * 5)) }, 'Show older lines');
  const input = h('input', { type: 'search', class: 'find-input', placeholder: 'Search history', 'aria-label': 'Search history', enterkeyhint: 'search', autocomplete: 'off', autocapitalize: 'off', autocorrect: 'off', spellcheck: 'false' });
  const count = h('span', { class: 'find-count', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Previous match (older)', onclick: () => step(-1) }, '↑');
  const next = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Next match (newer)', onclick: () => step(1) }, '↓');
  const copy = h('button', { type: 'button', class: 'btn btn-small history-copy', onclick: () => void doCopy() }, 'Copy all');
  const close = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Close history', onclick: () => o.onClose() }, '✕');
  const el = h('section', { class: 'history', role: 'dialog', 'aria-label': 'Scrollback history' },
    h('header', { class: 'history-bar' },
      h('div', { class: 'history-row' }, h('h2', { class: 'history-title' }, o.title), copy, close),
      h('div', { class: 'history-row' }, input, count, prev, next)),
    h('div', { class: 'history-scroll' }, older, status, body));

  const selectionInside = (): string => {
    const sel = win.getSelection();
    if (!sel || sel.isCollapsed || !sel.anchorNode || !body.contains(sel.anchorNode)) return '';
    return sel.toString();
  };
  const copyLabel = () => {
    if (selectionInside()) return 'Copy selection';
    if (cursor.current) return 'Copy line';
    return 'Copy all';
  };
  const relabel = () => {
    if (copy.dataset['flash']) return;
    copy.textContent = copyLabel();
  };
  const onSelection = () => relabel();
  doc.addEventListener('selectionchange', onSelection);

  async function doCopy(): Promise<void> {
    const hit = cursor.current;
    const text = selectionInside() || (hit ? lines[hit.line]!.text : lines.map((l) => l.text).join('\n'));
    const ok = await copyText(win, text);
    copy.dataset['flash'] = '1';
    copy.textContent = ok ? 'Copied' : 'Copy failed';
    win.setTimeout(() => {
      delete copy.dataset['flash'];
      relabel();
    }, COPIED_MS);
  }

  const paint = () => {
    if (!highlights) return;
    highlights.delete('roost-hit');
    highlights.delete('roost-hit-current');
    const shown = cursor.hits.slice(0, MAX_HIGHLIGHTS).map((x) => rangeOf(lines[x.line]!.el, x.start, x.end));
    if (shown.length) highlights.set('roost-hit', new Highlight(...shown));
    const cur = cursor.current;
    if (cur) highlights.set('roost-hit-current', new Highlight(rangeOf(lines[cur.line]!.el, cur.start, cur.end)));
  };
  const show = (hit: Hit | null) => {
    for (const x of body.querySelectorAll('.hl-current')) x.classList.remove('hl-current');
    if (hit) {
      const line = lines[hit.line]!.el;
      line.classList.add('hl-current');
      line.scrollIntoView({ block: 'center' });
    }
    count.textContent = input.value ? cursor.label(capped) : '';
    paint();
    relabel();
  };
  const search = () => {
    const r = findAll(lines.map((l) => l.text), input.value);
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
      o.onClose();
    }
  });
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') o.onClose();
  });

  async function load(n: number): Promise<void> {
    asked = n;
    status.hidden = false;
    status.textContent = 'Loading history…';
    older.hidden = true;
    let raw: string[];
    try {
      raw = await o.load(n);
    } catch (e) {
      if (disposed) return;
      status.textContent = `Could not load the history: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    if (disposed) return;
    let style = PLAIN;
    lines = raw.map((text) => {
      const parsed = parseLine(text, style);
      style = parsed.style;
      return renderLine(parsed.runs);
    });
    // Blank rows below the last output (the rest of the screen) say nothing.
    while (lines.length && lines[lines.length - 1]!.text === '') lines.pop();
    const frag = doc.createDocumentFragment();
    for (const l of lines) frag.append(l.el);
    replaceChildren(body, frag);
    status.textContent = lines.length ? `${lines.length.toLocaleString('en')} lines` : 'No history yet.';
    older.hidden = raw.length < n || n >= HISTORY_MAX_LINES;
    if (input.value) search();
    else body.lastElementChild?.scrollIntoView({ block: 'end' });
    relabel();
  }

  void load(HISTORY_LINES);
  // A phone keyboard for the search comes up only when asked (a tap on the field).
  if (!win.matchMedia('(pointer: coarse)').matches) input.focus();
  else body.focus({ preventScroll: true });

  return {
    el,
    dispose() {
      disposed = true;
      doc.removeEventListener('selectionchange', onSelection);
      highlights?.delete('roost-hit');
      highlights?.delete('roost-hit-current');
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
      el.remove();
    },
  };
}
