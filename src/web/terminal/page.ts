/**
 * The terminal page, /s/NAME[/WINDOW]: top bar (back, session, window tabs,
 * find, read-only badge, the ⋯ menu), the connection banner, the xterm
 * screen, and under it the key bar. It puts the parts together and wires
 * them to the daemon: the screen (view.ts) and its controls (controls.ts) to
 * the terminal connection (connection.ts), the tabs and the title's count to
 * the live listing (events.ts). The parts are in their own files: the banner
 * (connection-banner.ts), which window shows (window-follow.ts), swipes, the
 * mouse wheel and pinches (touch.ts, wheel.ts, swipe-scroll.ts), the visual
 * viewport (viewport.ts), the scrollback reader (history.ts) and Find
 * (find.ts), the note that another device sizes the window (size-note.ts).
 *
 * The session's name follows a rename (header, title, tabs, URL, the name
 * the next connection asks for): while connected the daemon says so (VIEW);
 * while not (the daemon restarting, the network away) the live listing
 * does, where the session keeps its tmux id and creation time.
 */
import type { AppContext, PageHandle } from '../app.js';
import type { SessionInfo } from '../../shared/api.js';
import { h, replaceChildren } from '../dom.js';
import { EventsFeed } from '../events.js';
import { browserStore, devicePrefs, newDeviceId, type WideView } from '../prefs.js';
import { onWake } from '../wake.js';
import { attentionCount, countedTitle } from '../window-status.js';
import { TerminalConnection } from './connection.js';
import { connectionBanner } from './connection-banner.js';
import { createControls, type Controls } from './controls.js';
import { binaryBytes, textBytes } from './flow.js';
import { HISTORY_LINES, openHistory, type HistoryPanel } from './history.js';
import { openFind, type FindPanel } from './find.js';
import { swipeScroll } from './swipe-scroll.js';
import { attachTouchGestures, type TouchGestures } from './touch.js';
import { TerminalView } from './view.js';
import { followVisualViewport } from './viewport.js';
import { sizeNote } from './size-note.js';
import type { WindowSize } from '../../shared/protocol.js';
import { followWindows } from './window-follow.js';

/** Space between the "↓ Live" button and tmux's status line under it (px): clear of it, still near the corner. */
const LIVE_GAP_PX = 6;

export interface TerminalPageHandle extends PageHandle {
  /** Send bytes as if typed (for a key bar). False when not connected or read-only. */
  sendInput(data: Uint8Array): boolean;
  /** The element under the terminal that holds the key bar. */
  readonly keybarSlot: HTMLElement;
}

export function terminalPage(ctx: AppContext, root: HTMLElement, opened: string, window: string | null): TerminalPageHandle {
  const { win } = ctx;
  /** The session's name: as opened, then as renamed. */
  let session = opened;
  /** What identifies the session across renames, from the first listing that showed it: tmux's id, and its creation time (a tmux server started again reuses ids). */
  let identity: Pick<SessionInfo, 'id' | 'created'> | null = null;
  const title = pageTitle(win.document, session);
  const prefs = devicePrefs(browserStore(win));
  const touchScreen = win.matchMedia('(pointer: coarse)').matches;
  const page = h('div', { class: 'term-page' });
  replaceChildren(root, page);

  let conn: TerminalConnection | null = null;
  let readOnly = false;
  let gestures: TouchGestures | null = null;
  const banner = connectionBanner({ retryNow: () => conn?.wake(false), reconnect: () => conn?.restart(), back: () => ctx.navigate('/') });
  const windows = followWindows(win, session, { current: () => conn?.window ?? null, select: (w) => selectWindow(w) });
  const scrolling = swipeScroll(win, { scroll: (rows) => conn?.scroll(rows) ?? false, live: () => conn?.live(), stopFling: () => gestures?.stop(), placeLive });
  /** Typing ends any scrolling still under way: keys go to the program, live. `typed`: a person, not the terminal's own reply. */
  const input = (data: Uint8Array, typed = true) => {
    if (typed) scrolling.stop();
    return conn?.sendInput(data, typed) ?? false;
  };
  const host = h('div', { class: 'term-host' });
  const view = new TerminalView(host, {
    onInput: (d, binary, typed) => void input(binary ? binaryBytes(d) : textBytes(d), typed),
    onResize: (cols, rows) => conn?.resize(cols, rows),
    fontSize: prefs.fontSize(),
    wheel: (rows) => {
      if (!readOnly) scrolling.add(rows);
    },
  });
  const controls = createControls({
    win, view, host, prefs, touchScreen, send: (s) => void input(textBytes(s)),
    openHistory: () => reader.open(), openFind: () => reader.find(view.selection().split('\n')[0]!.trim().slice(0, 200)),
  });
  const note = sizeNote({ fit: () => conn?.fit(), setWide: (v) => setWide(v) });
  const readOnlyBadge = h('span', { class: 'badge badge-ro', hidden: true, title: 'This view cannot type, resize or switch the session' }, 'read-only');
  // The banner floats over the screen, so losing the connection does not resize the terminal.
  const frame = h('div', { class: 'term-frame' }, host, banner.el, scrolling.liveButton);
  const nameEl = h('span', { class: 'term-name', title: session }, session);
  replaceChildren(page, topBar(nameEl, windows.tabs, readOnlyBadge, controls), controls.menu, note.el, frame, controls.keybarSlot);
  view.fit();
  controls.showKeybar();

  gestures = attachTouchGestures(host, {
    rowHeight: () => view.rowHeight(),
    scroll: (rows) => {
      if (!readOnly) scrolling.add(rows);
    },
    fontSize: () => view.fontSize,
    pinch: (px) => void controls.setFont(px, false),
    pinchEnd: (px) => void controls.setFont(px, true),
    pan: (dx) => view.pan(dx),
    canPan: () => view.pannable,
  });
  const unfollow = followVisualViewport(win, page);
  const reader = historyReader(ctx, page, frame, () => session, {
    window: () => conn?.window ?? windows.active() ?? '0',
    closed: () => controls.focus(),
  });

  const setReadOnly = (ro: boolean) => {
    readOnly = ro;
    readOnlyBadge.hidden = !ro;
    page.classList.toggle('read-only', ro);
    controls.setReadOnly(ro);
  };
  /** The daemon said who sizes the shown window: fit this screen, or show the window whole (view.ts). */
  function applySize(size: WindowSize | null): void {
    const wide = prefs.wideView();
    view.setSizing(!size || size.sizer ? { mode: 'fit' } : { mode: 'window', cols: size.cols, rows: size.rows, wide });
    note.show(size, { wide, wider: size ? view.widerThanBox(size.cols) : false, canFit: !readOnly });
  }
  /**
   * The "↓ Live" button floats over the bottom right of the screen: lift it
   * above tmux's status line (the grid's last rows, `status` of them; one,
   * tmux's default, before the daemon said), whose right end names the
   * window and the time. A status line at the top only lifts it a row.
   */
  function placeLive(button: HTMLButtonElement): void {
    const screen = view.screenBox();
    if (!screen) return;
    const statusTop = screen.bottom - (conn?.size?.status ?? 1) * view.rowHeight();
    button.style.setProperty('--live-bottom', `${Math.ceil(frame.getBoundingClientRect().bottom - statusTop) + LIVE_GAP_PX}px`);
  }
  function setWide(v: WideView): void {
    prefs.setWideView(v);
    applySize(conn?.size ?? null);
  }
  function selectWindow(w: string): void {
    conn?.select(w);
    windows.show(w);
    controls.focus();
  }
  /** The session is called `name` now (VIEW, or a listing while disconnected). */
  function renamed(name: string): void {
    if (name === session) return;
    session = name;
    nameEl.textContent = name;
    nameEl.title = name;
    title.rename(name);
    windows.rename(name);
    conn?.rename(name);
  }
  // Replace, not push: Back from the login page must not land on a terminal that sends it straight back.
  const toLogin = () => ctx.navigate(`/login?next=${encodeURIComponent(win.location.pathname)}`, { replace: true });

  conn = new TerminalConnection({
    session,
    window,
    openSocket: ctx.openSocket,
    checkAuth: ctx.api.checkAuth,
    clock: ctx.clock,
    sink: view.sink,
    device: prefs.deviceId(() => newDeviceId(win.crypto)),
    events: {
      onState: (state) => {
        page.dataset['state'] = state;
        banner.state(state);
        controls.setConnected(state === 'open');
        if (state !== 'open') scrolling.showLive(false);
        // Under "Session ended" there is no window left to size or fit: the strip goes (HELLO after Reconnect shows it again).
        if (state === 'ended') note.hide();
      },
      onHello: (hello) => {
        setReadOnly(hello.readOnly);
        applySize(conn?.size ?? null);
        // /s/NAME (the session's current window) stays as opened; a window that was not there is corrected.
        if (window !== null) windows.show(conn?.window ?? null);
        else windows.mark(conn?.window ?? null);
        controls.focus();
      },
      onView: ({ window: w, scrolled }) => {
        windows.show(w);
        scrolling.showLive(scrolled && !readOnly);
      },
      onRenamed: renamed,
      onSize: (size) => applySize(size),
      onTitle: (t) => title.set(t),
      onError: (_code, message) => banner.error(message),
      onExit: (reason) => banner.exit(reason),
      onUnauthorized: toLogin,
    },
  });

  const feed = new EventsFeed({
    openSocket: ctx.openSocket,
    fetchSessions: ctx.api.fetchSessions,
    clock: ctx.clock,
    onSessions: (list) => {
      title.setWaiting(attentionCount(list));
      const known = identity;
      const s = (known ? list.find((x) => x.id === known.id && x.created === known.created) : undefined) ?? list.find((x) => x.name === session);
      if (!s) return;
      identity = { id: s.id, created: s.created };
      // While connected the daemon says a rename itself (VIEW); a listing polled before it would undo it.
      if (s.name !== session && !conn?.isOpen) renamed(s.name);
      windows.listing(s.windows);
    },
    onState: () => {},
    onUnauthorized: toLogin,
  });

  const unwake = onWake(win, (force) => {
    conn?.wake(force);
    feed.wake(force);
  });
  ctx.api.me().then((me) => {
    if (me.role === 'read-only') setReadOnly(true);
  }, () => {
    // The connection's own login check handles an expired login; the badge just waits for HELLO.
  });
  const unreport = reportPresence(win, (looking) => conn?.setFocused(looking));
  conn.start();
  feed.start();

  return {
    keybarSlot: controls.keybarSlot,
    sendInput: input,
    dispose() {
      scrolling.dispose();
      unreport();
      unwake();
      gestures?.dispose();
      unfollow();
      reader.dispose();
      controls.dispose();
      conn?.dispose();
      feed.dispose();
      view.dispose();
      ctx.styles.prune();
      title.reset();
    },
  };
}

/** The top bar: back to the sessions, the session's name, its window tabs, the read-only badge, find and the ⋯ menu. */
function topBar(name: HTMLElement, tabs: HTMLElement, readOnlyBadge: HTMLElement, controls: Controls): HTMLElement {
  return h('header', { class: 'term-bar' },
    h('a', { class: 'back', href: '/', 'aria-label': 'Back to sessions' }, h('span', { 'aria-hidden': 'true' }, '‹'), h('span', { class: 'back-text' }, 'Sessions')),
    name,
    tabs,
    readOnlyBadge,
    controls.findButton,
    controls.menuButton);
}

/** The document's title: tmux's title (or the session's name), prefixed "(N)" while N windows anywhere want attention. */
function pageTitle(doc: Document, session: string) {
  let defaultTitle = `${session} · Roost`;
  let base = defaultTitle;
  let waiting = 0;
  const show = () => {
    doc.title = countedTitle(base, waiting);
  };
  doc.title = defaultTitle;
  return {
    /** The title tmux reports for the pane. */
    set(title: string): void {
      base = title.trim() ? `${title} · Roost` : defaultTitle;
      show();
    },
    /** The session was renamed: a title tmux did not set names it so (tmux's own follows by itself). */
    rename(name: string): void {
      const wasDefault = base === defaultTitle;
      defaultTitle = `${name} · Roost`;
      if (wasDefault) base = defaultTitle;
      show();
    },
    setWaiting(count: number): void {
      waiting = count;
      show();
    },
    /** Leaving the page. */
    reset(): void {
      doc.title = 'Roost';
    },
  };
}

/**
 * The panels over the screen, one at a time, for the window this device
 * shows: the scrollback reader (history.ts) and Find (find.ts), whose
 * matches open the reader at them. Reading needs the room: the page drops
 * the key bar while one is open (style.css, .history-open).
 */
function historyReader(ctx: AppContext, page: HTMLElement, frame: HTMLElement, session: () => string, o: { window(): string; closed(): void }) {
  let panel: HistoryPanel | FindPanel | null = null;
  const close = () => {
    panel?.dispose();
    panel = null;
    page.classList.remove('history-open');
    o.closed();
  };
  const show = (p: HistoryPanel | FindPanel) => {
    panel?.dispose();
    panel = p;
    frame.append(p.el);
    page.classList.add('history-open');
  };
  const open = (at?: { fromEnd: number; query: string }) => {
    const w = o.window();
    const name = session();
    show(openHistory({
      win: ctx.win,
      title: `${name} · window ${w}`,
      load: async (lines) => (await ctx.api.history(name, w, lines || HISTORY_LINES)).lines,
      onClose: close,
      ...(at ? { at } : {}),
    }));
  };
  return {
    open: () => open(),
    /** Find, with `query` (the selected text) searched at once when there is one. */
    find(query: string): void {
      const w = o.window();
      const name = session();
      const f = openFind({
        win: ctx.win,
        title: `${name} · window ${w}`,
        search: (q) => ctx.api.searchHistory(name, w, q),
        openAt: (fromEnd, q) => open({ fromEnd, query: q }),
        onClose: close,
        ...(query ? { query } : {}),
      });
      show(f);
      f.focus();
    },
    dispose(): void {
      panel?.dispose();
    },
  };
}

/**
 * Tells `report` whether a person is looking: the page focused and visible
 * (the daemon then holds notifications for this window back); at once and
 * on every change. Returns the unsubscribe function.
 */
function reportPresence(win: Window, report: (looking: boolean) => void): () => void {
  const doc = win.document;
  const check = () => report(doc.hasFocus() && doc.visibilityState === 'visible');
  win.addEventListener('focus', check);
  win.addEventListener('blur', check);
  doc.addEventListener('visibilitychange', check);
  check();
  return () => {
    win.removeEventListener('focus', check);
    win.removeEventListener('blur', check);
    doc.removeEventListener('visibilitychange', check);
  };
}
