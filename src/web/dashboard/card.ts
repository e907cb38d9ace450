/**
 * One session as a card: name (a link to its terminal), its windows with
 * status badges, the current command, devices attached, time since the last
 * output, and the actions an owner may take. Text only, never markup.
 */
import type { SessionInfo, WindowInfo } from '../../shared/api.js';
import { h, icon } from '../dom.js';
import { terminalPath } from '../router.js';
import { agentLabel, attentionRank, statusLabel } from '../window-status.js';
import { allocationSummary } from '../../shared/node-status.js';
import { activeWindow, devices, headlineWindow } from './format.js';

/** Line icons (SVG path data) of the card's actions. */
const ICON = {
  open: 'M9 5l7 7-7 7',
  rename: 'M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4',
  kill: 'M6 6l12 12M18 6L6 18',
};

export interface CardActions {
  rename(name: string): void;
  kill(name: string): void;
}

function badge(w: WindowInfo): HTMLElement {
  const st = statusLabel(w);
  return h('span', { class: `badge tone-${st.tone}`, 'data-status': w.status }, st.text);
}

/** idle/done from an agent hook, beside the status badge (needs-permission already is the status badge). */
function agentBadge(w: WindowInfo): HTMLElement | null {
  const ag = agentLabel(w);
  if (!ag || w.agent === 'needs-permission') return null;
  return h('span', { class: `badge badge-agent tone-${ag.tone}`, 'data-agent': w.agent ?? '' }, ag.text);
}

function windowRow(s: SessionInfo, w: WindowInfo): HTMLElement {
  return h('li', {},
    h('a', { class: 'win', href: terminalPath(s.name, w.index), 'data-window': String(w.index) },
      h('span', { class: 'win-index' }, String(w.index)),
      h('span', { class: 'win-name', title: w.name }, w.name),
      // tmux names a window after its command unless renamed: say it once.
      h('span', { class: 'win-cmd' }, w.command === w.name ? '' : w.command),
      badge(w), agentBadge(w)));
}

/** What a session is for when it is not a plain one ("job", "node"), as a quiet tag beside its name. */
function kindTag(s: SessionInfo): HTMLElement | null {
  return s.kind && s.kind !== 'plain' ? h('span', { class: 'badge badge-kind', 'data-kind': s.kind }, s.kind) : null;
}

/** A session Roost brought back from a snapshot, until someone opens it. */
function restoredBadge(s: SessionInfo): HTMLElement | null {
  if (s.restored === undefined) return null;
  return h('span', { class: 'badge badge-restored', 'data-restored': String(s.restored), title: 'Restored from a snapshot after a restart; the mark goes once the session is opened' }, 'restored');
}

/** `actions` null: a read-only viewer, no buttons that change anything. */
export function sessionCard(s: SessionInfo, actions: CardActions | null): HTMLElement {
  const main = activeWindow(s);
  const headline = headlineWindow(s);
  const rank = attentionRank(s);
  const head = h('div', { class: 'card-head' },
    h('a', { class: 'card-title', href: terminalPath(s.name), title: s.name }, s.name),
    kindTag(s),
    restoredBadge(s),
    headline ? badge(headline) : null);
  const meta = h('p', { class: 'card-meta' },
    main ? h('span', { class: 'meta-cmd', title: 'Current command' }, main.command) : null,
    h('span', { class: 'meta-devices' }, devices(s.attached)),
    h('span', { class: 'meta-ago', 'data-activity': String(s.activity) }));
  // On a phone the actions sit beside the name as icons (style.css); the words stay for wider screens and screen readers.
  const label = (d: string, text: string) => [icon(d), h('span', { class: 'btn-text' }, text)];
  const open = (text: string) => h('a', { class: 'btn btn-primary', href: terminalPath(s.name), 'aria-label': `${text} ${s.name}` }, ...label(ICON.open, text));
  // A node session's Slurm allocation (roost node): queued and why, or where it runs and for how long.
  const node = s.node
    ? h('p', { class: 'card-node', 'data-node-state': s.node.state, 'data-node': JSON.stringify(s.node), title: `Slurm allocation${s.node.jobId ? ` (job ${s.node.jobId})` : ''}` }, allocationSummary(s.node, Date.now()))
    : null;
  const buttons = actions
    ? h('div', { class: 'card-actions' },
      open('Open'),
      h('button', { type: 'button', class: 'btn', 'aria-label': `Rename ${s.name}`, onclick: () => actions.rename(s.name) }, ...label(ICON.rename, 'Rename')),
      h('button', { type: 'button', class: 'btn btn-danger-quiet', 'aria-label': `Kill ${s.name}`, onclick: () => actions.kill(s.name) }, ...label(ICON.kill, 'Kill')))
    : h('div', { class: 'card-actions' }, open('Watch'));
  return h('article', { class: `card rank-${rank}`, 'data-session': s.name, 'aria-label': `Session ${s.name}` },
    head, meta, node, h('ul', { class: 'win-list' }, ...s.windows.map((w) => windowRow(s, w))), buttons);
}
