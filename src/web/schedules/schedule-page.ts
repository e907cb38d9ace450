/**
 * A schedule's page, /schedules/NAME: what it runs and when (cron, zone,
 * command, directory, guards, the next run times), and its history, newest
 * first: each run's outcome, why it ran, when and how long, a skip's or a
 * failure's reason, a headless Claude run's result, a link to the run's job
 * log, and for a Claude run with a conversation "Open conversation" (a
 * session running `claude --resume`, opened in its terminal). Owners also
 * get Run now and Pause/Resume (actions.ts). Live by asking every few
 * seconds, like the Jobs view. Works the same on a phone and a desktop.
 */
import { commandLine } from '../../shared/jobs.js';
import type { RunInfo, ScheduleInfo } from '../../shared/schedules.js';
import type { AppContext, PageHandle } from '../app.js';
import { createBanner } from '../banner.js';
import { h, replaceChildren } from '../dom.js';
import { keyedList } from '../keyed-list.js';
import { jobPath, terminalPath } from '../router.js';
import { ICON, labelled, pauseButton, runButton, runNote } from './actions.js';
import { claudeText, clock, cronText, guardsText, runBadge, runDuration, runTime, since, triggerText } from './format.js';
import './schedules.css';

/** How often (ms) the schedule and its history are asked for while the page is open. */
const REFRESH_MS = 2500;
/** How many runs the page shows. */
const HISTORY = 100;

export function schedulePage(ctx: AppContext, root: HTMLElement, name: string): PageHandle {
  const doc = ctx.win.document;
  doc.title = `${name} · Schedules · Roost`;
  const banner = createBanner();
  const state = h('span', { class: 'badge', hidden: true });
  const actions = h('div', { class: 'sched-actions' });
  const about = h('dl', { class: 'sched-about' });
  const runs = h('ol', { class: 'sched-runs', 'aria-label': 'History' });
  const empty = h('p', { class: 'muted empty', hidden: true }, 'No runs yet.');
  const loading = h('p', { class: 'muted loading' }, 'Loading…');
  const note = runNote(ctx.api, name, () => void refresh());
  const page = h('div', { class: 'dash-page sched-page', 'data-schedule': name },
    h('header', { class: 'topbar' },
      h('a', { class: 'back', href: '/schedules', 'aria-label': 'Schedules' }, h('span', { 'aria-hidden': 'true' }, '‹'), h('span', { class: 'back-text' }, 'Schedules')),
      h('h1', { class: 'brand sched-name', title: name }, name), state, h('span', { class: 'spacer' }), actions),
    banner.el,
    h('main', { class: 'dash' }, loading, about, note.el, h('h2', { class: 'sched-heading' }, 'History'), runs, empty));
  replaceChildren(root, page);

  let owner = false;
  let disposed = false;
  let timer = 0;
  let shownActions = '';

  const open = async (r: RunInfo, button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      const { session } = await ctx.api.openRun(name, r.id);
      ctx.navigate(terminalPath(session));
    } catch (e) {
      button.disabled = false;
      banner.show('error', `Could not open the conversation of run ${r.id}: ${(e as Error).message}`, []);
    }
  };

  const showSchedule = (s: ScheduleInfo, now: number) => {
    loading.hidden = true;
    page.dataset['state'] = s.running ? 'running' : s.paused ? 'paused' : 'active';
    state.hidden = !s.paused && !s.running;
    state.textContent = s.running ? 'running' : 'paused';
    state.className = `badge ${s.running ? 'tone-working' : 'tone-waiting'}`;
    replaceChildren(about,
      ...item('When', cronText(s)),
      ...item('Next', s.paused ? 'paused: no next run' : s.next.map((t) => clock(t, now)).join(' · ') || 'none', { 'data-next': s.next[0] ?? '' }),
      ...item('Command', h('span', { class: 'meta-cmd' }, commandLine(s.command))),
      ...item('In', h('span', { class: 'meta-cmd' }, s.cwd)),
      ...item('Guards', guardsText(s.guards)),
      ...item('Rules', [`overlap ${s.overlap}`, `catch-up ${s.catchUp}`, s.timeout ? `timeout ${s.timeout}` : null, `notify ${s.notify}`, s.origin === 'config' ? 'from config.toml' : null].filter(Boolean).join(' · ')));
    const key = `${s.paused} ${owner}`;
    if (key === shownActions) return;
    shownActions = key;
    replaceChildren(actions);
    if (owner) {
      actions.append(runButton(name, note, true),
        pauseButton(ctx.api, name, s.paused, () => void refresh(), (e) => banner.show('error', `Could not ${s.paused ? 'resume' : 'pause'} ${name}: ${e.message}`, []), true));
    }
  };

  const rows = keyedList<RunInfo, number>(runs, (r) => r.id, (r) => JSON.stringify([r, owner]), (r) => runRow(r, owner ? (b) => void open(r, b) : null));
  const showRuns = (list: RunInfo[], now: number) => {
    empty.hidden = list.length > 0;
    rows.show(list, (r, el) => {
      const at = runTime(r);
      const when = el.querySelector('.run-when');
      if (when && at !== null) when.textContent = `${clock(at, now)}, ${since(at, now)}`;
      const ran = el.querySelector('.run-ran');
      if (ran) ran.textContent = runDuration(r, now) ?? '';
    });
  };

  async function refresh(): Promise<void> {
    if (disposed) return;
    ctx.win.clearTimeout(timer);
    try {
      const [s, history] = await Promise.all([ctx.api.schedule(name), ctx.api.scheduleHistory(name, HISTORY)]);
      const now = Date.now();
      showSchedule(s, now);
      showRuns(history, now);
      if (banner.kind !== 'error') banner.hide();
    } catch (e) {
      const gone = (e as { status?: number }).status === 404;
      banner.show(gone ? 'ended' : 'reconnecting', gone ? `There is no schedule named ${name} (any more).` : `Could not load the schedule: ${(e as Error).message}`,
        gone ? [] : [{ label: 'Retry now', run: () => void refresh() }]);
      loading.hidden = true;
      if (gone) return;
    }
    if (!disposed) timer = ctx.win.setTimeout(() => void refresh(), REFRESH_MS);
  }

  ctx.api.me().then((me) => {
    owner = me.role === 'owner';
    shownActions = '';
    void refresh();
  }, () => void refresh());

  return {
    dispose() {
      disposed = true;
      ctx.win.clearTimeout(timer);
    },
  };
}

function item(term: string, value: string | Node, attrs: Record<string, string | number> = {}): HTMLElement[] {
  return [h('dt', {}, term), h('dd', attrs, value)];
}

/** One run of the history; `open` null: no Open conversation (a read-only viewer). */
function runRow(r: RunInfo, open: ((b: HTMLButtonElement) => void) | null): HTMLElement {
  const b = runBadge(r);
  const trigger = triggerText(r);
  const chat = open && r.claude?.sessionId
    ? h('button', { type: 'button', class: 'btn btn-small', 'data-action': 'open', 'aria-label': `Open the conversation of run ${r.id}` }, ...labelled(ICON.chat, 'Open conversation'))
    : null;
  if (chat) chat.addEventListener('click', () => open?.(chat));
  return h('li', { class: 'sched-run', 'data-run': String(r.id), 'data-outcome': r.outcome },
    h('div', { class: 'run-head' },
      h('span', { class: `badge tone-${b.tone}`, 'data-outcome': r.outcome }, b.text),
      h('span', { class: 'run-when' }),
      trigger ? h('span', { class: 'run-trigger' }, trigger) : null),
    r.reason ? h('p', { class: 'sched-reason', 'data-reason': '' }, r.reason) : null,
    h('p', { class: 'card-meta' },
      h('span', { class: 'run-ran' }),
      r.job ? h('span', { class: 'run-job' }, `job ${r.job}`) : null,
      r.claude ? h('span', { class: 'run-claude', 'data-claude': r.claude.kind }, claudeText(r.claude)) : null),
    r.job || chat
      ? h('div', { class: 'run-actions' },
        r.job ? h('a', { class: 'btn btn-small', href: jobPath(r.job), 'data-action': 'log' }, ...labelled(ICON.log, 'Log')) : null,
        chat)
      : null);
}
