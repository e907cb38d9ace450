/**
 * Which window this device shows, kept in step in three places: the daemon
 * says which (HELLO, VIEW) or a tab picks one; the tabs, drawn from the live
 * listing, mark it; the URL follows (/s/NAME/WINDOW, replaced, not pushed).
 * The session's name in them follows a rename.
 */
import type { WindowInfo } from '../../shared/api.js';
import { parseRoute, terminalPath } from '../router.js';
import { createTabs } from './tabs.js';

export interface WindowFollowOptions {
  /** The window the connection shows, or null before its HELLO. */
  current(): string | null;
  /** A tab was picked. */
  select(window: string): void;
}

export interface WindowFollow {
  /** The window tabs, for the top bar. */
  readonly tabs: HTMLElement;
  /** A fresh listing of the session's windows. */
  listing(windows: readonly WindowInfo[]): void;
  /** This device shows window `w` now (a tab, or tmux itself, e.g. prefix-n): tabs and URL follow. */
  show(w: string | null): void;
  /** Mark `w` in the tabs; the URL stays as it is. */
  mark(w: string | null): void;
  /** The session is called `name` now: the tabs and the URL (its window, or none, as it was) follow. */
  rename(name: string): void;
  /** The session's current window by the last listing; undefined before one. */
  active(): string | undefined;
}

export function followWindows(win: Window, session: string, o: WindowFollowOptions): WindowFollow {
  const tabs = createTabs(session, (w) => o.select(w));
  /** The session's windows from the last listing, for redrawing the tabs. */
  let latest: readonly WindowInfo[] | null = null;
  const mark = (w: string | null) => {
    if (latest) tabs.update(latest, w);
  };
  return {
    tabs: tabs.el,
    listing(windows) {
      latest = windows;
      tabs.update(windows, o.current());
    },
    show(w) {
      if (w !== null && win.location.pathname !== terminalPath(session, w)) win.history.replaceState(null, '', terminalPath(session, w));
      mark(w);
    },
    mark,
    rename(name) {
      if (name === session) return;
      session = name;
      tabs.rename(name);
      const route = parseRoute(win.location.pathname);
      const path = terminalPath(name, route.page === 'terminal' ? route.window : null);
      if (win.location.pathname !== path) win.history.replaceState(null, '', path);
      mark(o.current());
    },
    active: () => latest?.find((x) => x.active)?.index.toString(),
  };
}
