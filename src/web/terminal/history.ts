/**
 * The scrollback reader: a panel over the terminal with the pane's recent
 * history (the last 10,000 lines by default, from the daemon's history
 * route, more on "Show older lines") as plain, selectable text in its
 * colours, long lines wrapped. Its parts: the text (history-text.ts),
 * search with previous/next and a count of hits (history-search.ts), and a
 * copy button (history-copy.ts).
 */
import { h, replaceChildren } from '../dom.js';
import { copyButton } from './history-copy.js';
import { historySearch } from './history-search.js';
import { paletteSheet, renderLines, type Line } from './history-text.js';

/** Lines asked for first, and the most "show older" goes to (the daemon caps it there too). */
export const HISTORY_LINES = 10_000;
export const HISTORY_MAX_LINES = 50_000;

export interface HistoryOptions {
  win: Window;
  /** e.g. "work · window 1". */
  title: string;
  load(lines: number): Promise<string[]>;
  onClose(): void;
  /** Open at a match Find chose: `fromEnd` lines from the end, with `query` searched. */
  at?: { fromEnd: number; query: string };
}

export interface HistoryPanel {
  readonly el: HTMLElement;
  dispose(): void;
}

export function openHistory(o: HistoryOptions): HistoryPanel {
  const { win } = o;
  const doc = win.document;
  const sheet = paletteSheet();
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];

  let lines: Line[] = [];
  let asked = HISTORY_LINES;
  let disposed = false;

  const status = h('p', { class: 'history-status muted', 'aria-live': 'polite' }, 'Loading history…');
  const body = h('div', { class: 'history-body', tabindex: '0', 'aria-label': 'History text' });
  const older = h('button', { type: 'button', class: 'btn btn-small history-older', hidden: true, onclick: () => void load(Math.min(HISTORY_MAX_LINES, asked * 5)) }, 'Show older lines');
  const search = historySearch({ body, lines: () => lines, changed: () => copy.relabel(), close: () => o.onClose() });
  const copy = copyButton({
    win,
    body,
    line: () => (search.current ? lines[search.current.line]!.text : null),
    all: () => lines.map((l) => l.text).join('\n'),
  });
  const close = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Close history', onclick: () => o.onClose() }, '✕');
  const el = h('section', { class: 'history', role: 'dialog', 'aria-label': 'Scrollback history' },
    h('header', { class: 'history-bar' },
      h('div', { class: 'history-row' }, h('h2', { class: 'history-title' }, o.title), copy.el, close),
      h('div', { class: 'history-row' }, search.input, search.count, search.prev, search.next)),
    h('div', { class: 'history-scroll' }, older, status, body));
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
    lines = renderLines(raw);
    const frag = doc.createDocumentFragment();
    for (const l of lines) frag.append(l.el);
    replaceChildren(body, frag);
    status.textContent = lines.length ? `${lines.length.toLocaleString('en')} lines` : 'No history yet.';
    older.hidden = raw.length < n || n >= HISTORY_MAX_LINES;
    if (search.input.value) search.search();
    else body.lastElementChild?.scrollIntoView({ block: 'end' });
    copy.relabel();
  }

  // Enough lines to reach a match Find chose (a little more, as output may have come since).
  void load(Math.min(HISTORY_MAX_LINES, Math.max(HISTORY_LINES, (o.at?.fromEnd ?? 0) + 200))).then(() => {
    if (!o.at || disposed) return;
    search.input.value = o.at.query;
    search.search();
    search.goTo(Math.max(0, lines.length - o.at.fromEnd));
  });
  // A phone keyboard for the search comes up only when asked (a tap on the field).
  if (!win.matchMedia('(pointer: coarse)').matches && !o.at) search.input.focus();
  else body.focus({ preventScroll: true });

  return {
    el,
    dispose() {
      disposed = true;
      copy.dispose();
      search.dispose();
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
      el.remove();
    },
  };
}
