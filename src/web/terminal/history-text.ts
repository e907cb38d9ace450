/**
 * The scrollback reader's text as DOM: each line of the pane's history as an
 * element, its colours as palette classes (ansi.ts) and its text as text
 * nodes; the stylesheet of those classes, built through CSSOM, which the CSP
 * allows; and DOM ranges over a line's characters, for highlighting hits.
 */
import { h } from '../dom.js';
import { paletteColour, parseLine, PLAIN, styleClasses, type Run } from './ansi.js';

export interface Line {
  el: HTMLElement;
  text: string;
}

export function paletteSheet(): CSSStyleSheet {
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

/** Lines as the daemon sent them (with SGR escapes; a style carries over to the next line) → line elements. */
export function renderLines(raw: readonly string[]): Line[] {
  let style = PLAIN;
  const lines = raw.map((text) => {
    const parsed = parseLine(text, style);
    style = parsed.style;
    return renderLine(parsed.runs);
  });
  // Blank rows below the last output (the rest of the screen) say nothing.
  while (lines.length && lines[lines.length - 1]!.text === '') lines.pop();
  return lines;
}

/** A DOM range over characters [start, end) of a line element's text. */
export function rangeOf(el: HTMLElement, start: number, end: number): Range {
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
