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
      const look = JSON.stringify([current, windows.map((w) => [w.index, w.name, statusLabel(w)])]);
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
      if (current !== shown) el.querySelector('[aria-current="page"]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      shown = current;
    },
  };
}
