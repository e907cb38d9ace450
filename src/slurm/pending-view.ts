/**
 * What a node session's window shows while Slurm keeps the request queued,
 * redrawn every second: the job id, state, Slurm's reason (with what it
 * means), the estimated start when Slurm has one, how long it has waited,
 * what was asked for, and Slurm's own last words. The reason and the start
 * come from the poller's file (one squeue for every session), so a window
 * never asks Slurm on its own.
 */
import type { JobObservation } from './slurm-cli.js';
import { shortDuration } from '../shared/slurm-time.js';

/** What Slurm's commonest pending reasons mean, in a few words. */
const REASONS: Record<string, string> = {
  None: 'just queued: Slurm has not looked at it yet',
  Priority: 'jobs with a higher priority go first',
  Resources: 'waiting for the resources it asks for to be free',
  PartitionConfig: 'it asks for more than the partition has (CPUs, memory, GPUs, time): it may never start',
  PartitionTimeLimit: 'its time limit is over the partition\'s',
  PartitionNodeLimit: 'it asks for more nodes than the partition allows',
  QOSMaxJobsPerUser: 'you already run as many jobs as your QOS allows',
  QOSMaxSubmitJobPerUserLimit: 'you have submitted as many jobs as your QOS allows',
  AssocMaxJobsLimit: 'you already run as many jobs as your account allows',
  AssocGrpCpuLimit: 'your account\'s group is at its CPU limit',
  AssocGrpGRES: 'your account\'s group is at its GPU (GRES) limit',
  JobHeldUser: 'held by you (scontrol release JOBID)',
  JobHeldAdmin: 'held by an administrator',
  BeginTime: 'asked to start later',
  Dependency: 'waiting for another job',
  DependencyNeverSatisfied: 'waits for a job that will never end as needed: it will not start',
  ReqNodeNotAvail: 'a node it needs is down, drained or reserved',
  Reservation: 'waiting for its reservation',
  NodeDown: 'a node it needs is down',
};

export function explainReason(reason: string | null): string {
  if (reason === null) return '-';
  const why = REASONS[reason] ?? (reason.startsWith('QOS') || reason.startsWith('Assoc') ? 'a limit of your QOS or account' : '');
  return why ? `${reason}: ${why}` : reason;
}

function clock(ms: number, now: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const hm = `${p(d.getHours())}:${p(d.getMinutes())}`;
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay ? hm : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${hm}`;
}

export interface PendingScreen {
  session: string;
  jobId: string;
  jobName: string;
  submittedAt: number;
  /** Slurm's options as asked. */
  asked: readonly string[];
  /** What squeue said at the poller's last look, if it has looked since. */
  job: JobObservation | undefined;
  /** salloc's last informative line. */
  sallocSays: string | null;
  now: number;
}

/** The line that counts the wait for Slurm's first answer, redrawn in place. */
export function renderAsking(elapsedMs: number): string {
  return `\r\x1b[Kwaiting for Slurm's answer: ${shortDuration(elapsedMs / 1000)}`;
}

/**
 * The screen as text, drawn over the last one in place: cursor home, each
 * line erased to its end, the rest of the screen erased after the last.
 * Never a clear-screen (2J), nor an erase from home: with tmux's
 * scroll-on-clear (3.3) each would push a copy of the screen into the
 * history, one a second for as long as the job is queued.
 */
export function renderPending(s: PendingScreen): string {
  const state = s.job?.state ?? 'PENDING';
  const start = s.job?.startAt;
  const lines = [
    `roost node ${s.session}: waiting for Slurm to grant the allocation`,
    '',
    `  job          ${s.jobId} (${s.jobName})`,
    `  state        ${state}`,
    `  reason       ${s.job ? explainReason(s.job.reason) : 'not known yet (Roost looks at the queue shortly)'}`,
    `  queued for   ${shortDuration((s.now - s.submittedAt) / 1000)}`,
    `  est. start   ${start != null && start > s.now ? `${clock(start, s.now)} (in about ${shortDuration((start - s.now) / 1000)})` : 'not known'}`,
    `  asked for    ${s.asked.join(' ')}`,
    ...(s.sallocSays ? ['', `  Slurm says: ${s.sallocSays}`] : []),
    '',
    'Ctrl-C cancels the request. Detach (Ctrl-b d) and it waits on; roost node ls shows it.',
  ];
  return `\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\r\n')}\r\n\x1b[J`;
}
