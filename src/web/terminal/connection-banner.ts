/**
 * What the banner over the terminal says about its connection:
 * "Connecting…", "Connection lost. Reconnecting…" (with the last error, and
 * Retry now), an error the daemon sent (it stays until dismissed, even once
 * connected), and the session's end (Reconnect, Back to sessions).
 */
import { createBanner } from '../banner.js';
import type { ConnectionState } from './connection-link.js';
import { endedText } from '../../shared/terminal-exit.js';

export interface ConnectionBannerActions {
  retryNow(): void;
  reconnect(): void;
  back(): void;
}

export interface ConnectionBanner {
  readonly el: HTMLElement;
  state(state: ConnectionState): void;
  error(message: string): void;
  exit(reason: string): void;
}

export function connectionBanner(a: ConnectionBannerActions): ConnectionBanner {
  const banner = createBanner();
  let lastError: string | null = null;
  return {
    el: banner.el,
    state(state) {
      if (state === 'open') {
        // An error that came with this connection (e.g. "no window 7; showing the current one") stays until dismissed.
        if (banner.kind !== 'error') banner.hide();
        lastError = null;
      } else if (state === 'reconnecting') {
        const text = lastError ? `Reconnecting… (${lastError})` : 'Connection lost. Reconnecting…';
        banner.show('reconnecting', text, [{ label: 'Retry now', run: () => a.retryNow() }]);
      } else if (state === 'connecting') {
        banner.show('info', 'Connecting…');
      }
    },
    error(message) {
      lastError = message;
      banner.show('error', message, [{ label: 'Dismiss', run: () => banner.hide() }]);
    },
    exit(reason) {
      banner.show('ended', endedText(reason), [
        { label: 'Reconnect', run: () => a.reconnect() },
        { label: 'Back to sessions', run: () => a.back() },
      ]);
    },
  };
}
