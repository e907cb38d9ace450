/**
 * The Schedules view, /schedules: every schedule as a card with its cron
 * line and command, when it runs next, its last result (a skip with its
 * reason), kept live by asking for the list every few seconds like the Jobs
 * view. "History" opens the schedule's page, "Log" the last run's job;
 * owners also get Run now (actions.ts) and Pause/Resume. Read-only logins
 * see the same cards without the buttons that change things.
 */
import { commandLine } from '../../shared/jobs.js';
import type { ScheduleInfo } from '../../shared/schedules.js';
import type { AppContext, PageHandle } from '../app.js';
import { listPage } from '../list-page.js';
import { h } from '../dom.js';
import { keyedList } from '../keyed-list.js';
import { jobPath, schedulePath } from '../router.js';
import { ICON, labelled, pauseButton, runButton, runNote, type RunNote } from './actions.js';
import { clock, cronText, runBadge, since, until } from './format.js';
import './schedules.css';

/** How often (ms) the list is asked for while the page is open. */
const REFRESH_MS = 2000;

/** What a card does for an owner; null for a read-only viewer. */
interface Owner {
  note(name: string): RunNote;
  pause(name: string, paused: boolean): HTMLButtonElement;
}

export function schedulesPage(ctx: AppContext, root: HTMLElement): PageHandle {
  const { banner, list, empty, loading, readOnly } = listPage(ctx.win.document, root, {
    title: 'Schedules', pageClass: 'sched-page', listClass: 'sched-cards', loadingText: 'Loading schedules…',
    empty: [h('p', {}, 'No schedules.'),
      h('p', { class: 'muted' }, 'Add one on the server with ', h('code', {}, 'roost schedule add NAME --cron EXPR -- CMD ARGS'), '.')],
  });

  let owner: Owner | null = null;
  let disposed = false;
  let timer = 0;
  // The relative times move all the time: written in place (updateTimes), they do not rebuild a card.
  const cards = keyedList<ScheduleInfo, string>(list, (s) => s.name, (s) => JSON.stringify([s, owner !== null]), (s) => scheduleCard(s, owner));
  // Run now's notes outlive the cards they sit in (a card is rebuilt when its schedule changes).
  const notes = new Map<string, RunNote>();

  const show = (schedules: ScheduleInfo[]) => {
    loading.hidden = true;
    empty.hidden = schedules.length > 0;
    const now = Date.now();
    cards.show(schedules, (s, el) => updateTimes(el, s, now));
    const names = new Set(schedules.map((s) => s.name));
    for (const name of notes.keys()) if (!names.has(name)) notes.delete(name);
  };

  async function refresh(): Promise<void> {
    if (disposed) return;
    ctx.win.clearTimeout(timer);
    try {
      show(await ctx.api.schedules());
      banner.hide();
    } catch (e) {
      banner.show('reconnecting', `Could not load the schedules: ${(e as Error).message}`, [{ label: 'Retry now', run: () => void refresh() }]);
    }
    if (!disposed) timer = ctx.win.setTimeout(() => void refresh(), REFRESH_MS);
  }

  const ownerActions: Owner = {
    note(name) {
      let n = notes.get(name);
      if (!n) {
        n = runNote(ctx.api, name, () => void refresh());
        notes.set(name, n);
      }
      return n;
    },
    pause: (name, paused) => pauseButton(ctx.api, name, paused, () => void refresh(),
      (e) => banner.show('error', `Could not ${paused ? 'resume' : 'pause'} ${name}: ${e.message}`, [])),
  };

  ctx.api.me().then((me) => {
    owner = me.role === 'owner' ? ownerActions : null;
    readOnly.hidden = owner !== null;
    void refresh();
  }, () => void refresh());

  return {
    dispose() {
      disposed = true;
      ctx.win.clearTimeout(timer);
    },
  };
}

/** One schedule as a card; `owner` null: a read-only viewer. */
function scheduleCard(s: ScheduleInfo, owner: Owner | null): HTMLElement {
  const last = s.last;
  const badge = last ? runBadge(last) : null;
  const state = s.running ? 'running' : s.paused ? 'paused' : 'active';
  const note = owner?.note(s.name);
  const buttons = h('div', { class: 'card-actions' },
    h('a', { class: 'btn btn-primary', href: schedulePath(s.name), 'aria-label': `History of ${s.name}` }, ...labelled(ICON.clock, 'History')),
    last?.job ? h('a', { class: 'btn', href: jobPath(last.job), 'data-action': 'last-log', 'aria-label': `Log of ${s.name}'s last run` }, ...labelled(ICON.log, 'Log')) : null,
    owner && note ? runButton(s.name, note) : null,
    owner ? owner.pause(s.name, s.paused) : null);
  return h('article', { class: 'card sched-card', 'data-schedule': s.name, 'data-state': state, 'aria-label': `Schedule ${s.name}` },
    h('div', { class: 'card-head' },
      h('a', { class: 'card-title', href: schedulePath(s.name), title: s.name }, s.name),
      s.paused ? h('span', { class: 'badge tone-waiting', 'data-paused': '' }, 'paused') : null,
      s.running ? h('span', { class: 'badge tone-working', 'data-running': s.running }, 'running') : null),
    h('p', { class: 'card-meta' },
      h('span', { class: 'sched-cron', title: 'Cron' }, cronText(s)),
      h('span', { class: 'meta-cmd', title: s.cwd }, commandLine(s.command))),
    h('p', { class: 'card-meta sched-times' },
      h('span', { class: 'sched-next', 'data-next': s.next[0] ?? '' }, s.paused ? 'paused: no next run' : ''),
      last && badge
        ? h('span', { class: 'sched-last' }, 'last: ', h('span', { class: `badge tone-${badge.tone}`, 'data-outcome': last.outcome }, badge.text), ' ', h('span', { class: 'sched-last-when' }))
        : h('span', { class: 'sched-last' }, 'no runs yet')),
    last?.reason ? h('p', { class: 'sched-reason', 'data-reason': '' }, last.reason) : null,
    note?.el,
    buttons);
}

/** "next in 3 min (14:05)", "5 min ago": written in place on every refresh. */
function updateTimes(card: HTMLElement, s: ScheduleInfo, now: number): void {
  const next = s.next[0];
  const nextEl = card.querySelector('.sched-next');
  if (nextEl && next !== undefined) setText(nextEl, `next ${until(next, now)} (${clock(next, now)})`);
  const when = card.querySelector('.sched-last-when');
  const at = s.last ? s.last.ended ?? s.last.started ?? s.last.due ?? s.last.created : null;
  if (when && at !== null) setText(when, since(at, now));
}

function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
