/**
 * A job's log as text that follows new output: it loads the tail, then asks
 * for the bytes after the last one it has (by offset: nothing is fetched
 * twice, and a phone that slept resumes where it stopped), pages backwards
 * from the oldest line it has on "Load older", and keeps the view pinned to
 * the end while the reader is there ("Jump to end" otherwise). Search goes
 * through the loaded lines (the scrollback reader's search). Text comes from
 * src/shared/log-text.ts, as `roost logs` prints it.
 */
import { brokenLineBytes, cutMarker } from '../../shared/jobs.js';
import { LogLineReader, type LogLine } from '../../shared/log-text.js';
import type { LogChunk } from '../api.js';
import { h } from '../dom.js';
import { historySearch } from '../terminal/history-search.js';

/** Bytes per request: the tail, each page back, each step of catching up. */
export const LOG_PAGE_BYTES = 256 * 1024;
/** Lines kept on the page; older ones are dropped (Load older brings them back). */
export const MAX_LOG_LINES = 50_000;
/** How often (ms) new output is asked for while the job runs. */
const FOLLOW_MS = 1000;
/** Within this many px of the bottom counts as "at the end" (the view then follows). */
const PIN_SLACK_PX = 24;

export interface LogViewOptions {
  win: Window;
  load(range: { from?: number; to?: number; max?: number }): Promise<LogChunk>;
  /** The job ended and every byte is shown. */
  onComplete?(): void;
  onError?(e: unknown): void;
}

export interface LogView {
  readonly el: HTMLElement;
  /** The search row (field, count, previous, next). */
  readonly searchBar: HTMLElement;
  start(): void;
  /** Ask for new output now (after a stop, a wake). */
  poll(): void;
  dispose(): void;
}

interface Line {
  el: HTMLElement;
  text: string;
  offset: number;
}

export function createLogView(o: LogViewOptions): LogView {
  const { win } = o;
  let lines: Line[] = [];
  /** The oldest loaded byte, the next byte to follow from, and the first byte the daemon still keeps. */
  let lo = 0;
  let hi = 0;
  let kept = 0;
  let reader = new LogLineReader();
  let complete = false;
  let disposed = false;
  let timer = 0;
  let busy = false;

  const body = h('div', { class: 'history-body log-body', tabindex: '0', 'aria-label': 'Log text' });
  const pending = h('div', { class: 'hl log-pending' });
  const status = h('p', { class: 'muted log-status', 'aria-live': 'polite' }, 'Loading the log…');
  const older = h('button', { type: 'button', class: 'btn btn-small log-older', hidden: true, onclick: () => void loadOlder() }, 'Load older');
  const scroll = h('div', { class: 'log-scroll' }, older, body, pending, status);
  const jump = h('button', { type: 'button', class: 'btn btn-primary live-button log-jump', hidden: true, onclick: () => toEnd() }, 'Jump to end ↓');
  const search = historySearch({ body, lines: () => lines, changed: () => undefined, close: () => search.input.blur() });
  search.input.placeholder = 'Search the log';
  search.input.setAttribute('aria-label', 'Search the log');
  // The scrollback reader's search bar (style.css .history-bar, .history-row): the same field, count and arrows.
  const searchBar = h('div', { class: 'history-bar log-find' }, h('div', { class: 'history-row' }, search.input, search.count, search.prev, search.next));
  const el = h('div', { class: 'log-frame' }, scroll, jump);

  const atEnd = () => scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight <= PIN_SLACK_PX;
  /**
   * The reader is at the end and wants to stay there. Only the reader moving
   * up unsticks it: the bar above growing shortens the view without moving
   * it, and that must not read as "scrolled away".
   */
  let stick = true;
  let pinnedTop = 0;
  const toEnd = () => {
    stick = true;
    scroll.scrollTop = scroll.scrollHeight;
    pinnedTop = scroll.scrollTop;
    jump.hidden = true;
  };
  scroll.addEventListener('scroll', () => {
    if (atEnd()) stick = true;
    else if (scroll.scrollTop < pinnedTop - PIN_SLACK_PX) stick = false;
    jump.hidden = stick;
    if (stick) pinnedTop = Math.max(pinnedTop, scroll.scrollTop);
    else pinnedTop = scroll.scrollTop;
  });
  // The bar above may grow (buttons wrap on a phone): a log at its end stays there.
  const resized = new ResizeObserver(() => {
    if (stick) toEnd();
  });
  resized.observe(scroll);

  const lineEl = (l: LogLine): Line => ({ el: h('div', { class: 'hl' }, l.text), text: l.text, offset: l.offset });
  const marker = (start: number): Line => {
    const m = lineEl({ offset: start, text: cutMarker(start) });
    m.el.classList.add('log-cut');
    return m;
  };

  function append(add: Line[]): void {
    if (add.length === 0) return;
    body.append(...add.map((l) => l.el));
    lines.push(...add);
    if (lines.length > MAX_LOG_LINES) {
      const drop = lines.splice(0, lines.length - MAX_LOG_LINES);
      for (const l of drop) l.el.remove();
      lo = lines[0]!.offset;
      older.hidden = false;
    }
  }

  /** A chunk that starts where older output was cut, from its first whole line on (the broken one counts as cut: `start` moves too). */
  const wholeLines = (c: LogChunk): LogChunk => {
    const skip = brokenLineBytes(c.data);
    return { ...c, from: c.from + skip, start: c.from + skip, data: c.data.subarray(skip) };
  };

  function showPending(): void {
    const p = reader.pending();
    if (pending.textContent !== p) pending.textContent = p;
  }

  /** Take a chunk read forward (the tail, or new output). */
  function takeForward(c: LogChunk): void {
    // The daemon cut what this view had not read yet (it fell behind the cap): say so, go on from what is kept.
    if (c.from > hi && lines.length > 0) {
      c = wholeLines(c);
      append([...reader.end().map(lineEl), marker(c.from)]);
      reader = new LogLineReader();
    }
    // Never back before a broken line this view passed over (kept moved past it).
    kept = Math.max(kept, c.start);
    append(reader.push(c.from, c.data).map(lineEl));
    hi = c.to;
    showPending();
    if (stick) toEnd();
    else jump.hidden = false;
  }

  async function loadTail(): Promise<void> {
    let c = await o.load({ max: LOG_PAGE_BYTES });
    if (c.from <= c.start && c.start > 0) {
      c = wholeLines(c);
      append([marker(c.from)]);
    }
    lo = c.from;
    hi = c.from;
    takeForward(c);
    older.hidden = c.from <= c.start;
    toEnd();
    finishIfComplete(c);
  }

  async function loadOlder(): Promise<void> {
    if (busy || lo <= kept) return;
    busy = true;
    older.disabled = true;
    try {
      const loaded = await o.load({ to: lo, max: LOG_PAGE_BYTES });
      const atCut = loaded.from <= loaded.start && loaded.start > 0;
      const c = atCut ? wholeLines(loaded) : loaded;
      const r = new LogLineReader();
      const add = [...r.push(c.from, c.data), ...r.end()].map(lineEl);
      if (atCut) add.unshift(marker(c.from));
      // Keep what the reader looks at where it is while lines go in above it.
      const before = scroll.scrollHeight;
      body.prepend(...add.map((l) => l.el));
      lines = [...add, ...lines];
      scroll.scrollTop += scroll.scrollHeight - before;
      lo = c.from;
      kept = c.start;
      older.hidden = c.from <= c.start;
    } catch (e) {
      o.onError?.(e);
    } finally {
      busy = false;
      older.disabled = false;
    }
  }

  function finishIfComplete(c: LogChunk): void {
    if (!c.complete || c.to < c.end || complete) return;
    complete = true;
    append(reader.end().map(lineEl));
    pending.textContent = '';
    status.textContent = 'The job has ended: this is the whole log.';
    o.onComplete?.();
  }

  async function follow(): Promise<void> {
    if (disposed || complete) return;
    win.clearTimeout(timer);
    try {
      if (lines.length === 0 && hi === 0) await loadTail();
      else {
        // Catch up in pages until nothing more is there.
        for (;;) {
          const c = await o.load({ from: hi, max: LOG_PAGE_BYTES });
          if (disposed) return;
          takeForward(c);
          finishIfComplete(c);
          if (c.to >= c.end || c.data.length === 0) break;
        }
      }
      if (!complete) status.textContent = '';
    } catch (e) {
      o.onError?.(e);
    }
    if (!disposed && !complete) timer = win.setTimeout(() => void follow(), FOLLOW_MS);
  }

  return {
    el,
    searchBar,
    start: () => void follow(),
    poll: () => void follow(),
    dispose() {
      disposed = true;
      win.clearTimeout(timer);
      resized.disconnect();
      search.dispose();
    },
  };
}
