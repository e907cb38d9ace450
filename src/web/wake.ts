/**
 * The moments a dropped connection should be retried at once, or a quiet one
 * replaced: back from the back-forward cache (its sockets were closed), the
 * tab visible again after a long time hidden (the laptop may have slept and
 * the socket died silently), the network back online.
 */

/** Hidden at least this long (ms) and the socket is replaced on return: long enough to cover sleep, short enough that tab switching keeps its socket. */
export const HIDDEN_REPLACE_MS = 30_000;

/** Calls `wake(force)` on each such moment; returns the unsubscribe function. */
export function onWake(win: Window, wake: (force: boolean) => void): () => void {
  const doc = win.document;
  let hiddenSince = doc.visibilityState === 'hidden' ? Date.now() : 0;
  const pageshow = (e: PageTransitionEvent) => wake(e.persisted);
  const visibility = () => {
    if (doc.visibilityState === 'hidden') {
      hiddenSince = Date.now();
      return;
    }
    const long = hiddenSince > 0 && Date.now() - hiddenSince >= HIDDEN_REPLACE_MS;
    hiddenSince = 0;
    wake(long);
  };
  const online = () => wake(true);
  win.addEventListener('pageshow', pageshow);
  doc.addEventListener('visibilitychange', visibility);
  win.addEventListener('online', online);
  return () => {
    win.removeEventListener('pageshow', pageshow);
    doc.removeEventListener('visibilitychange', visibility);
    win.removeEventListener('online', online);
  };
}
