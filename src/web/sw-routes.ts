/**
 * Which requests the service worker (sw.ts) may answer, and what it keeps:
 * only the app shell. Pure: no DOM or worker globals, unit-tested in Node.
 */

/** The page kept for offline starts: /login serves index.html to anyone (/ and /s/... redirect there when logged out). */
export const SHELL_PAGE = '/login';
/** Fetched and kept when the worker installs. */
export const SHELL_FILES: readonly string[] = [SHELL_PAGE, '/assets/main.js', '/assets/main.css', '/assets/icon.svg', '/manifest.webmanifest'];

const isApi = (url: URL) => url.pathname === '/api' || url.pathname.startsWith('/api/');

/** A page load of this app (network first, the kept page when offline). Never the API. */
export function isPageRequest(url: URL, method: string, mode: string, origin: string): boolean {
  return mode === 'navigate' && method === 'GET' && url.origin === origin && !isApi(url);
}

/** A file of the app shell (network first, kept copy when offline): /assets/* and the manifest. Never the API. */
export function isShellRequest(url: URL, method: string, origin: string): boolean {
  if (method !== 'GET' || url.origin !== origin || isApi(url)) return false;
  return url.pathname.startsWith('/assets/') || url.pathname === '/manifest.webmanifest';
}
