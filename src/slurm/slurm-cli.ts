/**
 * Slurm's own commands, as Roost runs them (through src/process/run.ts,
 * argv arrays, deadlines): squeue for what Slurm says of Roost's jobs (one
 * call for all of them), scancel to release one, scontrol to rename one,
 * and the one-line form of Slurm's error messages. Facts these rely on,
 * measured with 22.05, are in ../shared/reference/slurm.md.
 */
import { runProgram, type RunResult } from '../process/run.js';
import { durationSeconds, parseSlurmDate, parseSlurmDuration } from '../shared/slurm-time.js';

/** squeue and scancel answer in well under a second; one that takes this long (ms) has a controller that is down. */
const QUERY_TIMEOUT_MS = 20_000;

/** What squeue says of one job. */
export interface JobObservation {
  id: string;
  /** PENDING, RUNNING, COMPLETING, TIMEOUT, CANCELLED... */
  state: string;
  /**
   * Why it waits (Priority, Resources...) or why it ended (TimeLimit,
   * NodeDown...); null for "None", and for a wait reason Slurm left on a job
   * that ended (endReason).
   */
  reason: string | null;
  /** Node list, null while pending. */
  nodes: string | null;
  /** Seconds left (%L): the whole limit while pending; null for no limit or past the end (INVALID). */
  timeLeft: number | null;
  /**
   * Running past its time limit: Slurm has not ended it yet (%L INVALID).
   * It refuses new steps ("already completing or completed") and ends the
   * job at its next check, which runs about every 30 s.
   */
  overdue: boolean;
  /** The time limit in seconds (%l); null for none. */
  timeLimit: number | null;
  /** Epoch ms: start (the estimate while pending), end. */
  startAt: number | null;
  endAt: number | null;
  /** The job's name (%j). */
  name: string;
}

/** States a job is alive in: it holds (or waits for) resources. */
const ALIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'SUSPENDED', 'RESIZING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'SIGNALING', 'STAGE_OUT', 'STOPPED']);

export function isAlive(state: string): boolean {
  return ALIVE.has(state);
}

/** A job on its way out: COMPLETING (the final state follows within seconds), or overdue (within about 30 s). */
export function isEnding(j: Pick<JobObservation, 'state' | 'overdue'>): boolean {
  return j.state === 'COMPLETING' || j.overdue;
}

/**
 * The reasons Slurm gives for an end (its FAIL_* reasons). Slurm keeps a
 * job's last reason when it ends without one of its own: a queued job
 * cancelled (Ctrl-C, scancel) still says Resources or Priority, which was
 * why it waited, not why it ended (measured with 22.05:
 * `CANCELLED|Resources`). A running job cancelled says None.
 */
const END_REASONS = new Set([
  'TimeLimit', 'NodeDown', 'PartitionDown', 'BadConstraints', 'SystemFailure', 'JobLaunchFailure', 'NonZeroExitCode', 'RaisedSignal',
  'InactiveLimit', 'InvalidAccount', 'InvalidQOS', 'DependencyNeverSatisfied', 'OutOfMemory', 'DeadLine', 'BurstBufferOperation',
]);

/** The reason squeue gives, as the job's own: for a job that is over, only a reason for its end. */
export function endReason(state: string, reason: string): string | null {
  if (reason === 'None' || reason === '') return null;
  return isAlive(state) || END_REASONS.has(reason) ? reason : null;
}

/**
 * The fields Roost reads, `%j` last: it is the only one a user chooses
 * (a launcher's job), so a separator in it cannot shift the others.
 */
const FORMAT = ['%i', '%T', '%r', '%L', '%l', '%N', '%S', '%e', '%j'].join('\x1f');

export function parseJobLine(line: string): JobObservation | null {
  const f = line.split('\x1f');
  if (f.length < 9 || !/^\d+(_\d+)?$/.test(f[0]!)) return null;
  const [id, state, reason, left, limit, nodes, start, end] = f as [string, string, string, string, string, string, string, string];
  const remaining = parseSlurmDuration(left);
  return {
    id,
    state,
    reason: endReason(state, reason),
    nodes: nodes === '' || nodes === '(null)' ? null : nodes,
    timeLeft: durationSeconds(remaining),
    overdue: state === 'RUNNING' && remaining.kind === 'invalid',
    timeLimit: durationSeconds(parseSlurmDuration(limit)),
    startAt: parseSlurmDate(start),
    endAt: parseSlurmDate(end),
    name: f.slice(8).join('\x1f'),
  };
}

export type QueryResult = { ok: true; jobs: Map<string, JobObservation> } | { ok: false; error: string };

/**
 * What Slurm says of these jobs, in one squeue call (ended ones too, while
 * Slurm still keeps them: MinJobAge). A job missing from the map is gone.
 */
export async function queryJobs(ids: readonly string[], env: NodeJS.ProcessEnv): Promise<QueryResult> {
  const jobs = new Map<string, JobObservation>();
  if (ids.length === 0) return { ok: true, jobs };
  const r = await runProgram(['squeue', '--noheader', '--states=all', `--jobs=${ids.join(',')}`, `--format=${FORMAT}`], { env, timeoutMs: QUERY_TIMEOUT_MS });
  if (!r.ok) {
    // One id Slurm has forgotten is an error ("Invalid job id specified", exit 1); several all forgotten print nothing.
    if (r.kind === 'exit' && /Invalid job id/i.test(r.stderr)) return { ok: true, jobs };
    return { ok: false, error: failure(r) };
  }
  for (const line of r.stdout.split('\n')) {
    const o = parseJobLine(line);
    if (o) jobs.set(o.id, o);
  }
  return { ok: true, jobs };
}

/** The user's jobs, id → name and state (for finding the job a launcher started, and whether it waits in the queue). */
export async function userJobs(env: NodeJS.ProcessEnv): Promise<Map<string, { name: string; state: string }> | null> {
  // %j last: the only field a user chooses, so a separator in it cannot shift the others.
  const r = await runProgram(['squeue', '--noheader', '--me', '--format=%i\x1f%T\x1f%j'], { env, timeoutMs: QUERY_TIMEOUT_MS });
  if (!r.ok) return null;
  const out = new Map<string, { name: string; state: string }>();
  for (const line of r.stdout.split('\n')) {
    const [id, state, ...name] = line.split('\x1f');
    if (id && /^\d+$/.test(id) && state !== undefined) out.set(id, { name: name.join('\x1f'), state });
  }
  return out;
}

/** Release an allocation (scancel). Null when done, else Slurm's message in one line. */
export async function cancelJob(id: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const r = await runProgram(['scancel', id], { env, timeoutMs: QUERY_TIMEOUT_MS });
  return r.ok ? null : failure(r);
}

/**
 * Give a job another name (scontrol update): a user may rename their own
 * job, pending or running (measured with 22.05). Null when done, else
 * Slurm's message in one line.
 */
export async function renameJob(id: string, name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const r = await runProgram(['scontrol', 'update', `JobId=${id}`, `JobName=${name}`], { env, timeoutMs: QUERY_TIMEOUT_MS });
  return r.ok ? null : failure(r);
}

/** Release every job of this user named `name` (a session whose window died before it could say which job it made). */
export async function cancelJobsNamed(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const r = await runProgram(['scancel', '--me', `--name=${name}`], { env, timeoutMs: QUERY_TIMEOUT_MS });
  return r.ok ? null : failure(r);
}

/**
 * Slurm's messages in one line: "salloc: error: " prefixes dropped, lines
 * joined with "; " (a refused partition prints two lines).
 */
export function oneLine(stderr: string): string {
  return stderr
    .split('\n')
    .map((l) => l.trim().replace(/^(salloc|srun|squeue|scancel|sbatch|scontrol): (error: )?/, ''))
    .filter(Boolean)
    .join('; ');
}

/** A failed Slurm command in one line; a missing one says how to get it. */
export function failure(r: Extract<RunResult, { ok: false }>): string {
  const cmd = r.argv[0];
  if (r.kind === 'not-found') return notInstalled(String(cmd));
  return oneLine(r.stderr) || r.message;
}

export function notInstalled(cmd: string): string {
  return `${cmd} not found: install Slurm's client commands (Debian: apt-get install slurm-client) or load your site's Slurm module`;
}
