/**
 * The key bar under a phone's terminal: the keys an on-screen keyboard lacks
 * (Esc, Tab, sticky Ctrl and Alt, arrows, |, /, ~, -, Home/End, PgUp/PgDn,
 * the tmux prefix) and one-tap replies agents ask for (Enter, y, n, Ctrl-C).
 *
 * One row, as wide as the screen: the main keys (keybar-keys.ts: the
 * device's choice and order, by default Enter, y, n, Ctrl-C, Esc, arrows,
 * Tab) share its width, so none needs scrolling to; ⋯ swaps in the other
 * keys (a row that scrolls sideways, with "Arrange" and "Hide"), ‹ swaps
 * back. Pressing a key never takes the focus from the terminal, so the
 * on-screen keyboard stays up: pointerdown and mousedown are cancelled, and
 * the key acts on click (a sideways scroll of the bar is not a click).
 * Arrows repeat while held, until the finger lifts or slides off the key.
 *
 * While the terminal is not connected (connecting, reconnecting) the keys
 * that go to the session, Ctrl and Alt too, are disabled: they stay where
 * they are (no layout jump), dimmed and aria-disabled, and a tap does
 * nothing, as typed keys are dropped then (connection.ts). Not the HTML
 * disabled attribute: a tap on a disabled button would take the focus from
 * the terminal and close the on-screen keyboard. ⋯, ‹, Arrange and ⌄ act on
 * the page alone and keep working.
 */
import { h, replaceChildren } from '../dom.js';
import { keyById, moreRow, type KeySpec } from './keybar-keys.js';
import { keySequence, modifyText, type ModName, type StickyModifiers } from './keys.js';

export interface KeybarOptions {
  /** Send bytes to the session. */
  send(data: string): void;
  modifiers: StickyModifiers;
  /** xterm's application cursor keys mode (DECCKM). */
  appCursor(): boolean;
  /** After a key: the line editor moved, so the typing layer forgets its text. */
  afterKey(): void;
  /** The user hid the bar. */
  onHide(): void;
  /** The main row's key ids, in order. */
  main(): readonly string[];
  /** "Arrange keys" was tapped. */
  arrange(): void;
}

/** Hold an arrow this long (ms) before it repeats, then repeat at this interval: a keyboard's usual feel. */
const REPEAT_DELAY_MS = 400;
const REPEAT_EVERY_MS = 70;

export interface Keybar {
  readonly el: HTMLElement;
  /** Show the main row again, rebuilt (its keys changed). */
  refresh(): void;
  /** Whether the keys that go to the session work (the terminal is connected). */
  setEnabled(enabled: boolean): void;
  dispose(): void;
}

/** A bar button that keeps the focus (and the on-screen keyboard) where it is; `act` on click. */
function barButton(cls: string, label: string, name: string, key: string, act: () => void): HTMLButtonElement {
  const b = h('button', { type: 'button', class: cls, 'aria-label': name, title: name, 'data-key': key, tabindex: '-1' }, label);
  b.addEventListener('pointerdown', (e) => e.preventDefault());
  b.addEventListener('mousedown', (e) => e.preventDefault());
  b.addEventListener('click', (e) => {
    e.preventDefault();
    act();
  });
  return b;
}

export function createKeybar(o: KeybarOptions): Keybar {
  const modButtons = new Map<ModName, HTMLButtonElement>();
  let repeatTimer = 0;
  let repeated = false;
  let showingMore = false;
  let enabled = true;
  const sessionKeys = new Set<HTMLButtonElement>();

  const press = (k: KeySpec) => {
    if (!enabled) return;
    switch (k.kind) {
      case 'mod':
        o.modifiers.tap(k.mod);
        return;
      case 'key':
        o.send(keySequence(k.key, o.modifiers.consume(), o.appCursor()));
        break;
      case 'text':
        o.send(modifyText(k.text, o.modifiers.consume()));
        break;
      case 'raw':
        o.modifiers.consume();
        o.send(k.data);
        break;
    }
    o.afterKey();
  };
  const stopRepeat = () => {
    window.clearTimeout(repeatTimer);
    window.clearInterval(repeatTimer);
    repeatTimer = 0;
  };

  const button = (k: KeySpec): HTMLButtonElement => {
    const b = h('button', {
      type: 'button',
      class: `key${k.kind === 'mod' ? ' key-mod' : ''}${k.label.length > 2 ? ' key-wide' : ''}`,
      'aria-label': k.name,
      title: k.name,
      'data-key': k.id,
      tabindex: '-1',
    }, k.label);
    if (!enabled) b.setAttribute('aria-disabled', 'true');
    sessionKeys.add(b);
    if (k.kind === 'mod') {
      b.setAttribute('aria-pressed', 'false');
      modButtons.set(k.mod, b);
    }
    // Keep the focus (and the on-screen keyboard) where it is.
    b.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      repeated = false;
      if (enabled && k.kind === 'key' && k.repeat) {
        stopRepeat();
        repeatTimer = window.setTimeout(() => {
          repeatTimer = window.setInterval(() => {
            repeated = true;
            press(k);
          }, REPEAT_EVERY_MS);
        }, REPEAT_DELAY_MS);
      }
    });
    b.addEventListener('mousedown', (e) => e.preventDefault());
    for (const type of ['pointerup', 'pointercancel', 'pointerleave'] as const) b.addEventListener(type, stopRepeat);
    // A finger sliding off the key stops its repeat, as a phone's own keys do. A touch is captured by the key it
    // went down on (implicit pointer capture), so pointerleave waits for the lift: watch where it moves instead.
    b.addEventListener('pointermove', (e) => {
      if (!repeatTimer) return;
      const r = b.getBoundingClientRect();
      if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) stopRepeat();
    });
    b.addEventListener('click', (e) => {
      e.preventDefault();
      // A held arrow already sent its repeats; its click adds nothing.
      if (repeated) {
        repeated = false;
        return;
      }
      press(k);
    });
    return b;
  };

  const row = h('div', { class: 'keybar-row' });
  const el = h('div', { class: 'keybar', role: 'toolbar', 'aria-label': 'Terminal keys' }, row);

  function build(): void {
    modButtons.clear();
    sessionKeys.clear();
    const main = o.main().map(keyById).filter((k): k is KeySpec => k !== undefined);
    if (!showingMore) {
      el.dataset['row'] = 'main';
      replaceChildren(row, ...main.map(button), barButton('key key-nav', '⋯', 'More keys', 'more', () => swap(true)));
    } else {
      el.dataset['row'] = 'more';
      replaceChildren(row,
        barButton('key key-nav', '‹', 'Back to the main keys', 'back', () => swap(false)),
        ...moreRow(main.map((k) => k.id)).map(button),
        barButton('key key-wide key-nav', 'Arrange', 'Choose and order the main keys', 'arrange', () => o.arrange()),
        barButton('key key-hide', '⌄', 'Hide the key bar', 'hide', () => o.onHide()));
    }
    showMods();
  }
  function swap(more: boolean): void {
    showingMore = more;
    el.scrollLeft = 0;
    build();
  }
  function showMods(): void {
    for (const [mod, b] of modButtons) {
      const st = o.modifiers.get(mod);
      b.setAttribute('aria-pressed', st === 'off' ? 'false' : 'true');
      b.dataset['state'] = st;
    }
  }
  const unwatch = o.modifiers.onChange(showMods);
  build();

  return {
    el,
    refresh: () => swap(false),
    setEnabled(on) {
      if (on === enabled) return;
      enabled = on;
      // A held arrow stops repeating when the connection drops; it does not resume by itself when it returns.
      if (!on) stopRepeat();
      for (const b of sessionKeys) {
        if (on) b.removeAttribute('aria-disabled');
        else b.setAttribute('aria-disabled', 'true');
      }
    },
    dispose() {
      stopRepeat();
      unwatch();
    },
  };
}
