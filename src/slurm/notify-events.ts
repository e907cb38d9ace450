/**
 * Node sessions as notify sees them: what the poller noticed about an
 * allocation, as notify's neutral event (src/notify/event.ts), with the
 * words the notification says. Built from the allocation alone, never from
 * the terminal.
 *
 *   node-granted    the allocation started after it was queued
 *   node-expiring   N minutes (warn_minutes) or less are left
 *   node-ended      the allocation is over: Slurm's state and reason
 *   node-fallback   the shell on the node ended while the allocation
 *                   lives: the window is back on the login node
 *
 * One dedupe thread per session and job ("NAME:JOB"), keyed by what
 * happened, so each is told once; the poller keeps the keys it told in its
 * file, so a restart does not tell them again.
 */
import type { NotifyEvent, Severity } from '../notify/event.js';
import type { NodeAllocation } from '../shared/api.js';
import { shortDuration } from '../shared/slurm-time.js';

export const SLURM_SOURCE = 'slurm';

export const SLURM_KINDS = ['node-granted', 'node-expiring', 'node-ended', 'node-fallback'] as const;
export type SlurmKind = (typeof SLURM_KINDS)[number];

export interface NodeNews {
  kind: SlurmKind;
  session: string;
  allocation: NodeAllocation;
  /** node-expiring: the threshold crossed (minutes); node-fallback: how many times so far. */
  n?: number;
  /** node-expiring: seconds left at the look. */
  left?: number | null;
  at: number;
}

const ICON: Record<SlurmKind, string> = {
  'node-granted': 'rocket',
  'node-expiring': 'hourglass_flowing_sand',
  'node-ended': 'checkered_flag',
  'node-fallback': 'leftwards_arrow_with_hook',
};

function severity(n: NodeNews): Severity {
  if (n.kind === 'node-expiring') return (n.n ?? 0) <= 5 ? 'urgent' : 'attention';
  return n.kind === 'node-fallback' ? 'info' : 'attention';
}

function words(n: NodeNews): { title: string; body: string } {
  const a = n.allocation;
  const job = a.jobId ? `job ${a.jobId}` : 'the allocation';
  const on = a.nodes ? ` on ${a.nodes}` : '';
  switch (n.kind) {
    case 'node-granted':
      return { title: `${n.session}: allocation granted`, body: `Slurm started ${job}${on}.` };
    case 'node-expiring': {
      const left = n.left === null || n.left === undefined ? `${n.n} min` : shortDuration(n.left);
      return { title: `${n.session}: allocation ends in ${left}`, body: `${job}${on} reaches its time limit in ${left}. Save your work.` };
    }
    case 'node-ended':
      return { title: `${n.session}: allocation ended (${a.state})`, body: `${job} ended: ${a.state}${a.reason ? ` (${a.reason})` : ''}. The session is back on the login node.` };
    case 'node-fallback':
      return { title: `${n.session}: shell on the node ended`, body: `A window is back on the login node; ${job} still runs (roost node ${n.session} --window).` };
  }
}

/** The dedupe key of a piece of news: told once per job. */
export function newsKey(n: Pick<NodeNews, 'kind' | 'n'>): string {
  return n.kind === 'node-expiring' || n.kind === 'node-fallback' ? `${n.kind}-${n.n}` : n.kind;
}

export function notifyEventFor(n: NodeNews): NotifyEvent {
  const { title, body } = words(n);
  return {
    source: SLURM_SOURCE,
    kind: n.kind,
    severity: severity(n),
    subject: { id: `slurm:${n.session}`, session: n.session, window: null, link: `/s/${encodeURIComponent(n.session)}` },
    title,
    body,
    icon: ICON[n.kind],
    at: n.at,
    dedupe: { thread: `${n.session}:${n.allocation.jobId ?? '-'}`, key: newsKey(n) },
    baseline: false,
  };
}
