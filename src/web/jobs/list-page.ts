/**
 * The Jobs view, /jobs: every background job as a card with its live state
 * (the list is asked for every few seconds), the command, when it ran, the
 * size of its log; "Log" opens the viewer, "Attach" the job's terminal
 * (its session), and owners may stop a running job (a second tap confirms).
 * Read-only logins see the same cards without the buttons that change things.
 */
import { commandLine, formatBytes as bytes, type JobInfo } from '../../shared/jobs.js';
import type { AppContext, PageHandle } from '../app.js';
import { listPage } from '../list-page.js';
import { h } from '../dom.js';
import { jobPath, terminalPath } from '../router.js';
import { jobBadge, ran } from './format.js';
import './jobs.css';

/** How often (ms) the list is asked for while the page is open. */
const REFRESH_MS = 2000;
/** How long (ms) a Stop button waits for its confirming second tap. */
const CONFIRM_MS = 4000;

export function jobsPage(ctx: AppContext, root: HTMLElement): PageHandle {
  const { banner, list, empty, loading, readOnly } = listPage(ctx.win.document, root, {
    title: 'Jobs', pageClass: 'jobs-page', listClass: 'job-cards', loadingText: 'Loading jobs…',
    empty: [h('p', {}, 'No background jobs.'),
      h('p', { class: 'muted' }, 'Start one on the server with ', h('code', {}, 'roost run -- CMD ARGS'), '.')],
  });

  let owner = false;
  let disposed = false;
  let timer = 0;
  const built = new Map<string, { json: string; el: HTMLElement }>();

  const stop = async (name: string) => {
    try {
      await ctx.api.stopJob(name);
    } catch (e) {
      banner.show('error', `Could not stop ${name}: ${(e as Error).message}`, []);
    }
    void refresh();
  };

  const show = (jobs: JobInfo[]) => {
    loading.hidden = true;
    empty.hidden = jobs.length > 0;
    const keep = new Set<string>();
    // Running jobs first, then the most recent.
    const sorted = [...jobs].sort((a, b) => Number(b.state === 'running') - Number(a.state === 'running') || b.started - a.started);
    sorted.forEach((j, i) => {
      // The duration and log size move all the time: written in place, they do not rebuild the card
      // (which would drop a Stop button waiting for its confirming tap).
      const json = JSON.stringify([j, owner], (k, v: unknown) => (k === 'durationMs' || k === 'log' ? undefined : v));
      let entry = built.get(j.name);
      if (!entry || entry.json !== json) {
        const card = jobCard(j, owner ? stop : null);
        entry?.el.replaceWith(card);
        entry = { json, el: card };
        built.set(j.name, entry);
      } else {
        setText(entry.el, '.job-ran', ran(j));
        setText(entry.el, '.job-log', `log ${bytes(j.log.bytes)}`);
      }
      keep.add(j.name);
      const at = list.children[i];
      if (at !== entry.el) list.insertBefore(entry.el, at ?? null);
    });
    for (const [name, entry] of built) {
      if (!keep.has(name)) {
        entry.el.remove();
        built.delete(name);
      }
    }
  };

  async function refresh(): Promise<void> {
    if (disposed) return;
    ctx.win.clearTimeout(timer);
    try {
      show(await ctx.api.jobs());
      banner.hide();
    } catch (e) {
      banner.show('reconnecting', `Could not load the jobs: ${(e as Error).message}`, [{ label: 'Retry now', run: () => void refresh() }]);
    }
    if (!disposed) timer = ctx.win.setTimeout(() => void refresh(), REFRESH_MS);
  }

  ctx.api.me().then((me) => {
    owner = me.role === 'owner';
    readOnly.hidden = owner;
    void refresh();
  }, () => void refresh());

  return {
    dispose() {
      disposed = true;
      ctx.win.clearTimeout(timer);
    },
  };
}

/** One job as a card; `stop` null: a read-only viewer. */
export function jobCard(j: JobInfo, stop: ((name: string) => void) | null): HTMLElement {
  const b = jobBadge(j);
  const buttons = h('div', { class: 'card-actions' },
    h('a', { class: 'btn btn-primary', href: jobPath(j.name) }, 'Log'),
    j.session ? h('a', { class: 'btn', href: terminalPath(j.session) }, j.state === 'running' ? 'Attach' : 'Last screen') : null,
    stop && j.state === 'running' ? stopButton(j.name, stop) : null);
  return h('article', { class: 'card job-card', 'data-job': j.name, 'data-state': j.state, 'aria-label': `Job ${j.name}` },
    h('div', { class: 'card-head' },
      h('a', { class: 'card-title', href: jobPath(j.name) }, j.name),
      h('span', { class: `badge tone-${b.tone}`, 'data-job-state': j.state }, b.text)),
    h('p', { class: 'card-meta' }, h('span', { class: 'meta-cmd', title: j.cwd }, commandLine(j.command))),
    h('p', { class: 'card-meta' },
      h('span', { class: 'job-ran' }, ran(j)),
      h('span', { class: 'job-log' }, `log ${bytes(j.log.bytes)}`),
      j.adopted ? h('span', {}, 'adopted') : null,
      j.notify ? h('span', {}, 'notifies') : null),
    buttons);
}

function setText(card: HTMLElement, selector: string, text: string): void {
  const el = card.querySelector(selector);
  if (el && el.textContent !== text) el.textContent = text;
}

/** Stop, then "Confirm stop" for a few seconds: one stray tap never ends a job. */
export function stopButton(name: string, stop: (name: string) => void): HTMLButtonElement {
  let armed = 0;
  const b = h('button', { type: 'button', class: 'btn btn-danger-quiet', 'data-action': 'stop' }, 'Stop');
  b.addEventListener('click', () => {
    if (armed) {
      clearTimeout(armed);
      armed = 0;
      b.disabled = true;
      b.textContent = 'Stopping…';
      stop(name);
      return;
    }
    b.textContent = 'Confirm stop';
    b.classList.add('btn-danger');
    armed = window.setTimeout(() => {
      armed = 0;
      b.textContent = 'Stop';
      b.classList.remove('btn-danger');
    }, CONFIRM_MS);
  });
  return b;
}
