/**
 * The scrollback reader's copy button: it copies the selection in the text,
 * else the line of the current hit, else everything, and its label says
 * which; "Copied" (or "Copy failed") shows on it for a moment after.
 */
import { h } from '../dom.js';

/** How long (ms) "Copied" shows on the button. */
const COPIED_MS = 1500;

export interface CopyOptions {
  win: Window;
  /** The text's element: a selection elsewhere on the page is not the reader's. */
  body: HTMLElement;
  /** The current hit's line, or null without one. */
  line(): string | null;
  all(): string;
}

export interface CopyButton {
  readonly el: HTMLButtonElement;
  /** Say again what a tap copies (the selection or the current hit changed). */
  relabel(): void;
  dispose(): void;
}

async function copyText(win: Window, text: string): Promise<boolean> {
  try {
    await win.navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API here (plain http on another host) or refused: the old way.
    const ta = h('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true' });
    ta.value = text;
    win.document.body.append(ta);
    ta.select();
    let ok = false;
    try {
      ok = win.document.execCommand('copy');
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}

export function copyButton(o: CopyOptions): CopyButton {
  const { win } = o;
  const el = h('button', { type: 'button', class: 'btn btn-small history-copy', onclick: () => void doCopy() }, 'Copy all');
  const selectionInside = (): string => {
    const sel = win.getSelection();
    if (!sel || sel.isCollapsed || !sel.anchorNode || !o.body.contains(sel.anchorNode)) return '';
    return sel.toString();
  };
  const label = () => {
    if (selectionInside()) return 'Copy selection';
    if (o.line() !== null) return 'Copy line';
    return 'Copy all';
  };
  const relabel = () => {
    if (el.dataset['flash']) return;
    el.textContent = label();
  };
  const onSelection = () => relabel();
  win.document.addEventListener('selectionchange', onSelection);

  async function doCopy(): Promise<void> {
    const text = selectionInside() || (o.line() ?? o.all());
    const ok = await copyText(win, text);
    el.dataset['flash'] = '1';
    el.textContent = ok ? 'Copied' : 'Copy failed';
    win.setTimeout(() => {
      delete el.dataset['flash'];
      relabel();
    }, COPIED_MS);
  }

  return {
    el,
    relabel,
    dispose() {
      win.document.removeEventListener('selectionchange', onSelection);
    },
  };
}
