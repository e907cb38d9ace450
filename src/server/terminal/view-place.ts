/**
 * Where one browser terminal's view is — its current window, whether it
 * is scrolled back into the pane's history (tmux copy mode), and that
 * window's size and who sizes it (sizing.ts) — and the moves that change
 * it: SELECT, SCROLL and LIVE from the browser, or tmux itself (prefix-n,
 * copy mode left with q). Changes go to the browser as VIEW frames, so its
 * tabs, URL, "back to live" button and screen size follow. This is the one
 * place the view's window is kept: the bridge and sizing read it here.
 *
 * Scrolls are coalesced: while one tmux command runs, further SCROLLs add up
 * into the next. Input waits behind moves already asked for, so keys typed
 * right after LIVE reach the program, not copy mode. SELECTs run one after
 * the other, in turn with sizing's decisions, so quick tab clicks land in
 * order and the view's tmux client never sizes a window it only passes.
 *
 * Terminals polls every view's place in one tmux call (about once a second)
 * and hands each its row; a poll that began before this view's last move
 * ended is ignored, so a stale answer never moves the browser back. The row
 * also gives the page its title (TITLE: `session:index name[ — pane
 * title]`) and the viewed session's name, which the view's status line
 * shows in place of the view's own (it follows renames). A rename also goes
 * to the browser, as a VIEW with `session`, so its page follows it and
 * reconnects by the new name.
 */
import { labelView, leaveViewMode, scrollView, selectViewWindow, TmuxError, type TmuxClient, type SessionPlace, type ViewPlace, type WindowFacts } from '../../tmux/index.js';
import type { WindowSize } from '../../shared/protocol.js';
import type { SizingMember, WindowSizing } from './sizing.js';

type View = { window: string; scrolled: boolean; size?: WindowSize; session?: string };

export interface PlaceOptions {
  tmux: TmuxClient;
  viewId: string;
  readOnly: boolean;
  /** Who sizes the windows terminals show, and this view's member there. */
  sizing: WindowSizing;
  member: SizingMember;
  /** The viewed session's name, as the view opened. */
  label: string;
  /** Tell the browser (a VIEW frame; `session` only when the session was renamed). */
  send(view: View): void;
  /** Tell the browser its page's title (a TITLE frame). */
  title(title: string): void;
  /** A SELECT named a window the session does not have. */
  noWindow(window: string): void;
  /** The window's size changed (columns, and rows with the status line): a terminal that cannot RESIZE follows it here. */
  resized?(cols: number, rows: number): void;
  onError(e: unknown): void;
}

export class ViewPlaceTracker {
  /** The window shown: its index as VIEW says it, and its @id. */
  private window: string;
  private current: string;
  private scrolled = false;
  /** The window's size and whether this device sizes it; null until sizing has decided. */
  private shape: WindowSize | null = null;
  /** Lines asked for and not yet handed to tmux. */
  private pendingLines = 0;
  private scrollQueued = false;
  /** The last tmux move asked for (null when none is pending); inputs wait behind it. */
  private tail: Promise<void> | null = null;
  /** SELECTs, one after the other. */
  private selecting: Promise<void> = Promise.resolve();
  /** Epoch ms when the last move (or SELECT) finished: older polls are stale. */
  private settledAt = Date.now();
  private stopped = false;
  /** The session name the view's status line shows. */
  private label: string;
  /** The last TITLE sent. */
  private title: string | null = null;

  constructor(private readonly o: PlaceOptions, start: { windowId: string; windowIndex: number }) {
    this.window = String(start.windowIndex);
    this.current = start.windowId;
    this.label = o.label;
  }

  /** The window the view shows (@id), as set at start, by SELECT and by tmux's own moves. */
  get windowId(): string {
    return this.current;
  }

  /** The window's size and whether this device sizes it; null until sizing has decided. */
  get size(): WindowSize | null {
    return this.shape;
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

  /** Show `window` (an index or @id): the browser chose it itself, so no VIEW follows. */
  select(window: string): void {
    this.selecting = this.selecting.then(async () => {
      if (this.stopped) return;
      try {
        await this.o.sizing.move(this.o.member, async () => {
          const now = await selectViewWindow(this.o.tmux, this.o.viewId, window, { readOnly: this.o.readOnly });
          this.current = now.id;
          this.window = String(now.index);
          this.settledAt = Date.now();
        });
      } catch (e) {
        if (e instanceof TmuxError && e.kind !== 'no-server') this.o.noWindow(window);
        else this.o.onError(e);
      }
    });
  }

  /** sizing.ts decided about the window shown: whether this device sizes it, and its size. A VIEW when that changed. */
  sized(sizer: boolean, facts: Pick<WindowFacts, 'width' | 'height' | 'statusRows'>): void {
    const size = { cols: facts.width, rows: facts.height + facts.statusRows, status: facts.statusRows, sizer };
    const s = this.shape;
    if (s && s.cols === size.cols && s.rows === size.rows && s.status === size.status && s.sizer === size.sizer) return;
    this.shape = size;
    if (!s || s.cols !== size.cols || s.rows !== size.rows) this.o.resized?.(size.cols, size.rows);
    this.o.send(this.view());
  }

  /** What a VIEW says now. */
  view(): View {
    return { window: this.window, scrolled: this.scrolled, ...(this.shape ? { size: this.shape } : {}) };
  }

  /** Run `write` after the moves asked for so far (at once when none is pending). */
  input(write: () => void): void {
    if (this.tail) this.enqueue(write);
    else write();
  }

  /** The view's row of Terminals' poll, started at `polledAt` (epoch ms), and the viewed session's name now. */
  polled(place: SessionPlace, polledAt: number, baseName: string | undefined): void {
    if (!this.tail && polledAt >= this.settledAt) this.update(place);
    // The window's size as tmux has it now (the sizer resized, or the view moved); who sizes it stays sizing's.
    if (this.shape && place.windowId === this.current && place.width > 0) this.sized(this.shape.sizer, place);
    if (baseName !== undefined && baseName !== this.label) {
      this.label = baseName;
      // The status line keeps the old name until the next poll tries again; a view gone meanwhile needs no label.
      labelView(this.o.tmux, this.o.viewId, baseName).catch(() => undefined);
      // The page asked for the old name: it must show the new one, and ask for it when it reconnects.
      this.o.send({ ...this.view(), session: baseName });
    }
    // Programs set pane titles: keep a page title short.
    const title = `${this.label}:${place.title}`.slice(0, 200);
    if (title !== this.title) {
      this.title = title;
      this.o.title(title);
    }
  }

  /** The connection closed: no SELECT still queued runs. */
  stop(): void {
    this.stopped = true;
  }

  private moved(place: ViewPlace): void {
    this.settledAt = Date.now();
    this.update(place);
  }

  private update(place: ViewPlace): void {
    if (!place.windowId) return;
    if (place.windowId !== this.current) {
      this.current = place.windowId;
      this.movedByTmux();
    }
    const window = String(place.windowIndex);
    if (window === this.window && place.inMode === this.scrolled) return;
    this.window = window;
    this.scrolled = place.inMode;
    this.o.send(this.view());
  }

  /** tmux moved the view to another window (prefix-n, a mouse click on the status line): aggressive-resize there, as SELECT does; then who sizes it. */
  private movedByTmux(): void {
    selectViewWindow(this.o.tmux, this.o.viewId, null, { readOnly: this.o.readOnly }).catch(() => undefined);
    void this.o.sizing.place(this.o.member);
  }

  private enqueue(fn: () => void | Promise<void>): void {
    const p = (this.tail ?? Promise.resolve()).then(fn).catch((e: unknown) => this.o.onError(e));
    this.tail = p;
    void p.finally(() => {
      if (this.tail === p) this.tail = null;
    });
  }
}
