/**
 * The ways to work the terminal screen (view.ts) besides a hardware
 * keyboard: typing through on-screen keyboards (ime.ts), the key bar under
 * the screen (keybar.ts: shown as this device prefers, never while
 * read-only; its keys disabled while not connected), the Find button
 * (which opens find.ts's panel), and the ⋯ menu (menu.ts) with the text
 * size.
 */
import { h, icon, replaceChildren } from '../dom.js';
import { clampFont, type DevicePrefs } from '../prefs.js';
import { TextareaInput } from './ime.js';
import { createKeybar } from './keybar.js';
import { arrangeKeys } from './keybar-arrange.js';
import { mainRow } from './keybar-keys.js';
import { StickyModifiers } from './keys.js';
import { createMenu } from './menu.js';
import type { TerminalView } from './view.js';

export interface ControlsOptions {
  win: Window;
  view: TerminalView;
  /** The screen's box, where ime.ts watches keys. */
  host: HTMLElement;
  prefs: DevicePrefs;
  touchScreen: boolean;
  /** Text typed through these controls, for the session. */
  send(text: string): void;
  openHistory(): void;
  /** The Find button: search the screen and the whole history (find.ts). */
  openFind(): void;
}

export interface Controls {
  /** For the top bar. */
  readonly findButton: HTMLElement;
  readonly menuButton: HTMLElement;
  /** Under the top bar: the menu's popover. */
  readonly menu: HTMLElement;
  /** Under the screen: the element that holds the key bar. */
  readonly keybarSlot: HTMLElement;
  /** Show the key bar or not, as this device prefers (and never while read-only). */
  showKeybar(): void;
  setReadOnly(readOnly: boolean): void;
  /** The terminal is connected (input is sent) or not (input is dropped): the key bar's keys work or are disabled. */
  setConnected(connected: boolean): void;
  /** Set the text size (clamped); `remember` stores it for this device. Returns the size set. */
  setFont(px: number, remember: boolean): number;
  /** Focus the terminal; not on a touch screen, where opening a keyboard unasked is unwelcome (a tap on the screen focuses it). */
  focus(): void;
  dispose(): void;
}

export function createControls(o: ControlsOptions): Controls {
  const { view, prefs } = o;
  let readOnly = false;
  let connected = false;
  const keybarSlot = h('div', { class: 'keybar-slot', id: 'keybar' });
  const modifiers = new StickyModifiers();
  const typing = new TextareaInput(view.textarea, o.host, { send: o.send, modifiers, appCursor: () => view.appCursor });
  const keybar = createKeybar({
    send: o.send,
    modifiers,
    appCursor: () => view.appCursor,
    afterKey: () => typing.reset(),
    onHide: () => setKeybar(false),
    main: () => mainRow(prefs.keybarKeys()),
    arrange: () => arrangeKeys({
      doc: o.win.document,
      main: mainRow(prefs.keybarKeys()),
      save: (ids) => {
        prefs.setKeybarKeys(ids);
        keybar.refresh();
      },
    }),
  });
  // Not connected until the daemon's HELLO: keys tapped before it would be dropped.
  keybar.setEnabled(false);
  const focus = () => {
    if (!o.touchScreen) view.focus();
  };
  const findButton = h('button', { type: 'button', class: 'btn btn-icon term-find', 'aria-label': 'Find in screen and history', title: 'Find', onclick: () => o.openFind() },
    icon('M10.5 4a6.5 6.5 0 1 1 0 13a6.5 6.5 0 0 1 0-13zM15.5 15.5 20 20'));
  const menu = createMenu(o.win, {
    openHistory: () => o.openHistory(),
    fontSize: () => view.fontSize,
    changeFont: (d) => setFont(view.fontSize + d, true),
    keybarShown: () => keybarSlot.childElementCount > 0,
    toggleKeybar: () => setKeybar(keybarSlot.childElementCount === 0),
    canType: () => !readOnly,
  });

  function setKeybar(shown: boolean): void {
    prefs.setKeybarShown(shown);
    replaceChildren(keybarSlot, shown && !readOnly ? keybar.el : null);
  }
  function setFont(px: number, remember: boolean): number {
    const size = clampFont(px);
    view.setFontSize(size);
    if (remember) prefs.setFontSize(size);
    return size;
  }

  return {
    findButton,
    menuButton: menu.button,
    menu: menu.el,
    keybarSlot,
    showKeybar: () => setKeybar(prefs.keybarShown(o.touchScreen)),
    setReadOnly(ro) {
      readOnly = ro;
      view.setReadOnly(ro);
      setKeybar(prefs.keybarShown(o.touchScreen));
    },
    setConnected(on) {
      if (on === connected) return;
      connected = on;
      keybar.setEnabled(on);
      // Connected again: what the keyboard's field holds was typed while away (dropped) or before the drop (the
      // line may have changed since), so it no longer matches the line: a suggestion tapped in it later must not
      // send DELs for it.
      if (on) typing.reset();
    },
    setFont,
    focus,
    dispose() {
      menu.dispose();
      keybar.dispose();
      typing.dispose();
    },
  };
}
