/**
 * A tiny element builder. Text always goes in as text nodes (textContent),
 * never as markup, so a session or window named like HTML shows literally.
 * No `style` attributes: the CSP refuses them; use classes from style.css.
 */

export type Child = Node | string | number | null | undefined | false;
type Handler = (ev: Event) => void;
export type Props = Record<string, string | number | boolean | Handler | null | undefined>;

/**
 * h('button', {class: 'btn', type: 'button', onclick: fn}, 'Kill').
 * `onX` functions become listeners; `true` sets an empty attribute; false/null/undefined skip it.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === false || value === null || value === undefined) continue;
    if (typeof value === 'function') {
      if (!key.startsWith('on')) throw new Error(`h(): function for non-event prop ${key}`);
      el.addEventListener(key.slice(2), value);
    } else if (key === 'style' || key.startsWith('on')) {
      throw new Error(`h(): refusing attribute ${key} (CSP and injection safety)`);
    } else if (key === 'class') {
      el.className = String(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replace all children of `el`. */
export function replaceChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

/** A stroked line icon from SVG path data (built with the DOM, not markup). */
export function icon(d: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}
