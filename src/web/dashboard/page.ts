/**
 * The dashboard, /: every session as a card (card-list.ts), live from the
 * events feed, those wanting attention first; create, rename and kill for
 * owners. The top bar has notifications, "Add device", "New session" and Log
 * out.
 */
import type { SessionInfo } from '../../shared/api.js';
import type { AppContext, PageHandle } from '../app.js';
import { createBanner } from '../banner.js';
import { h, icon, replaceChildren } from '../dom.js';
import { EventsFeed } from '../events.js';
import { onWake } from '../wake.js';
import { attentionCount, countedTitle } from '../window-status.js';
import type { CardActions } from './card.js';
import { createCardList } from './card-list.js';
import { deviceLoginDialog } from './device-login.js';
import { createSessionDialog, killSessionDialog, renameSessionDialog } from './dialogs.js';
import { notifyControl } from './notify.js';

export function dashboardPage(ctx: AppContext, root: HTMLElement): PageHandle {
  const doc = ctx.win.document;
  // "(2) Roost": the count of windows wanting attention, visible from another tab.
  doc.title = 'Roost';
  const banner = createBanner();
  const cards = createCardList(ctx.win);
  const empty = h('div', { class: 'empty', hidden: true },
    h('p', {}, 'No sessions yet.'),
    h('p', { class: 'muted' }, 'Create one here, or run ', h('code', {}, 'roost new NAME'), ' on the server.'));
  const loading = h('p', { class: 'muted loading' }, 'Loading sessions…');
  const tmuxGone = h('p', { class: 'notice', role: 'status', hidden: true });
  const bar = topBar(ctx);
  const page = h('div', { class: 'dash-page' },
    bar.el,
    banner.el,
    h('main', { class: 'dash' }, bar.notifyMessage, tmuxGone, loading, cards.el, empty));
  replaceChildren(root, page);

  let actions: CardActions | null = null;
  let latest: SessionInfo[] | null = null;
  const render = () => {
    if (!latest) return;
    loading.hidden = true;
    doc.title = countedTitle('Roost', attentionCount(latest));
    empty.hidden = latest.length > 0;
    cards.show(latest, actions);
  };

  const toLogin = () => ctx.navigate('/login', { replace: true });
  const feed = new EventsFeed({
    openSocket: ctx.openSocket,
    fetchSessions: ctx.api.fetchSessions,
    clock: ctx.clock,
    onSessions: (list) => {
      latest = list;
      render();
    },
    onTmux: (running, at) => {
      const time = new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      tmuxGone.textContent = `The tmux server stopped at ${time}: every session in it ended. A new session starts a new server.`;
      tmuxGone.hidden = running;
    },
    onState: (state) => {
      page.dataset['feed'] = state;
      if (state === 'reconnecting') banner.show('reconnecting', 'Live updates lost. Reconnecting…', [{ label: 'Retry now', run: () => feed.wake(false) }]);
      else banner.hide();
    },
    onUnauthorized: toLogin,
  });
  const unwake = onWake(ctx.win, (force) => feed.wake(force));

  ctx.api.me().then((me) => {
    const owner = me.role === 'owner';
    bar.setOwner(owner);
    actions = owner ? { rename: (n) => renameSessionDialog(doc, ctx.api, n), kill: (n) => killSessionDialog(doc, ctx.api, n) } : null;
    render();
  }, () => {
    // 401 already went to /login; otherwise stay view-only until the daemon answers.
  });
  feed.start();

  return {
    dispose() {
      cards.dispose();
      unwake();
      feed.dispose();
      for (const d of doc.querySelectorAll('dialog')) d.close();
    },
  };
}

/**
 * The top bar: the brand, the read-only badge, and the buttons: notifications
 * on this device (notify.ts; its message line goes under the bar), "Add
 * device" and "New session" for owners, Log out.
 */
function topBar(ctx: AppContext): { el: HTMLElement; notifyMessage: HTMLElement; setOwner(owner: boolean): void } {
  const doc = ctx.win.document;
  const readOnlyBadge = h('span', { class: 'badge badge-ro', hidden: true }, 'read-only');
  // A plus on phones, like its neighbours an icon: a word there would need more than the row has left (320 px).
  const newButton = h('button', { type: 'button', class: 'btn btn-primary owner-only new-button', hidden: true, 'aria-label': 'New session', title: 'New session', onclick: () => createSessionDialog(doc, ctx.api) },
    icon('M12 5v14M5 12h14'), h('span', { class: 'wide-only' }, 'New session'));
  // A phone-with-QR icon: the desktop shows a code the phone scans to log in.
  const deviceButton = h('button', { type: 'button', class: 'btn owner-only device-login-button', hidden: true, 'aria-label': 'Log in another device', title: 'Log in another device', onclick: () => deviceLoginDialog(ctx.win, ctx.api) },
    icon('M8 3h8a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H8a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM10 8h4v4h-4zM11 18h2'), h('span', { class: 'wide-only' }, 'Add device'));
  const notify = notifyControl(ctx.win, ctx.api);
  // A door with an arrow on phones (the header keeps one row), the words where there is room.
  const logout = h('button', { type: 'button', class: 'btn logout-button', 'aria-label': 'Log out', title: 'Log out', onclick: () => void doLogout() },
    icon('M10 4H5v16h5M14 8l4 4-4 4M18 12H9'), h('span', { class: 'wide-only' }, 'Log out'));
  // A list of lines on phones, the word where there is room.
  const jobs = h('a', { class: 'btn', href: '/jobs', 'aria-label': 'Jobs', title: 'Jobs' },
    icon('M4 6h16M4 12h16M4 18h10'), h('span', { class: 'wide-only' }, 'Jobs'));
  // A clock on phones, the word where there is room.
  const schedules = h('a', { class: 'btn', href: '/schedules', 'aria-label': 'Schedules', title: 'Schedules' },
    icon('M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 7v5l3 2'), h('span', { class: 'wide-only' }, 'Schedules'));

  async function doLogout(): Promise<void> {
    try {
      await ctx.api.logout();
    } catch {
      // Logged out or unreachable: the login page is the right place either way.
    }
    ctx.navigate('/login');
  }

  return {
    el: h('header', { class: 'topbar dash-top' }, h('h1', { class: 'brand' }, 'Roost'), readOnlyBadge, h('span', { class: 'spacer' }), notify.el, jobs, schedules, deviceButton, newButton, logout),
    notifyMessage: notify.message,
    setOwner(owner) {
      readOnlyBadge.hidden = owner;
      newButton.hidden = !owner;
      deviceButton.hidden = !owner;
      notify.setOwner(owner);
    },
  };
}
