/**
 * Where one browser terminal's view is — its current window, whether it
 * is scrolled back into the pane's history (tmux copy mode), and that
 * window's size and who sizes it (sizing.ts) — and the moves that change
 * it: SCROLL and LIVE from the browser, or tmux itself (prefix-n, copy mode
 * left with q). Changes go to the browser as VIEW frames, so its tabs, URL,
 * "back to live" button and screen size follow.
 *
 * Scrolls are coalesced: while one tmux command runs, further SCROLLs add up
 * into the next. Input waits behind moves already asked for, so keys typed
 * right after LIVE reach the program, not copy mode.
 *
 * Terminals polls every view's place in one tmux call (about once a second)
 * and hands each its row; a poll that began before this view's last move
 * ended is ignored, so a stale answer never moves the browser back.
 */
import { leaveViewMode, scrollView, type TmuxClient, type ViewPlace } from '../../tmux/index.js';
import type { WindowSize } from '../../shared/protocol.js';

export interface PlaceOptions {
  tmux: TmuxClient;
  viewId: string;
  /** Tell the browser (a VIEW frame). */
  send(view: { window: string; scrolled: boolean; size?: WindowSize }): void;
  /** tmux moved the view to another window (not a SELECT). */
  onWindow(place: ViewPlace): void;
  onError(e: unknown): void;
}

export class ViewPlaceTracker {
  private window: string;
  private windowId: string;
  private scrolled = false;
  /** The window's size and whether this device sizes it; null until sizing has decided. */
  private size: WindowSize | null = null;
  /** Lines asked for and not yet handed to tmux. */
  private pendingLines = 0;
  private scrollQueued = false;
  /** The last tmux move asked for (null when none is pending); inputs wait behind it. */
  private tail: Promise<void> | null = null;
  /** Epoch ms when the last move (or SELECT) finished: older polls are stale. */
  private settledAt = Date.now();

  constructor(private readonly o: PlaceOptions, start: { windowId: string; windowIndex: number; size: WindowSize | null }) {
    this.window = String(start.windowIndex);
    this.windowId = start.windowId;
    this.size = start.size;
  }

  /** Scroll by `lines` (< 0 back into history, > 0 towards live output). */
  scroll(lines: number): void {
    this.pendingLines += lines;
    if (this.scrollQueued) return;
    this.scrollQueued = true;
    this.enqueue(async () => {
      this.scrollQueued = false;
      const n = this.pendingLines;
      this.pendingLines = 0;
      if (n !== 0) this.moved(await scrollView(this.o.tmux, this.o.viewId, n));
    });
  }

  /** Back to live output (leave copy mode, or any other mode). */
  live(): void {
    this.pendingLines = 0;
    this.enqueue(async () => this.moved(await leaveViewMode(this.o.tmux, this.o.viewId)));
  }

  /** The window's size or who sizes it (sizing.ts, the poll): a VIEW when it changed. */
  sized(size: WindowSize): void {
    const s = this.size;
    if (s && s.cols === size.cols && s.rows === size.rows && s.sizer === size.sizer) return;
    this.size = size;
    this.o.send(this.view());
  }

  /** What a VIEW says now. */
  view(): { window: string; scrolled: boolean; size?: WindowSize } {
    return { window: this.window, scrolled: this.scrolled, ...(this.size ? { size: this.size } : {}) };
  }

  /** Run `write` after the moves asked for so far (at once when none is pending). */
  input(write: () => void): void {
    if (this.tail) this.enqueue(write);
    else write();
  }

  /** The browser chose this window itself (SELECT): no VIEW for it, and polls from before it are stale. */
  selected(place: { windowId: string; windowIndex: number }): void {
    this.window = String(place.windowIndex);
    this.windowId = place.windowId;
    this.settledAt = Date.now();
  }

  /** A row of Terminals' poll, started at `polledAt` (epoch ms). */
  polled(place: ViewPlace, polledAt: number): void {
    if (this.tail || polledAt < this.settledAt) return;
    this.update(place);
  }

  private moved(place: ViewPlace): void {
    this.settledAt = Date.now();
    this.update(place);
  }

  private update(place: ViewPlace): void {
    if (!place.windowId) return;
    if (place.windowId !== this.windowId) {
      this.windowId = place.windowId;
      this.o.onWindow(place);
    }
    const window = String(place.windowIndex);
    if (window === this.window && place.inMode === this.scrolled) return;
    this.window = window;
    this.scrolled = place.inMode;
    this.o.send(this.view());
  }

  private enqueue(fn: () => void | Promise<void>): void {
    const p = (this.tail ?? Promise.resolve()).then(fn).catch((e: unknown) => this.o.onError(e));
    this.tail = p;
    void p.finally(() => {
      if (this.tail === p) this.tail = null;
    });
  }
}
