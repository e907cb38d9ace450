/**
 * What a node session asks Slurm for: [node] in config.toml, then the
 * profile ([node.profiles.NAME], --profile or [node] profile), then the
 * command-line flags, each overriding the one before; checked by the same
 * rules as the config file (src/config/config.ts), so a bad --time reads
 * like a bad `time =`. And the salloc and srun command lines made from it.
 */
import * as z from 'zod';
import { nodeRequestFields, type NodeConfig } from '../config/config.js';
import { parseTimeLimit } from '../shared/slurm-time.js';

export interface NodeRequest {
  profile: string | null;
  partition: string | null;
  account: string | null;
  qos: string | null;
  constraint: string | null;
  time: string | null;
  mem: string | null;
  cpus: number | null;
  gpus: string | null;
  /** More salloc options, as given. */
  args: string[];
  /** A site's wrapper to run instead of salloc + srun (argv). */
  launcher: string[] | null;
  /** Minutes before the end when a warning goes out. */
  warnMinutes: number[];
}

/** Flags of `roost node`, as typed. */
export interface RequestFlags {
  profile?: string | undefined;
  partition?: string | undefined;
  account?: string | undefined;
  qos?: string | undefined;
  constraint?: string | undefined;
  time?: string | undefined;
  mem?: string | undefined;
  cpus?: string | undefined;
  gpus?: string | undefined;
  slurmArgs?: readonly string[] | undefined;
  launcher?: string | undefined;
}

export const DEFAULT_WARN_MINUTES: readonly number[] = [30, 5];

/** A request that cannot be made: one line for the user. */
export class RequestError extends Error {
  override name = 'RequestError';
}

const flagSchema = z.strictObject(nodeRequestFields);
/** Config key → the flag that sets it, for error messages. */
const FLAG_OF: Record<string, string> = { args: '--slurm-arg', warn_minutes: 'warn_minutes' };

const splitWords = (c: string | string[]): string[] => (typeof c === 'string' ? c.trim().split(/\s+/).filter(Boolean) : [...c]);
const numberOrText = (v: string | undefined): number | string | undefined => (v !== undefined && /^\d+$/.test(v) ? Number(v) : v);

/** The request for a new node session; throws RequestError for an unknown profile or a bad flag. */
export function resolveRequest(config: NodeConfig, flags: RequestFlags): NodeRequest {
  const profileName = flags.profile ?? config.profile ?? null;
  const profile = profileName === null ? {} : config.profiles[profileName];
  if (!profile) {
    const known = Object.keys(config.profiles);
    throw new RequestError(`unknown profile "${profileName}" (${known.length ? `config.toml has ${known.join(', ')}` : 'config.toml has no [node.profiles]'})`);
  }
  const typed = Object.fromEntries(Object.entries({
    partition: flags.partition, account: flags.account, qos: flags.qos, constraint: flags.constraint, time: flags.time, mem: flags.mem,
    cpus: numberOrText(flags.cpus), gpus: numberOrText(flags.gpus), args: flags.slurmArgs?.length ? [...flags.slurmArgs] : undefined, launcher: flags.launcher,
  }).filter(([, v]) => v !== undefined));
  const checked = flagSchema.safeParse(typed);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const flag = FLAG_OF[key] ?? `--${key}`;
    const value = typed[key];
    throw new RequestError(`${flag}${typeof value === 'string' ? ` ${JSON.stringify(value)}` : ''}: ${issue.message}`);
  }
  const f = checked.data;
  const pick = <K extends keyof typeof f>(k: K) => f[k] ?? profile[k] ?? config[k];
  const time = pick('time');
  const gpus = pick('gpus');
  const launcher = pick('launcher');
  return {
    profile: profileName,
    partition: pick('partition') ?? null,
    account: pick('account') ?? null,
    qos: pick('qos') ?? null,
    constraint: pick('constraint') ?? null,
    time: time === undefined ? null : (parseTimeLimit(time) as { text: string }).text,
    mem: pick('mem') ?? null,
    cpus: pick('cpus') ?? null,
    gpus: gpus === undefined ? null : String(gpus),
    // Extra options add up: the config's, the profile's, then the command line's.
    args: [...(config.args ?? []), ...(profileName !== null ? profile.args ?? [] : []), ...(f.args ?? [])],
    launcher: launcher === undefined ? null : splitWords(launcher),
    warnMinutes: [...(profile.warn_minutes ?? config.warn_minutes ?? DEFAULT_WARN_MINUTES)].sort((a, b) => b - a),
  };
}

/** Slurm's options for the request, as `--key=value` words (a value can never be read as another option). */
export function requestOptions(r: NodeRequest): string[] {
  const o: string[] = ['--nodes=1'];
  if (r.time !== null) o.push(`--time=${r.time}`);
  if (r.cpus !== null) o.push(`--cpus-per-task=${r.cpus}`);
  if (r.mem !== null) o.push(`--mem=${r.mem}`);
  if (r.gpus !== null) o.push(`--gpus=${r.gpus}`);
  if (r.partition !== null) o.push(`--partition=${r.partition}`);
  if (r.account !== null) o.push(`--account=${r.account}`);
  if (r.qos !== null) o.push(`--qos=${r.qos}`);
  if (r.constraint !== null) o.push(`--constraint=${r.constraint}`);
  return [...o, ...r.args];
}

const JOB_NAME_PREFIX = 'roost-';

/** Slurm's job name for a node session: squeue shows it, and a launcher's job is found by it. */
export const jobName = (session: string): string => `${JOB_NAME_PREFIX}${session}`;

/** A job name Roost gave (jobName), as opposed to one a site's launcher chose. */
export const isRoostJobName = (name: string): boolean => name.startsWith(JOB_NAME_PREFIX);

/**
 * salloc that makes an allocation belonging to the session, not to a shell:
 * it returns once granted (blocking while pending) and prints the job id on
 * stderr only.
 */
export function sallocArgv(session: string, r: NodeRequest): [string, ...string[]] {
  return ['salloc', '--no-shell', `--job-name=${jobName(session)}`, ...requestOptions(r)];
}

/**
 * One shell (or command) on the allocated node, as a step of the job that
 * shares its resources (--overlap). One task: --pty keeps only task 0's
 * output, and extra tasks make shells exit.
 */
export function srunArgv(jobId: string, command: readonly string[]): [string, ...string[]] {
  return ['srun', `--jobid=${jobId}`, '--overlap', '--nodes=1', '--ntasks=1', '--pty', ...command];
}
