/**
 * What every page gets from the composition root (main.ts): the API, the
 * router's navigate, sockets, the clock, the document. Pages return a handle
 * whose dispose() closes their sockets and timers when the route changes.
 */
import type { Api } from './api.js';
import type { StyleRouting } from './csp.js';
import type { Clock } from './reconnect.js';
import type { OpenSocket } from './transport.js';

export interface AppContext {
  api: Api;
  /** Go to an in-app path (pushState, or replaceState with `replace`). */
  navigate(path: string, opts?: { replace?: boolean }): void;
  openSocket: OpenSocket;
  clock: Clock;
  win: Window;
  styles: StyleRouting;
}

export interface PageHandle {
  dispose(): void;
}

/** The browser clock for the reconnect loops. */
export function windowClock(win: Window): Clock {
  return {
    setTimeout: (fn, ms) => win.setTimeout(fn, ms),
    clearTimeout: (h) => win.clearTimeout(h as number),
    random: () => Math.random(),
  };
}
