/**
 * The key bar under a phone's terminal: the keys an on-screen keyboard lacks
 * (Esc, Tab, sticky Ctrl and Alt, arrows, |, /, ~, -, Home/End, PgUp/PgDn,
 * the tmux prefix) and one-tap replies agents ask for (Enter, y, n, Ctrl-C).
 *
 * One row that scrolls sideways (and only sideways: vertical swipes belong to
 * the terminal above it). Pressing a key never takes the focus from the
 * terminal, so the on-screen keyboard stays up: pointerdown and mousedown are
 * cancelled, and the key acts on click (a sideways scroll of the bar is not a
 * click). Arrows repeat while held.
 */
import { h, replaceChildren } from '../dom.js';
import { keySequence, modifyText, type KeyName, type ModName, type StickyModifiers } from './keys.js';

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
}

type KeySpec =
  | { kind: 'key'; key: KeyName; label: string; name: string; repeat?: boolean }
  | { kind: 'text'; text: string; label?: string; name: string }
  | { kind: 'raw'; data: string; label: string; name: string }
  | { kind: 'mod'; mod: ModName; label: string; name: string };

/** The tmux prefix sent by the prefix key (tmux's default, Ctrl-b). */
export const TMUX_PREFIX = '\x02';

/** Groups, in order: what a shell needs most first, then replies, symbols, paging. */
const GROUPS: KeySpec[][] = [
  [
    { kind: 'key', key: 'Escape', label: 'Esc', name: 'Escape' },
    { kind: 'key', key: 'Tab', label: 'Tab', name: 'Tab' },
    { kind: 'mod', mod: 'ctrl', label: 'Ctrl', name: 'Ctrl (sticky: applies to the next key; tap twice to lock)' },
    { kind: 'mod', mod: 'alt', label: 'Alt', name: 'Alt (sticky: applies to the next key; tap twice to lock)' },
    { kind: 'key', key: 'Up', label: '↑', name: 'Up', repeat: true },
    { kind: 'key', key: 'Down', label: '↓', name: 'Down', repeat: true },
    { kind: 'key', key: 'Left', label: '←', name: 'Left', repeat: true },
    { kind: 'key', key: 'Right', label: '→', name: 'Right', repeat: true },
  ],
  [
    { kind: 'key', key: 'Enter', label: '⏎', name: 'Enter' },
    { kind: 'text', text: 'y', name: 'y' },
    { kind: 'text', text: 'n', name: 'n' },
    { kind: 'raw', data: '\x03', label: '^C', name: 'Ctrl-C (interrupt)' },
  ],
  [
    { kind: 'text', text: '|', name: 'Pipe' },
    { kind: 'text', text: '/', name: 'Slash' },
    { kind: 'text', text: '~', name: 'Tilde' },
    { kind: 'text', text: '-', name: 'Dash' },
  ],
  [
    { kind: 'key', key: 'Home', label: 'Home', name: 'Home' },
    { kind: 'key', key: 'End', label: 'End', name: 'End' },
    { kind: 'key', key: 'PageUp', label: 'PgUp', name: 'Page up' },
    { kind: 'key', key: 'PageDown', label: 'PgDn', name: 'Page down' },
    { kind: 'raw', data: TMUX_PREFIX, label: '^B', name: 'tmux prefix (Ctrl-b)' },
  ],
];

/** Hold an arrow this long (ms) before it repeats, then repeat at this interval: a keyboard's usual feel. */
const REPEAT_DELAY_MS = 400;
const REPEAT_EVERY_MS = 70;

export interface Keybar {
  readonly el: HTMLElement;
  dispose(): void;
}

export function createKeybar(o: KeybarOptions): Keybar {
  const modButtons = new Map<ModName, HTMLButtonElement>();
  let repeatTimer = 0;
  let repeated = false;

  const press = (k: KeySpec) => {
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
    const label = k.kind === 'text' ? (k.label ?? k.text) : k.label;
    const b = h('button', {
      type: 'button',
      class: `key${k.kind === 'mod' ? ' key-mod' : ''}${label.length > 2 ? ' key-wide' : ''}`,
      'aria-label': k.name,
      title: k.name,
      'data-key': k.kind === 'key' ? k.key : k.kind === 'mod' ? k.mod : k.kind === 'text' ? k.text : label,
      tabindex: '-1',
    }, label);
    if (k.kind === 'mod') {
      b.setAttribute('aria-pressed', 'false');
      modButtons.set(k.mod, b);
    }
    // Keep the focus (and the on-screen keyboard) where it is.
    b.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      repeated = false;
      if (k.kind === 'key' && k.repeat) {
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

  const hide = h('button', { type: 'button', class: 'key key-hide', 'aria-label': 'Hide the key bar', title: 'Hide the key bar', tabindex: '-1' }, '⌄');
  hide.addEventListener('pointerdown', (e) => e.preventDefault());
  hide.addEventListener('mousedown', (e) => e.preventDefault());
  hide.addEventListener('click', () => o.onHide());

  const row = h('div', { class: 'keybar-row' });
  replaceChildren(row, ...GROUPS.flatMap((g, i) => [
    ...(i > 0 ? [h('span', { class: 'key-sep', 'aria-hidden': 'true' })] : []),
    ...g.map(button),
  ]), hide);
  const el = h('div', { class: 'keybar', role: 'toolbar', 'aria-label': 'Terminal keys' }, row);

  const showMods = () => {
    for (const [mod, b] of modButtons) {
      const st = o.modifiers.get(mod);
      b.setAttribute('aria-pressed', st === 'off' ? 'false' : 'true');
      b.dataset['state'] = st;
    }
  };
  const unwatch = o.modifiers.onChange(showMods);
  showMods();

  return {
    el,
    dispose() {
      stopRepeat();
      unwatch();
    },
  };
}
