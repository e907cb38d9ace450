/**
 * The terminal's "more" menu (the ⋯ button in the top bar): the scrollback
 * reader, text size (A− / A+), and showing or hiding the key bar. A small
 * popover; a tap outside it or Escape closes it. Buttons in it do not take
 * the focus from the terminal, so the on-screen keyboard stays as it was.
 */
import { h } from '../dom.js';

export interface MenuOptions {
  openHistory(): void;
  fontSize(): number;
  /** Change the font size by `delta` px; returns the new size. */
  changeFont(delta: number): number;
  keybarShown(): boolean;
  toggleKeybar(): void;
  /** False while the terminal is read-only or not yet connected (no key bar then). */
  canType(): boolean;
}

export interface TermMenu {
  readonly button: HTMLButtonElement;
  readonly el: HTMLElement;
  close(): void;
  dispose(): void;
}

const keepFocus = <T extends HTMLElement>(b: T): T => {
  b.addEventListener('pointerdown', (e) => e.preventDefault());
  b.addEventListener('mousedown', (e) => e.preventDefault());
  return b;
};

export function createMenu(win: Window, o: MenuOptions): TermMenu {
  const size = h('span', { class: 'menu-size', 'aria-live': 'polite' });
  const smaller = keepFocus(h('button', { type: 'button', class: 'btn menu-font', 'aria-label': 'Smaller text', 'data-action': 'font-smaller', onclick: () => showSize(o.changeFont(-1)) }, 'A−'));
  const larger = keepFocus(h('button', { type: 'button', class: 'btn menu-font', 'aria-label': 'Larger text', 'data-action': 'font-larger', onclick: () => showSize(o.changeFont(1)) }, 'A+'));
  const keybar = keepFocus(h('button', { type: 'button', class: 'btn menu-item', 'data-action': 'keybar', onclick: () => { o.toggleKeybar(); close(); } }));
  const history = keepFocus(h('button', { type: 'button', class: 'btn menu-item', 'data-action': 'history', onclick: () => { close(); o.openHistory(); } }, 'Scrollback history'));
  const el = h('div', { class: 'term-menu', role: 'menu', 'aria-label': 'Terminal options', hidden: true },
    history,
    h('div', { class: 'menu-row' }, h('span', { class: 'menu-label' }, 'Text size'), smaller, size, larger),
    keybar);
  const button = keepFocus(h('button', {
    type: 'button', class: 'btn btn-icon', 'aria-label': 'More', title: 'More', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
    onclick: () => (el.hidden ? open() : close()),
  }, '⋯'));

  function showSize(px: number): void {
    size.textContent = `${px} px`;
  }
  function open(): void {
    showSize(o.fontSize());
    keybar.textContent = o.keybarShown() ? 'Hide key bar' : 'Show key bar';
    keybar.hidden = !o.canType();
    el.hidden = false;
    button.setAttribute('aria-expanded', 'true');
  }
  function close(): void {
    el.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  }
  const outside = (e: Event) => {
    if (!el.hidden && !el.contains(e.target as Node) && !button.contains(e.target as Node)) close();
  };
  const escape = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !el.hidden) close();
  };
  win.document.addEventListener('pointerdown', outside, true);
  win.document.addEventListener('keydown', escape, true);
  return {
    button,
    el,
    close,
    dispose() {
      win.document.removeEventListener('pointerdown', outside, true);
      win.document.removeEventListener('keydown', escape, true);
    },
  };
}
