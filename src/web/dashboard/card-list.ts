/**
 * The dashboard's cards, one per session (card.ts), those wanting attention
 * first. A card is rebuilt only when what it shows changes, so an unchanged
 * card stays put (and keeps its focus); "last output N s ago" and a node
 * session's "queued 2m" / "1h12m left" tick every second from what each card
 * carries.
 */
import type { NodeAllocation, SessionInfo } from '../../shared/api.js';
import { h } from '../dom.js';
import { sessionCard, type CardActions } from './card.js';
import { ago, sortSessions } from './format.js';
import { allocationSummary } from '../../shared/node-status.js';

/**
 * What changes with every look and is shown by tick(), not by rebuilding the
 * card: output times, and Slurm's look time, time left and the end derived
 * from them (polledAt + timeLeft, which moves by up to a second per look).
 */
const TICKED = new Set(['activity', 'polledAt', 'timeLeft', 'endAt']);

/** How often (ms) "last output N s ago" is rewritten. */
const TICK_MS = 1000;

export interface CardList {
  readonly el: HTMLElement;
  /** `actions` null: a read-only viewer, no buttons that change anything. */
  show(list: readonly SessionInfo[], actions: CardActions | null): void;
  dispose(): void;
}

export function createCardList(win: Window): CardList {
  const el = h('div', { class: 'cards', 'aria-live': 'polite' });
  /** Cards by session id, with what they were built from. */
  const built = new Map<string, { json: string; el: HTMLElement }>();

  const tick = () => {
    const now = Date.now();
    for (const x of el.querySelectorAll<HTMLElement>('[data-activity]')) {
      x.textContent = `last output ${ago(now / 1000 - Number(x.dataset['activity']))}`;
    }
    for (const x of el.querySelectorAll<HTMLElement>('[data-node]')) {
      x.textContent = allocationSummary(JSON.parse(x.dataset['node']!) as NodeAllocation, now);
    }
  };
  const ticker = win.setInterval(tick, TICK_MS);

  return {
    el,
    show(list, actions) {
      const keep = new Set<string>();
      sortSessions(list).forEach((s, i) => {
        // Output times change every second while anything prints, and a node session's look at Slurm with
        // every poll; tick() shows them from data-activity and data-node, so they are left out of the
        // comparison and a card is rebuilt only when what it shows changes (a tap never lands on a card
        // replaced between touch and click).
        const json = JSON.stringify([s, actions !== null], (k, v: unknown) => (TICKED.has(k) ? undefined : v));
        let entry = built.get(s.id);
        if (!entry || entry.json !== json) {
          const card = sessionCard(s, actions);
          if (entry) entry.el.replaceWith(card);
          entry = { json, el: card };
          built.set(s.id, entry);
        } else {
          entry.el.querySelector('[data-activity]')?.setAttribute('data-activity', String(s.activity));
          if (s.node) entry.el.querySelector('[data-node]')?.setAttribute('data-node', JSON.stringify(s.node));
        }
        keep.add(s.id);
        const at = el.children[i];
        if (at !== entry.el) el.insertBefore(entry.el, at ?? null);
      });
      for (const [id, entry] of built) {
        if (!keep.has(id)) {
          entry.el.remove();
          built.delete(id);
        }
      }
      tick();
    },
    dispose() {
      win.clearInterval(ticker);
    },
  };
}
