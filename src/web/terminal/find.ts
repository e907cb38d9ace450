/**
 * Find in the terminal (xterm's search addon): a small bar with the search
 * text, previous/next and a count of matches, opened from the top bar.
 */
import type { SearchAddon } from '@xterm/addon-search';
import { h } from '../dom.js';

const DECORATIONS = {
  matchBackground: '#5c4b1f',
  matchOverviewRuler: '#f0c674',
  activeMatchBackground: '#a37f1c',
  activeMatchColorOverviewRuler: '#ffd479',
};

export interface FindBar {
  readonly el: HTMLElement;
  open(): void;
  close(): void;
  readonly isOpen: boolean;
}

export function createFindBar(search: SearchAddon, onClose: () => void): FindBar {
  const input = h('input', { type: 'search', class: 'find-input', placeholder: 'Find in terminal', 'aria-label': 'Find in terminal', enterkeyhint: 'search', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false' });
  const count = h('span', { class: 'find-count', 'aria-live': 'polite' });
  const opts = { decorations: DECORATIONS };
  const next = () => void search.findNext(input.value, opts);
  const prev = () => void search.findPrevious(input.value, opts);
  search.onDidChangeResults(({ resultIndex, resultCount }) => {
    count.textContent = !input.value ? '' : resultCount === 0 ? 'no matches' : resultIndex < 0 ? `${resultCount}+ matches` : `${resultIndex + 1} of ${resultCount}`;
  });
  input.addEventListener('input', () => {
    if (input.value) search.findNext(input.value, { ...opts, incremental: true });
    else search.clearDecorations();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (e.shiftKey) prev();
      else next();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      bar.close();
    }
  });
  const el = h('div', { class: 'find-bar', hidden: true },
    input, count,
    h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Previous match', onclick: prev }, '↑'),
    h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Next match', onclick: next }, '↓'),
    h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Close find', onclick: () => bar.close() }, '✕'));
  const bar: FindBar = {
    el,
    get isOpen() {
      return !el.hidden;
    },
    open() {
      el.hidden = false;
      input.focus();
      input.select();
    },
    close() {
      el.hidden = true;
      search.clearDecorations();
      count.textContent = '';
      onClose();
    },
  };
  return bar;
}
