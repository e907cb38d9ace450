/**
 * The window tabs across the top of a terminal: one per window of the
 * session (from the live listing), each with its status, the one this device
 * shows marked. The strip scrolls sideways on a narrow screen.
 */
import type { WindowInfo } from '../../shared/api.js';
import { h, replaceChildren } from '../dom.js';
import { terminalPath } from '../router.js';
import { statusLabel } from '../window-status.js';

export interface Tabs {
  readonly el: HTMLElement;
  update(windows: readonly WindowInfo[], current: string | null): void;
  /** The session was renamed: the tabs' links name it so from the next update. */
  rename(session: string): void;
}

export function createTabs(session: string, select: (window: string) => void): Tabs {
  const el = h('nav', { class: 'tabs', 'aria-label': 'Windows' });
  let shown: string | null = null;
  let drawn = '';
  return {
    el,
    update(windows, current) {
      // Listings come every second while anything prints; redraw only what a person would see change,
      // so a tap never lands on a tab that was replaced between touch and click.
      const look = JSON.stringify([session, current, windows.map((w) => [w.index, w.name, statusLabel(w)])]);
      if (look === drawn) return;
      drawn = look;
      const tabs = windows.map((w) => {
        const index = String(w.index);
        const st = statusLabel(w);
        const isCurrent = index === current;
        return h('a', {
          class: `tab tone-${st.tone}`,
          href: terminalPath(session, index),
          'aria-current': isCurrent ? 'page' : false,
          title: `${w.index}: ${w.name} (${st.text})`,
          'data-window': index,
          // A tab does not take the focus: on a phone the keyboard stays as it was.
          onpointerdown: (e: Event) => e.preventDefault(),
          onmousedown: (e: Event) => e.preventDefault(),
          onclick: (e: Event) => {
            const m = e as MouseEvent;
            if (m.ctrlKey || m.metaKey || m.shiftKey || m.button !== 0) return;
            e.preventDefault();
            select(index);
          },
        },
        h('span', { class: 'tab-index' }, index),
        h('span', { class: 'tab-name' }, w.name),
        st.symbol ? h('span', { class: `tab-status tone-${st.tone}`, 'aria-hidden': 'true' }, st.symbol) : null);
      });
      replaceChildren(el, ...tabs);
      // Bring the current tab into view when it changes, not on every listing (the user may be scrolling the strip).
      if (current !== shown) {
        const tab = el.querySelector<HTMLElement>('[aria-current="page"]');
        if (tab) revealTab(el, tab);
      }
      shown = current;
    },
    rename(name) {
      session = name;
    },
  };
}

/**
 * Scroll the strip so `tab` is whole in it, with the strip's left edge on a
 * tab's left edge: scrollIntoView stops where the tab just fits, which can
 * leave the tab before it cut to a few letters ("ash" for "1 bash") that read
 * as a tab of their own. The last tabs may need room after them to scroll
 * that far: the strip's end space (--tabs-end, style.css) gives it. Sideways
 * only: the page itself never moves.
 */
function revealTab(strip: HTMLElement, tab: HTMLElement): void {
  strip.style.setProperty('--tabs-end', '0px');
  const origin = strip.getBoundingClientRect().left - strip.scrollLeft;
  const leftOf = (t: Element) => t.getBoundingClientRect().left - origin;
  const left = leftOf(tab);
  const right = left + tab.getBoundingClientRect().width;
  const view = strip.clientWidth;
  let to: number;
  if (left < strip.scrollLeft) {
    to = left;
  } else if (right > strip.scrollLeft + view) {
    // The first tab edge far enough right for the tab to fit; the tab's own edge at most (a tab wider than the strip).
    const need = right - view;
    to = Math.min([...strip.children].map(leftOf).find((l) => l >= need - 0.5) ?? left, left);
  } else {
    return;
  }
  const end = to - (strip.scrollWidth - view);
  if (end > 0) strip.style.setProperty('--tabs-end', `${Math.ceil(end)}px`);
  strip.scrollLeft = to;
}
