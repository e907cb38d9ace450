/**
 * The terminal page, /s/NAME[/WINDOW]: top bar (back, session, window tabs,
 * find, read-only badge, the ⋯ menu), the connection banner, the xterm
 * screen, and under it the key bar. Wires the screen (view.ts) to the daemon
 * (connection.ts) and the tabs to the live listing (events.ts); the phone
 * parts are in their own files: typing through on-screen keyboards (ime.ts),
 * the key bar (keybar.ts), swipes and pinches (touch.ts), the visual
 * viewport (viewport.ts), the scrollback reader (history.ts).
 */
import type { WindowInfo } from '../../shared/api.js';
import type { AppContext, PageHandle } from '../app.js';
import { createBanner } from '../banner.js';
import { h, icon, replaceChildren } from '../dom.js';
import { EventsFeed } from '../events.js';
import { browserStore, clampFont, devicePrefs } from '../prefs.js';
import { terminalPath } from '../router.js';
import { onWake } from '../wake.js';
import { attentionCount, countedTitle } from '../window-status.js';
import { TerminalConnection, type ConnectionState } from './connection.js';
import { createFindBar } from './find.js';
import { binaryBytes, textBytes } from './flow.js';
import { HISTORY_LINES, openHistory, type HistoryPanel } from './history.js';
import { TextareaInput } from './ime.js';
import { createKeybar } from './keybar.js';
import { StickyModifiers } from './keys.js';
import { createMenu } from './menu.js';
import { createTabs } from './tabs.js';
import { attachTouchGestures, type TouchGestures } from './touch.js';
import { TerminalView } from './view.js';
import { followVisualViewport } from './viewport.js';

export interface TerminalPageHandle extends PageHandle {
  /** Send bytes as if typed (for a key bar). False when not connected or read-only. */
  sendInput(data: Uint8Array): boolean;
  /** The element under the terminal that holds the key bar. */
  readonly keybarSlot: HTMLElement;
}

/** Swipes are sent to the daemon at most this often (ms): each is one tmux command. */
const SCROLL_BATCH_MS = 50;

export function terminalPage(ctx: AppContext, root: HTMLElement, session: string, window: string | null): TerminalPageHandle {
  const { win } = ctx;
  const doc = win.document;
  const defaultTitle = `${session} · Roost`;
  doc.title = defaultTitle;
  const prefs = devicePrefs(browserStore(win));
  const touchScreen = win.matchMedia('(pointer: coarse)').matches;

  const banner = createBanner();
  const host = h('div', { class: 'term-host' });
  const keybarSlot = h('div', { class: 'keybar-slot', id: 'keybar' });
  const readOnlyBadge = h('span', { class: 'badge badge-ro', hidden: true, title: 'This view cannot type, resize or switch the session' }, 'read-only');
  const tabs = createTabs(session, (w) => selectWindow(w));
  const findButton = h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': 'Find in terminal', title: 'Find', onclick: () => (find.isOpen ? find.close() : find.open()) },
    icon('M10.5 4a6.5 6.5 0 1 1 0 13a6.5 6.5 0 0 1 0-13zM15.5 15.5 20 20'));
  const liveButton = h('button', {
    type: 'button', class: 'btn btn-primary live-button', hidden: true, 'aria-label': 'Back to live output', onclick: () => goLive(),
    // Keeps the focus (and a phone's keyboard) in the terminal.
    onpointerdown: (e: Event) => e.preventDefault(), onmousedown: (e: Event) => e.preventDefault(),
  }, '↓ Live');
  const page = h('div', { class: 'term-page' });
  replaceChildren(root, page);

  let conn: TerminalConnection | null = null;
  /** The session's windows from the last listing, for redrawing the tabs. */
  let latest: readonly WindowInfo[] | null = null;
  let lastError: string | null = null;
  let readOnly = false;
  let history: HistoryPanel | null = null;
  const modifiers = new StickyModifiers();

  let gestures: TouchGestures | null = null;
  /** Typing ends any scrolling still under way: keys go to the program, live. */
  const input = (data: Uint8Array) => {
    stopScrolling();
    return conn?.sendInput(data) ?? false;
  };
  const view = new TerminalView(host, {
    onInput: (d, binary) => void input(binary ? binaryBytes(d) : textBytes(d)),
    onResize: (cols, rows) => conn?.resize(cols, rows),
    fontSize: prefs.fontSize(),
  });
  const sendText = (s: string) => void input(textBytes(s));
  const typing = new TextareaInput(view.textarea, host, { send: sendText, modifiers, appCursor: () => view.appCursor });
  const keybar = createKeybar({
    send: sendText,
    modifiers,
    appCursor: () => view.appCursor,
    afterKey: () => typing.reset(),
    onHide: () => setKeybar(false),
  });
  const find = createFindBar(view.search, () => focusUnlessTouch());
  const menu = createMenu(win, {
    openHistory: () => showHistory(),
    fontSize: () => view.fontSize,
    changeFont: (d) => setFont(view.fontSize + d, true),
    keybarShown: () => keybarSlot.childElementCount > 0,
    toggleKeybar: () => setKeybar(keybarSlot.childElementCount === 0),
    canType: () => !readOnly,
  });
  const bar = h('header', { class: 'term-bar' },
    h('a', { class: 'back', href: '/', 'aria-label': 'Back to sessions' }, h('span', { 'aria-hidden': 'true' }, '‹'), h('span', { class: 'back-text' }, 'Sessions')),
    h('span', { class: 'term-name', title: session }, session),
    tabs.el,
    readOnlyBadge,
    findButton,
    menu.button);
  const frame = h('div', { class: 'term-frame' }, host, banner.el, liveButton);
  // The banner floats over the screen, so losing the connection does not resize the terminal.
  replaceChildren(page, bar, menu.el, find.el, frame, keybarSlot);
  view.fit();

  function setKeybar(shown: boolean): void {
    prefs.setKeybarShown(shown);
    replaceChildren(keybarSlot, shown && !readOnly ? keybar.el : null);
  }
  setKeybar(prefs.keybarShown(touchScreen));

  function setFont(px: number, remember: boolean): number {
    const size = clampFont(px);
    view.setFontSize(size);
    if (remember) prefs.setFontSize(size);
    return size;
  }

  // Swipes scroll the session's history; several moves in a frame become one SCROLL.
  let pendingRows = 0;
  let scrollTimer = 0;
  const flushScroll = () => {
    scrollTimer = 0;
    const n = pendingRows;
    pendingRows = 0;
    if (n !== 0 && conn?.scroll(n) && n < 0) liveButton.hidden = false;
  };
  gestures = attachTouchGestures(host, {
    rowHeight: () => view.rowHeight(),
    scroll: (rows) => {
      if (readOnly) return;
      pendingRows += rows;
      if (!scrollTimer) scrollTimer = win.setTimeout(flushScroll, SCROLL_BATCH_MS);
    },
    fontSize: () => view.fontSize,
    pinch: (px) => void setFont(px, false),
    pinchEnd: (px) => void setFont(px, true),
  });
  const unfollow = followVisualViewport(win, page);

  function stopScrolling(): void {
    gestures?.stop();
    pendingRows = 0;
    win.clearTimeout(scrollTimer);
    scrollTimer = 0;
  }
  function goLive(): void {
    stopScrolling();
    conn?.live();
    liveButton.hidden = true;
  }

  function showHistory(): void {
    history?.dispose();
    const w = conn?.window ?? latest?.find((x) => x.active)?.index.toString() ?? '0';
    history = openHistory({
      win,
      title: `${session} · window ${w}`,
      load: async (lines) => (await ctx.api.history(session, w, lines || HISTORY_LINES)).lines,
      onClose: () => {
        history?.dispose();
        history = null;
        page.classList.remove('history-open');
        focusUnlessTouch();
      },
    });
    frame.append(history.el);
    // Reading needs the room; the key bar comes back with the terminal.
    page.classList.add('history-open');
  }

  const setReadOnly = (ro: boolean) => {
    readOnly = ro;
    readOnlyBadge.hidden = !ro;
    page.classList.toggle('read-only', ro);
    view.setReadOnly(ro);
    setKeybar(prefs.keybarShown(touchScreen));
  };
  // Replace, not push: Back from the login page must not land on a terminal that sends it straight back.
  const toLogin = () => ctx.navigate(`/login?next=${encodeURIComponent(win.location.pathname)}`, { replace: true });
  // Opening a keyboard unasked is unwelcome on a phone; there a tap on the screen focuses it.
  function focusUnlessTouch(): void {
    if (!touchScreen) view.focus();
  }
  const showState = (state: ConnectionState) => {
    page.dataset['state'] = state;
    if (state === 'open') {
      // An error that came with this connection (e.g. "no window 7; showing the current one") stays until dismissed.
      if (banner.kind !== 'error') banner.hide();
      lastError = null;
    } else if (state === 'reconnecting') {
      const text = lastError ? `Reconnecting… (${lastError})` : 'Connection lost. Reconnecting…';
      banner.show('reconnecting', text, [{ label: 'Retry now', run: () => conn?.wake(false) }]);
    } else if (state === 'connecting') {
      banner.show('info', 'Connecting…');
    }
    if (state !== 'open') liveButton.hidden = true;
  };
  /** The window this device shows changed (a tab, or tmux itself, e.g. prefix-n): tabs and URL follow. */
  const showWindow = (w: string | null) => {
    if (w !== null && win.location.pathname !== terminalPath(session, w)) win.history.replaceState(null, '', terminalPath(session, w));
    if (latest) tabs.update(latest, w);
  };

  conn = new TerminalConnection({
    session,
    window,
    openSocket: ctx.openSocket,
    checkAuth: ctx.api.checkAuth,
    clock: ctx.clock,
    sink: view.sink,
    events: {
      onState: showState,
      onHello: (hello) => {
        setReadOnly(hello.readOnly);
        // /s/NAME (the session's current window) stays as opened; a window that was not there is corrected.
        if (window !== null) showWindow(conn?.window ?? null);
        else if (latest) tabs.update(latest, conn?.window ?? null);
        focusUnlessTouch();
      },
      onView: ({ window: w, scrolled }) => {
        showWindow(w);
        liveButton.hidden = !scrolled || readOnly;
      },
      onTitle: (title) => {
        baseTitle = title.trim() ? `${title} · Roost` : defaultTitle;
        showTitle();
      },
      onError: (_code, message) => {
        lastError = message;
        banner.show('error', message, [{ label: 'Dismiss', run: () => banner.hide() }]);
      },
      onExit: (reason) => {
        banner.show('ended', reason ? `Session ended: ${reason}` : 'Session ended.', [
          { label: 'Reconnect', run: () => conn?.restart() },
          { label: 'Back to sessions', run: () => ctx.navigate('/') },
        ]);
      },
      onUnauthorized: toLogin,
    },
  });

  function selectWindow(w: string): void {
    conn?.select(w);
    showWindow(w);
    focusUnlessTouch();
  }

  // The tmux title (or the session name), prefixed "(N)" while N windows anywhere want attention.
  let baseTitle = defaultTitle;
  let waitingCount = 0;
  function showTitle(): void {
    doc.title = countedTitle(baseTitle, waitingCount);
  }

  const feed = new EventsFeed({
    openSocket: ctx.openSocket,
    fetchSessions: ctx.api.fetchSessions,
    clock: ctx.clock,
    onSessions: (list) => {
      waitingCount = attentionCount(list);
      showTitle();
      const s = list.find((x) => x.name === session);
      if (!s) return;
      latest = s.windows;
      tabs.update(s.windows, conn?.window ?? null);
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
  // Focused and visible: a person is looking, so the daemon holds notifications for this window back.
  const reportFocus = () => conn?.setFocused(doc.hasFocus() && doc.visibilityState === 'visible');
  win.addEventListener('focus', reportFocus);
  win.addEventListener('blur', reportFocus);
  doc.addEventListener('visibilitychange', reportFocus);
  reportFocus();
  conn.start();
  feed.start();

  return {
    keybarSlot,
    sendInput: input,
    dispose() {
      win.clearTimeout(scrollTimer);
      win.removeEventListener('focus', reportFocus);
      win.removeEventListener('blur', reportFocus);
      doc.removeEventListener('visibilitychange', reportFocus);
      unwake();
      gestures?.dispose();
      unfollow();
      history?.dispose();
      menu.dispose();
      keybar.dispose();
      typing.dispose();
      conn?.dispose();
      feed.dispose();
      view.dispose();
      ctx.styles.prune();
      doc.title = 'Roost';
    },
  };
}
