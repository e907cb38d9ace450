/**
 * Scrolling back through the session's history by swiping (touch.ts turns
 * the finger's moves into rows): the rows of several moves go to the daemon
 * as one SCROLL, and the "↓ Live" button that scrolling back shows returns
 * this device's view to live output.
 */
import { h } from '../dom.js';

/** Swipes are sent to the daemon at most this often (ms): each is one tmux command. */
const SCROLL_BATCH_MS = 50;

export interface SwipeScrollOptions {
  /** Send one SCROLL of `rows`; false when it could not be sent. */
  scroll(rows: number): boolean;
  /** Back to live output (LIVE). */
  live(): void;
  /** Stop a fling still coasting (touch.ts). */
  stopFling(): void;
  /** Just before the "↓ Live" button shows: place it where it hides nothing that matters. */
  placeLive(button: HTMLButtonElement): void;
}

export interface SwipeScroll {
  /** The "↓ Live" button, shown while this view is scrolled back. */
  readonly liveButton: HTMLButtonElement;
  /** Rows from a swipe: negative back into history, positive towards live output. */
  add(rows: number): void;
  /** Drop a fling and the rows not yet sent (typing goes live). */
  stop(): void;
  showLive(shown: boolean): void;
  dispose(): void;
}

export function swipeScroll(win: Window, o: SwipeScrollOptions): SwipeScroll {
  let pendingRows = 0;
  let timer = 0;
  const liveButton = h('button', {
    type: 'button', class: 'btn btn-primary live-button', hidden: true, 'aria-label': 'Back to live output', onclick: () => goLive(),
    // Keeps the focus (and a phone's keyboard) in the terminal.
    onpointerdown: (e: Event) => e.preventDefault(), onmousedown: (e: Event) => e.preventDefault(),
  }, '↓ Live');

  const show = (shown: boolean) => {
    if (shown && liveButton.hidden) o.placeLive(liveButton);
    liveButton.hidden = !shown;
  };
  const flush = () => {
    timer = 0;
    const n = pendingRows;
    pendingRows = 0;
    if (n !== 0 && o.scroll(n) && n < 0) show(true);
  };
  function stop(): void {
    o.stopFling();
    pendingRows = 0;
    win.clearTimeout(timer);
    timer = 0;
  }
  function goLive(): void {
    stop();
    o.live();
    show(false);
  }

  return {
    liveButton,
    add(rows) {
      pendingRows += rows;
      if (!timer) timer = win.setTimeout(flush, SCROLL_BATCH_MS);
    },
    stop,
    showLive: show,
    dispose() {
      win.clearTimeout(timer);
    },
  };
}
