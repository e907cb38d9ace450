/**
 * What an owner does to a schedule from the dashboard, shared by the list
 * (/schedules) and a schedule's page: Run now, whose outcome stays in a note
 * under it (started with a link to its log; skipped with the reason, and
 * for a guard's skip "Run anyway", which bypasses the guards; refused with
 * why), and Pause/Resume. Read-only logins never get these (the API refuses
 * anyway).
 */
import type { RunInfo } from '../../shared/schedules.js';
import type { Api } from '../api.js';
import { h, icon, replaceChildren } from '../dom.js';
import { jobPath } from '../router.js';

/** Line icons (SVG path data) of the schedules' actions and links. */
export const ICON = {
  clock: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 7v5l3 2',
  run: 'M7 5l12 7-12 7z',
  pause: 'M8 5v14M16 5v14',
  // Resume is not Run now (a paused card shows both): play beside pause's bars, a player's play/pause.
  resume: 'M3 5l9 7-9 7zM16 5v14M21 5v14',
  log: 'M4 6h16M4 12h16M4 18h10',
  chat: 'M4 5h16v11H9l-5 4z',
};

/** An icon and its word: on a phone the word hides in a card's actions (style.css), the aria-label stays. */
export function labelled(d: string, text: string): [SVGSVGElement, HTMLElement] {
  return [icon(d), h('span', { class: 'btn-text' }, text)];
}

export interface RunNote {
  /** The note under the schedule: empty until Run now says something. */
  el: HTMLElement;
  run(force: boolean): Promise<void>;
}

/** Run now's note for schedule `name`; `changed` refreshes the page once a run was asked for. */
export function runNote(api: Api, name: string, changed: () => void): RunNote {
  const el = h('div', { class: 'sched-note', role: 'status', 'data-note': '' });
  const say = (kind: string, ...parts: (Node | string | null)[]) => {
    el.dataset['note'] = kind;
    if (!kind) return replaceChildren(el);
    replaceChildren(el, h('span', { class: 'sched-note-text' }, ...parts),
      h('button', { type: 'button', class: 'btn btn-small sched-note-close', 'aria-label': 'Dismiss', onclick: () => say('') }, '×'));
  };
  const shown = async (r: RunInfo) => {
    if (r.outcome === 'skipped') {
      // --force passes the guards, never the overlap rule: while a run of the schedule is alive a forced run is
      // one more identical skip. The run's record does not say which rule skipped it, the schedule says whether
      // a run is alive (overlap is checked first, so a guard's skip means none was).
      const alive = await api.schedule(name).then((s) => s.running, () => null);
      say('skipped', `Skipped: ${r.reason ?? 'a guard stopped it'}. `, alive === null
        ? h('button', { type: 'button', class: 'btn btn-small', 'data-action': 'force', onclick: () => void note.run(true) }, 'Run anyway')
        : h('a', { class: 'btn btn-small', href: jobPath(alive), 'data-action': 'running-log' }, `Log of ${alive}`));
    } else if (r.outcome === 'failed') {
      say('failed', `Could not start: ${r.reason ?? 'no reason given'}`);
    } else {
      say('started', r.forced ? 'Started, guards bypassed. ' : 'Started. ',
        r.job ? h('a', { class: 'btn btn-small', href: jobPath(r.job), 'data-action': 'log' }, 'Log') : null);
    }
  };
  const note: RunNote = {
    el,
    async run(force) {
      say('asking', force ? 'Starting, guards bypassed…' : 'Starting…');
      try {
        await shown(await api.runSchedule(name, force));
      } catch (e) {
        say('refused', `Could not run ${name}: ${(e as Error).message}`);
      }
      changed();
    },
  };
  return note;
}

/** "Run now": its outcome goes to `note`. */
export function runButton(name: string, note: RunNote, small = false): HTMLButtonElement {
  return h('button', { type: 'button', class: `btn${small ? ' btn-small' : ''}`, 'data-action': 'run', 'aria-label': `Run ${name} now`, onclick: () => void note.run(false) },
    ...labelled(ICON.run, 'Run now'));
}

/** Pause or Resume, as the schedule is now; `changed` refreshes once the daemon answered, `failed` says why not. */
export function pauseButton(api: Api, name: string, paused: boolean, changed: () => void, failed: (e: Error) => void, small = false): HTMLButtonElement {
  const word = paused ? 'Resume' : 'Pause';
  const b = h('button', { type: 'button', class: `btn${small ? ' btn-small' : ''}`, 'data-action': paused ? 'resume' : 'pause', 'aria-label': `${word} ${name}` },
    ...labelled(paused ? ICON.resume : ICON.pause, word));
  b.addEventListener('click', () => {
    b.disabled = true;
    api.setSchedulePaused(name, !paused).then(changed, (e: Error) => {
      b.disabled = false;
      failed(e);
    });
  });
  return b;
}
