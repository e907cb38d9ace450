/**
 * Find, the magnifier in the top bar: one search over the window's whole
 * text — what is on its screen and all of tmux's history — the same on a
 * desktop and a phone. The daemon searches (GET .../search, smartcase); the
 * panel lists the matching lines newest first, each with the lines around
 * it and the hits marked, and a tap on one opens the scrollback reader
 * there. Text goes in as text nodes, never markup.
 */
import type { SearchResponse } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import type { Match } from '../../shared/text-search.js';
import { matchWhere } from './find-where.js';

/** Typing waits this long (ms) before asking the daemon: one capture per pause, not per letter. */
const TYPE_PAUSE_MS = 250;

export interface FindOptions {
  win: Window;
  /** e.g. "work · window 1". */
  title: string;
  search(query: string): Promise<SearchResponse>;
  /** A match was chosen: open the reader at it. */
  openAt(fromEnd: number, query: string): void;
  onClose(): void;
  /** What to search for at once (e.g. the selected text). */
  query?: string;
}

export interface FindPanel {
  readonly el: HTMLElement;
  /** Focus the field; call once the panel is on the page, within the tap that opened it (iOS shows its keyboard only then). */
  focus(): void;
  dispose(): void;
}

/** The matched line with its hits in <mark>. */
function marked(m: Match): HTMLElement {
  const el = h('div', { class: 'find-line find-hit' });
  let at = 0;
  for (const [start, end] of m.ranges) {
    if (start < at) continue;
    el.append(m.text.slice(at, start), h('mark', {}, m.text.slice(start, end)));
    at = end;
  }
  el.append(m.text.slice(at));
  return el;
}

function matchItem(m: Match, choose: () => void): HTMLElement {
  const around = (lines: string[]) => lines.map((l) => h('div', { class: 'find-line' }, l || ' '));
  return h('li', {},
    h('button', { type: 'button', class: 'find-match', 'data-from-end': String(m.fromEnd), onclick: choose },
      h('span', { class: 'find-where' }, matchWhere(m.fromEnd)),
      ...around(m.before), marked(m), ...around(m.after)));
}

export function openFind(o: FindOptions): FindPanel {
  let timer = 0;
  let asked = 0;
  let disposed = false;
  const input = h('input', {
    type: 'search', class: 'find-input', placeholder: 'Find in screen and history', 'aria-label': 'Find in screen and history',
    enterkeyhint: 'search', autocomplete: 'off', autocapitalize: 'off', autocorrect: 'off', spellcheck: 'false',
  });
  const count = h('span', { class: 'find-count', 'aria-live': 'polite' });
  const list = h('ol', { class: 'find-results' });
  const close = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Close find', onclick: () => o.onClose() }, '✕');
  const el = h('section', { class: 'history find-panel', role: 'dialog', 'aria-label': 'Find' },
    h('header', { class: 'history-bar' },
      h('div', { class: 'history-row' }, h('h2', { class: 'history-title' }, `Find · ${o.title}`), close),
      h('div', { class: 'history-row' }, input, count)),
    h('div', { class: 'history-scroll' }, list));

  async function run(): Promise<void> {
    o.win.clearTimeout(timer);
    const q = input.value;
    const mine = ++asked;
    if (!q) {
      count.textContent = '';
      replaceChildren(list);
      return;
    }
    count.textContent = 'Searching…';
    let r: SearchResponse;
    try {
      r = await o.search(q);
    } catch (e) {
      if (!disposed && mine === asked) count.textContent = `Could not search: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    // An answer to an older query (typing went on) is dropped.
    if (disposed || mine !== asked) return;
    const lines = `${r.lines.toLocaleString('en')} lines`;
    count.textContent = r.total === 0 ? `no matches in ${lines}` : `${r.total.toLocaleString('en')}${r.capped ? '+' : ''} matching line${r.total === 1 ? '' : 's'} in ${lines}`;
    replaceChildren(list, ...r.matches.map((m) => matchItem(m, () => o.openAt(m.fromEnd, q))));
    if (r.total > r.matches.length) list.append(h('li', { class: 'find-more muted' }, `The newest ${r.matches.length} are shown; add words to narrow it down.`));
  }

  input.addEventListener('input', () => {
    o.win.clearTimeout(timer);
    timer = o.win.setTimeout(() => void run(), TYPE_PAUSE_MS);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void run();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      o.onClose();
    }
  });
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') o.onClose();
  });
  if (o.query) {
    input.value = o.query;
    void run();
  }
  return {
    el,
    focus: () => input.focus(),
    dispose() {
      disposed = true;
      o.win.clearTimeout(timer);
      el.remove();
    },
  };
}
