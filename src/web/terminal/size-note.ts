/**
 * The strip above the screen while this device shows a window another
 * device sizes: it says so (with the window's size as tmux reports it, its
 * status line not counted; shorter words on a phone, the size under them),
 * how a window wider than this screen shows here (scroll sideways, or zoom
 * out until it fits: the device remembers), and one tap to size the window
 * for this screen (as typing in it does). Hidden while this device sizes
 * the window, and once the session ended (no window left to size).
 */
import type { WindowSize } from '../../shared/protocol.js';
import { h } from '../dom.js';
import type { WideView } from '../prefs.js';

export interface SizeNoteOptions {
  /** Size the window for this screen (FIT). */
  fit(): void;
  /** Pan or zoom chosen. */
  setWide(v: WideView): void;
}

export interface SizeNote {
  readonly el: HTMLElement;
  /**
   * What to say: `size` null or sizer hides the strip; `wider` the window is
   * wider than the box at this device's text size (the pan/zoom choice only
   * matters then); `canFit` false for a read-only view.
   */
  show(size: WindowSize | null, o: { wide: WideView; wider: boolean; canFit: boolean }): void;
  /** Hide the strip until the next show (the session ended). */
  hide(): void;
}

export function sizeNote(o: SizeNoteOptions): SizeNote {
  let wide: WideView = 'pan';
  const keepFocus = { onpointerdown: (e: Event) => e.preventDefault(), onmousedown: (e: Event) => e.preventDefault() };
  // Both wordings are there; style.css shows the short one on a phone, where the long one leaves the size no room.
  const text = h('span', { class: 'size-note-text' },
    h('span', { class: 'size-note-long' }, 'Sized for another device'), h('span', { class: 'size-note-short' }, 'Sized elsewhere'));
  const dims = h('span', { class: 'size-note-dims muted' });
  const wideButton = h('button', {
    type: 'button', class: 'btn btn-small size-note-wide', ...keepFocus,
    onclick: () => o.setWide(wide === 'pan' ? 'zoom' : 'pan'),
  });
  const fitButton = h('button', {
    type: 'button', class: 'btn btn-small btn-primary size-note-fit', title: 'Size the window for this screen (typing here does too)', ...keepFocus,
    onclick: () => o.fit(),
  }, 'Fit here');
  const el = h('div', { class: 'size-note', role: 'status', hidden: true },
    h('span', { class: 'size-note-mark', 'aria-hidden': 'true' }, '⤢'), h('span', { class: 'size-note-what' }, text, dims), wideButton, fitButton);
  return {
    el,
    show(size, s) {
      el.hidden = size === null || size.sizer;
      if (el.hidden || !size) return;
      wide = s.wide;
      // `rows` counts tmux's status lines too (the grid this device draws); people know the window by tmux's size.
      dims.textContent = `${size.cols}×${size.rows - size.status}`;
      el.title = `Sized for another device: ${dims.textContent}`;
      wideButton.hidden = !s.wider && wide === 'pan';
      wideButton.textContent = wide === 'pan' ? 'Zoom out' : 'Zoom in';
      wideButton.setAttribute('aria-label', wide === 'pan' ? 'Zoom out until the whole window fits' : 'Show the window at this device\'s text size, scrolling sideways');
      fitButton.hidden = !s.canFit;
      el.dataset['wide'] = wide;
    },
    hide() {
      el.hidden = true;
    },
  };
}
