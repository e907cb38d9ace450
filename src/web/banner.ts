/**
 * The strip under the top bar that says what the connection is doing
 * ("Reconnecting…", "Session ended", an error), with optional buttons. It is
 * a live region, so screen readers announce it too.
 */
import { h, replaceChildren } from './dom.js';

export type BannerKind = 'reconnecting' | 'error' | 'ended' | 'info';

export interface BannerAction {
  label: string;
  run(): void;
}

export interface Banner {
  readonly el: HTMLElement;
  show(kind: BannerKind, text: string, actions?: BannerAction[]): void;
  hide(): void;
  /** The kind on show, or null while hidden (tests and styling read data-kind too). */
  readonly kind: BannerKind | null;
}

export function createBanner(): Banner {
  const el = h('div', { class: 'banner', role: 'status', 'aria-live': 'polite', hidden: true });
  let kind: BannerKind | null = null;
  return {
    el,
    get kind() {
      return kind;
    },
    show(k, text, actions = []) {
      kind = k;
      el.dataset['kind'] = k;
      const buttons = actions.map((a) => h('button', { type: 'button', class: 'btn btn-small', onclick: () => a.run() }, a.label));
      replaceChildren(el, h('span', { class: 'banner-text' }, text), ...buttons);
      el.hidden = false;
    },
    hide() {
      kind = null;
      delete el.dataset['kind'];
      el.hidden = true;
      replaceChildren(el);
    },
  };
}
