/**
 * Roost's service worker (/sw.js, scope /). It makes the app installable and
 * lets the installed app open while the daemon is restarting, by keeping the
 * app shell: the page (index.html, as served for /login) and the files under
 * /assets/. Always the network first, the cache only when the network fails,
 * so a new build is used as soon as it is served.
 *
 * It never answers for the API (/api/*: JSON, the terminal and events
 * WebSockets) or anything else: those requests go to the network untouched,
 * and nothing from them is ever stored. (Service workers never see
 * WebSocket traffic at all.)
 *
 * Web Push (notifications when a session wants attention) adds its `push`
 * and `notificationclick` handlers in the section at the end.
 */

import { isPageRequest, isShellRequest, SHELL_FILES, SHELL_PAGE } from './sw-routes.js';
import { parsePushPayload, safeTarget } from './push-payload.js';

/** The few service-worker types used here (the browser build's lib is DOM, not WebWorker). */
interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(r: Response | Promise<Response>): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  readonly location: Location;
}

const sw = self as unknown as WorkerScope;

// --- App shell cache ---------------------------------------------------------

/** Bump when the shell's layout changes; older caches are deleted on activate. */
const SHELL_CACHE = 'roost-shell-v1';

sw.addEventListener('install', (e) => {
  e.waitUntil(caches.open(SHELL_CACHE).then((c) => c.addAll(SHELL_FILES)).then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== SHELL_CACHE).map((k) => caches.delete(k))))
    .then(() => sw.clients.claim()));
});

/** The network, refreshing the cached copy of a good answer; the cached copy when the network fails. */
async function networkFirst(request: Request, cacheKey: string): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const res = await fetch(request);
    if (res.ok && res.type === 'basic') await cache.put(cacheKey, res.clone());
    return res;
  } catch (err) {
    const cached = await cache.match(cacheKey);
    if (cached) return cached;
    throw err;
  }
}

sw.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (isPageRequest(url, req.method, req.mode, sw.location.origin)) {
    // Pages: straight to the network (login redirects and all); offline, the shell page, which shows the reconnect banner.
    e.respondWith(fetch(req).catch(async () => (await caches.match(SHELL_PAGE)) ?? Response.error()));
    return;
  }
  if (isShellRequest(url, req.method, sw.location.origin)) e.respondWith(networkFirst(req, url.pathname));
  // Anything else (the API above all) is not ours: no respondWith, the browser fetches it as if there were no worker.
});

// --- Web Push ----------------------------------------------------------------
// Attention notifications: show each push (payload in docs/notifications.md),
// and a tap opens its window. Separate from the shell cache above.

interface PushEvent extends ExtendableEvent {
  readonly data: { text(): string } | null;
}
interface NotificationEvent extends ExtendableEvent {
  readonly notification: Notification;
}
interface WindowClient {
  readonly url: string;
  focus(): Promise<WindowClient>;
  navigate(url: string): Promise<WindowClient | null>;
}
interface PushScope {
  addEventListener(type: 'push', fn: (e: PushEvent) => void): void;
  addEventListener(type: 'notificationclick', fn: (e: NotificationEvent) => void): void;
  readonly registration: { showNotification(title: string, options: NotificationOptions): Promise<void> };
  readonly clients: {
    matchAll(o: { type: 'window'; includeUncontrolled: boolean }): Promise<readonly WindowClient[]>;
    openWindow(url: string): Promise<WindowClient | null>;
  };
}

const push = self as unknown as PushScope;

push.addEventListener('push', (e) => {
  const n = parsePushPayload(e.data ? e.data.text() : null);
  e.waitUntil(push.registration.showNotification(n.title, { body: n.body, tag: n.tag, data: { url: n.url }, icon: '/assets/icon.svg' }));
});

push.addEventListener('notificationclick', (e) => {
  e.notification.close();
  const data = e.notification.data as { url?: unknown } | null;
  const target = new URL(safeTarget(data?.url), sw.location.origin).href;
  e.waitUntil((async () => {
    const open = (await push.clients.matchAll({ type: 'window', includeUncontrolled: true }))
      .filter((c) => new URL(c.url).origin === sw.location.origin);
    const client = open[0];
    if (client) {
      const focused = await client.focus();
      await focused.navigate(target).catch(() => push.clients.openWindow(target));
      return;
    }
    await push.clients.openWindow(target);
  })());
});
