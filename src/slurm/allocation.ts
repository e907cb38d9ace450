/**
 * A node session's allocation as one value (NodeAllocation, src/shared/api.ts)
 * from what its windows recorded (records.ts) and what squeue said at the
 * last look (slurm-cli.ts): what `roost ls`, `roost node ls`, the status
 * line, the dashboard and the notifications all read.
 *
 * What wins: a refusal, then an end the windows saw (they read Slurm's final
 * state the moment the step ends, before Slurm forgets the job), then
 * squeue, then the windows' own phase.
 */
import type { NodeAllocation } from '../shared/api.js';
import type { NodeRecord } from './records.js';
import type { JobObservation } from './slurm-cli.js';

export interface Look {
  /** What squeue said of the record's job, if it listed it. */
  job: JobObservation | undefined;
  /** squeue was asked about the job and did not list it: Slurm has forgotten it. */
  gone: boolean;
  /** Epoch ms of that look; null when Slurm was not asked. */
  polledAt: number | null;
}

const PHASE_STATE: Record<NodeRecord['phase'], string> = {
  requesting: 'REQUESTING', queued: 'PENDING', running: 'RUNNING', launched: 'REQUESTING', failed: 'REFUSED', ended: 'ENDED',
};

export function allocationOf(r: NodeRecord, look: Look): NodeAllocation {
  const base: NodeAllocation = {
    jobId: r.jobId, state: PHASE_STATE[r.phase], reason: null, nodes: null, timeLeft: null, timeLimit: null,
    endAt: null, startAt: null, submittedAt: r.submittedAt, host: r.host, polledAt: look.polledAt,
  };
  const j = look.job;
  if (j) {
    Object.assign(base, { state: j.state, reason: j.reason, nodes: j.nodes, timeLeft: j.timeLeft, timeLimit: j.timeLimit, startAt: j.startAt });
    // The end from time left at the look: squeue's %e is the controller's local time, which need not be ours.
    base.endAt = j.state === 'RUNNING' && j.timeLeft !== null && look.polledAt !== null ? look.polledAt + j.timeLeft * 1000 : null;
  }
  if (r.phase === 'failed') return { ...base, state: 'REFUSED', reason: r.error, timeLeft: null, endAt: null };
  if (r.ended) return { ...base, state: r.ended.state, reason: r.ended.reason, timeLeft: null, endAt: null };
  if (!j && look.gone && r.jobId) return { ...base, state: 'ENDED' };
  if (!j && r.phase === 'launched' && r.jobNotFound) return { ...base, state: 'UNKNOWN' };
  return base;
}
