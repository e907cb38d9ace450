/**
 * A job's page, /jobs/NAME: its state and the log viewer (log-view.ts),
 * with Attach (the job's terminal, /s/NAME), Download (the whole log as a
 * file) and, for owners, Stop. Works the same on a phone and a desktop.
 */
import { commandLine, formatBytes as bytes, type JobInfo } from '../../shared/jobs.js';
import type { AppContext, PageHandle } from '../app.js';
import { createBanner } from '../banner.js';
import { h, replaceChildren } from '../dom.js';
import { terminalPath } from '../router.js';
import { jobBadge, ran } from './format.js';
import { stopButton } from './list-page.js';
import { createLogView } from './log-view.js';
import './jobs.css';

/** How often (ms) the job's state is asked for while it runs. */
const STATE_MS = 3000;

export function jobLogPage(ctx: AppContext, root: HTMLElement, name: string): PageHandle {
  const doc = ctx.win.document;
  doc.title = `${name} · Jobs · Roost`;
  const banner = createBanner();
  const badge = h('span', { class: 'badge', 'data-job-state': '' });
  const info = h('p', { class: 'card-meta log-info' });
  const actions = h('div', { class: 'log-actions' },
    h('a', { class: 'btn btn-small', href: `/api/jobs/${encodeURIComponent(name)}/log/download`, download: `${name}.log` }, 'Download'));
  const view = createLogView({
    win: ctx.win,
    load: (range) => ctx.api.jobLog(name, range),
    onComplete: () => void refresh(),
    onError: (e) => banner.show('reconnecting', `Could not load the log: ${(e as Error).message}`, [{ label: 'Retry now', run: () => view.poll() }]),
  });
  const page = h('div', { class: 'log-page', 'data-job': name },
    h('header', { class: 'term-bar log-bar' },
      h('a', { class: 'back', href: '/jobs', 'aria-label': 'Jobs' }, h('span', { 'aria-hidden': 'true' }, '‹'), h('span', { class: 'back-text' }, 'Jobs')),
      h('h1', { class: 'term-name log-name' }, name), badge, h('span', { class: 'spacer' }), actions),
    banner.el, info, view.searchBar, view.el);
  replaceChildren(root, page);

  let owner = false;
  let disposed = false;
  let timer = 0;
  let shownState = '';

  const show = (j: JobInfo) => {
    const b = jobBadge(j);
    badge.textContent = b.text;
    badge.className = `badge tone-${b.tone}`;
    badge.dataset['jobState'] = j.state;
    page.dataset['state'] = j.state;
    replaceChildren(info, h('span', { class: 'meta-cmd', title: j.cwd }, commandLine(j.command)), h('span', {}, ran(j)), h('span', {}, `log ${bytes(j.log.bytes)}`));
    const key = `${j.state} ${j.session ?? ''} ${owner}`;
    if (key === shownState) return;
    shownState = key;
    for (const x of actions.querySelectorAll('[data-live]')) x.remove();
    if (j.session) actions.prepend(h('a', { class: 'btn btn-small', href: terminalPath(j.session), 'data-live': '' }, j.state === 'running' ? 'Attach' : 'Last screen'));
    if (owner && j.state === 'running') {
      const stop = stopButton(name, (n) => void ctx.api.stopJob(n).then(() => { view.poll(); void refresh(); }, (e: Error) => banner.show('error', `Could not stop ${n}: ${e.message}`, [])));
      stop.classList.add('btn-small');
      stop.dataset['live'] = '';
      actions.append(stop);
    }
  };

  async function refresh(): Promise<void> {
    if (disposed) return;
    ctx.win.clearTimeout(timer);
    try {
      const j = await ctx.api.job(name);
      show(j);
      if (banner.kind !== null) banner.hide();
      if (j.state !== 'running') return;
    } catch (e) {
      const gone = (e as { status?: number }).status === 404;
      banner.show(gone ? 'ended' : 'reconnecting', gone ? `There is no job named ${name} (any more).` : `Could not load the job: ${(e as Error).message}`, []);
      if (gone) return;
    }
    if (!disposed) timer = ctx.win.setTimeout(() => void refresh(), STATE_MS);
  }

  ctx.api.me().then((me) => {
    owner = me.role === 'owner';
    shownState = '';
    void refresh();
  }, () => void refresh());
  view.start();

  return {
    dispose() {
      disposed = true;
      ctx.win.clearTimeout(timer);
      view.dispose();
    },
  };
}
