/**
 * The frame of a list view that sits beside the dashboard (Jobs,
 * Schedules): a top bar with the way back to the sessions, the view's name
 * and a read-only badge, the banner, and a main area holding the loading
 * line, the cards and what shows when there are none. Each view fills the
 * cards; this keeps the views looking and behaving alike.
 */
import { createBanner, type Banner } from './banner.js';
import { h, replaceChildren } from './dom.js';

export interface ListPageOptions {
  /** The view's name: the top bar's heading and the document title. */
  title: string;
  /** Extra class of the page (its stylesheet's hook) and of the card list. */
  pageClass: string;
  listClass: string;
  loadingText: string;
  /** What shows when the list is empty. */
  empty: (HTMLElement | string)[];
}

export interface ListPage {
  banner: Banner;
  list: HTMLElement;
  empty: HTMLElement;
  loading: HTMLElement;
  readOnly: HTMLElement;
}

/** Build the frame into `root` and hand back its parts. */
export function listPage(doc: Document, root: HTMLElement, o: ListPageOptions): ListPage {
  doc.title = `${o.title} · Roost`;
  const banner = createBanner();
  const list = h('div', { class: `cards ${o.listClass}`, 'aria-live': 'polite' });
  const empty = h('div', { class: 'empty', hidden: true }, ...o.empty);
  const loading = h('p', { class: 'muted loading' }, o.loadingText);
  const readOnly = h('span', { class: 'badge badge-ro', hidden: true }, 'read-only');
  replaceChildren(root, h('div', { class: `dash-page ${o.pageClass}` },
    h('header', { class: 'topbar' },
      h('a', { class: 'back', href: '/', 'aria-label': 'Sessions' }, h('span', { 'aria-hidden': 'true' }, '‹'), h('span', { class: 'back-text' }, 'Sessions')),
      h('h1', { class: 'brand' }, o.title), readOnly, h('span', { class: 'spacer' })),
    banner.el,
    h('main', { class: 'dash' }, loading, list, empty)));
  return { banner, list, empty, loading, readOnly };
}
