/**
 * The dashboard, /: every session as a card, live from the events feed,
 * those wanting attention first; create, rename and kill for owners. "Last
 * output" ticks locally between updates.
 */
import type { SessionInfo } from '../../shared/api.js';
import type { AppContext, PageHandle } from '../app.js';
import { createBanner } from '../banner.js';
import { h, icon, replaceChildren } from '../dom.js';
import { EventsFeed } from '../events.js';
import { onWake } from '../wake.js';
import { attentionCount, countedTitle } from '../window-status.js';
import { sessionCard, type CardActions } from './card.js';
import { deviceLoginDialog } from './device-login.js';
import { createSessionDialog, killSessionDialog, renameSessionDialog } from './dialogs.js';
import { ago, sortSessions } from './format.js';
import { notifyControl } from './notify.js';

/** How often (ms) "last output N s ago" is rewritten. */
const TICK_MS = 1000;

export function dashboardPage(ctx: AppContext, root: HTMLElement): PageHandle {
  const doc = ctx.win.document;
  // "(2) Roost": the count of windows wanting attention, visible from another tab.
  doc.title = 'Roost';
  const banner = createBanner();
  const cards = h('div', { class: 'cards', 'aria-live': 'polite' });
  const empty = h('div', { class: 'empty', hidden: true },
    h('p', {}, 'No sessions yet.'),
    h('p', { class: 'muted' }, 'Create one here, or run ', h('code', {}, 'roost new NAME'), ' on the server.'));
  const loading = h('p', { class: 'muted loading' }, 'Loading sessions…');
  const readOnlyBadge = h('span', { class: 'badge badge-ro', hidden: true }, 'read-only');
  const newButton = h('button', { type: 'button', class: 'btn btn-primary owner-only', hidden: true, 'aria-label': 'New session', onclick: () => createSessionDialog(doc, ctx.api) },
    '+ New', h('span', { class: 'wide-only' }, ' session'));
  // A phone-with-QR icon: the desktop shows a code the phone scans to log in.
  const deviceButton = h('button', { type: 'button', class: 'btn owner-only device-login-button', hidden: true, 'aria-label': 'Log in another device', title: 'Log in another device', onclick: () => deviceLoginDialog(ctx.win, ctx.api) },
    icon('M8 3h8a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H8a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM10 8h4v4h-4zM11 18h2'), h('span', { class: 'wide-only' }, 'Add device'));
  const notify = notifyControl(ctx.win, ctx.api);
  const logout = h('button', { type: 'button', class: 'btn', onclick: () => void doLogout() }, 'Log out');
  const page = h('div', { class: 'dash-page' },
    h('header', { class: 'topbar' }, h('h1', { class: 'brand' }, 'Roost'), readOnlyBadge, h('span', { class: 'spacer' }), notify.el, deviceButton, newButton, logout),
    banner.el,
    h('main', { class: 'dash' }, notify.message, loading, cards, empty));
  replaceChildren(root, page);

  let actions: CardActions | null = null;
  let latest: SessionInfo[] | null = null;
  /** Cards by session id, with what they were built from, so unchanged cards stay put (and keep focus). */
  const built = new Map<string, { json: string; el: HTMLElement }>();

  const render = () => {
    if (!latest) return;
    loading.hidden = true;
    const sorted = sortSessions(latest);
    doc.title = countedTitle('Roost', attentionCount(latest));
    empty.hidden = sorted.length > 0;
    const keep = new Set<string>();
    sorted.forEach((s, i) => {
      // Output times change every second while anything prints; tick() shows them from data-activity,
      // so they are left out of the comparison and a card is rebuilt only when what it shows changes
      // (a tap never lands on a card replaced between touch and click).
      const json = JSON.stringify([s, actions !== null], (k, v: unknown) => (k === 'activity' ? undefined : v));
      let entry = built.get(s.id);
      if (!entry || entry.json !== json) {
        const el = sessionCard(s, actions);
        if (entry) entry.el.replaceWith(el);
        entry = { json, el };
        built.set(s.id, entry);
      } else entry.el.querySelector('[data-activity]')?.setAttribute('data-activity', String(s.activity));
      keep.add(s.id);
      const at = cards.children[i];
      if (at !== entry.el) cards.insertBefore(entry.el, at ?? null);
    });
    for (const [id, entry] of built) {
      if (!keep.has(id)) {
        entry.el.remove();
        built.delete(id);
      }
    }
    tick();
  };
  const tick = () => {
    const now = Date.now() / 1000;
    for (const el of cards.querySelectorAll<HTMLElement>('[data-activity]')) {
      el.textContent = `last output ${ago(now - Number(el.dataset['activity']))}`;
    }
  };
  const ticker = ctx.win.setInterval(tick, TICK_MS);

  const toLogin = () => ctx.navigate('/login', { replace: true });
  const feed = new EventsFeed({
    openSocket: ctx.openSocket,
    fetchSessions: ctx.api.fetchSessions,
    clock: ctx.clock,
    onSessions: (list) => {
      latest = list;
      render();
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
    readOnlyBadge.hidden = owner;
    newButton.hidden = !owner;
    deviceButton.hidden = !owner;
    notify.setOwner(owner);
    actions = owner ? { rename: (n) => renameSessionDialog(doc, ctx.api, n), kill: (n) => killSessionDialog(doc, ctx.api, n) } : null;
    render();
  }, () => {
    // 401 already went to /login; otherwise stay view-only until the daemon answers.
  });
  feed.start();

  async function doLogout(): Promise<void> {
    try {
      await ctx.api.logout();
    } catch {
      // Logged out or unreachable: the login page is the right place either way.
    }
    ctx.navigate('/login');
  }

  return {
    dispose() {
      ctx.win.clearInterval(ticker);
      unwake();
      feed.dispose();
      for (const d of doc.querySelectorAll('dialog')) d.close();
    },
  };
}
