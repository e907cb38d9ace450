/**
 * The web app's composition root and router: builds the API client, the
 * socket factory and the clock once, and mounts one page per URL (/login,
 * /, /s/NAME[/WINDOW]) with the history API, disposing the previous page's
 * sockets and timers on every change.
 */
import '@xterm/xterm/css/xterm.css';
import './style.css';
import { createApi } from './api.js';
import { windowClock, type AppContext, type PageHandle } from './app.js';
import { routeScriptStylesThroughCssom } from './csp.js';
import { dashboardPage } from './dashboard/page.js';
import { h, replaceChildren } from './dom.js';
import { loginPage } from './login.js';
import { registerServiceWorker } from './pwa.js';
import { parseRoute } from './router.js';
import { terminalPage } from './terminal/page.js';
import { jobsPage } from './jobs/list-page.js';
import { jobLogPage } from './jobs/log-page.js';
import { schedulesPage } from './schedules/list-page.js';
import { schedulePage } from './schedules/schedule-page.js';
import { browserSocket } from './websocket.js';

function start(win: Window): void {
  const doc = win.document;
  const root = doc.getElementById('app');
  if (!root) throw new Error('index.html lacks #app');
  const styles = routeScriptStylesThroughCssom(doc);

  let current: PageHandle | null = null;
  const show = () => {
    current?.dispose();
    current = null;
    const route = parseRoute(win.location.pathname);
    switch (route.page) {
      case 'login': current = loginPage(ctx, root); break;
      case 'dashboard': current = dashboardPage(ctx, root); break;
      case 'terminal': current = terminalPage(ctx, root, route.session, route.window); break;
      case 'jobs': current = jobsPage(ctx, root); break;
      case 'job': current = jobLogPage(ctx, root, route.name); break;
      case 'schedules': current = schedulesPage(ctx, root); break;
      case 'schedule': current = schedulePage(ctx, root, route.name); break;
      case 'not-found':
        doc.title = 'Not found · Roost';
        replaceChildren(root, h('main', { class: 'login-page' }, h('div', { class: 'login' },
          h('h1', { class: 'brand' }, 'Not found'),
          h('p', {}, 'Nothing lives at ', h('code', {}, route.path), '.'),
          h('a', { class: 'btn btn-primary', href: '/' }, 'Sessions'))));
        break;
    }
  };
  const navigate = (path: string, opts: { replace?: boolean } = {}) => {
    if (opts.replace) win.history.replaceState(null, '', path);
    else win.history.pushState(null, '', path);
    show();
  };
  const ctx: AppContext = {
    api: createApi(() => {
      if (parseRoute(win.location.pathname).page !== 'login') navigate(`/login?next=${encodeURIComponent(win.location.pathname)}`, { replace: true });
    }),
    navigate,
    openSocket: browserSocket(win.location),
    clock: windowClock(win),
    win,
    styles,
  };

  // In-app links switch pages without a reload; modified clicks keep their browser meaning.
  doc.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a[href]');
    if (!(a instanceof HTMLAnchorElement) || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href);
    if (url.origin !== win.location.origin) return;
    e.preventDefault();
    if (url.pathname + url.search !== win.location.pathname + win.location.search) navigate(url.pathname + url.search);
  });
  win.addEventListener('popstate', show);
  show();
  registerServiceWorker(win);
}

start(window);
