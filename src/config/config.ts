/**
 * ~/.config/roost/config.toml: loaded, validated, and reported with the key
 * and line of the first problem. A missing file is an empty config.
 *
 *   silence = 20                  # seconds of no output before "waiting"
 *
 *   [sessions.main]               # a template: `roost` creates main this way
 *   cwd = "~/work"
 *   [[sessions.main.windows]]
 *   name = "claude"
 *   command = "claude"            # a string runs through your shell
 *   [[sessions.main.windows]]
 *   name = "logs"
 *   command = ["journalctl", "-f"]  # an array runs exactly as given
 *   [[sessions.main.windows]]
 *   name = "shell"
 *
 *   [node]                        # `roost node`: sessions on a Slurm allocation
 *   time = "8:00:00"              # request keys here apply to every node session
 *   [node.profiles.gpu]           # `roost node --profile gpu`
 *   partition = "gpu"
 *   gpus = 1
 *
 *   [restore]                     # snapshots and restore (docs/restore.md)
 *   lines = 2000
 *   relaunch = ["btop"]
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import * as z from 'zod';
import { isValidName } from '../shared/names.js';
import { DEFAULT_SILENCE_SECONDS } from '../shared/status.js';
import { parseTimeLimit } from '../shared/slurm-time.js';
import { scheduleSpecSchema, schedulerSettingsSchema } from './schedule-spec.js';

const name = z.string().refine(isValidName, { message: 'use 1-64 letters, digits, "_" or "-", not starting with "-"' });
const command = z.union([z.string().min(1), z.array(z.string()).min(1)]);
const seconds = z.number().int().min(1).max(86_400);

/** 100 MB: a day of a chatty training run, and far from filling a disk. */
export const DEFAULT_JOB_LOG_MAX = 100 * 1000 * 1000;
/** The smallest log cap (bytes), 64 KB: a few screens. */
export const MIN_JOB_LOG_MAX = 64_000;
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** "100MB" (powers of 1000), "64KiB" (of 1024), or a number of bytes; null when it is none of these. */
export function parseByteSize(value: string | number): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return null;
  const n = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(n) ? n : null;
}

const byteSize = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = parseByteSize(v);
  if (n === null || n < MIN_JOB_LOG_MAX) {
    ctx.addIssue({ code: 'custom', message: `a size of at least ${MIN_JOB_LOG_MAX} bytes, e.g. 100MB or 2GB` });
    return z.NEVER;
  }
  return n;
});

const windowSchema = z.strictObject({ name, command: command.optional(), cwd: z.string().optional() });
const sessionSchema = z.strictObject({
  cwd: z.string().optional(),
  silence: seconds.optional(),
  windows: z.array(windowSchema).min(1).optional(),
});

// [node] and [node.profiles.NAME]: what `roost node` asks Slurm for (docs/cluster.md).
const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);
const slurmValue = z.string().min(1).max(256).refine((s) => noControl(s) && !s.startsWith('-'), { message: 'one line, not starting with "-"' });
// In the words a command line's user reads (`roost node --cpus 0`), not the schema library's.
const WHOLE = 'a whole number from 1 to 1000000';
const count = z.number({ error: WHOLE }).int({ error: WHOLE }).min(1, { error: WHOLE }).max(1_000_000, { error: WHOLE });
/** The keys of an allocation request, the same at [node] (for every profile) and in a profile. */
export const nodeRequestFields = {
  partition: slurmValue.optional(),
  account: slurmValue.optional(),
  qos: slurmValue.optional(),
  constraint: slurmValue.optional(),
  time: z.string().refine((v) => parseTimeLimit(v).ok, { message: 'use minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S or UNLIMITED' }).optional(),
  mem: z.string().regex(/^\d+[KMGT]?$/i, { message: 'a size such as 4000 (MB), 512M or 48G' }).optional(),
  cpus: count.optional(),
  gpus: z.union([count, z.string().regex(/^[A-Za-z0-9_.-]+:\d+$/, { message: 'a count, or TYPE:COUNT such as a100:2' })]).optional(),
  /** More salloc options, one per element ("--exclusive", "--gres=gpu:1"). */
  args: z.array(z.string().max(1024).refine((a) => noControl(a) && a.startsWith('-'), { message: 'each element is one option, starting with "-"' })).optional(),
  /** A site's wrapper (sinteractive ...) run instead of salloc + srun: a string is split on spaces, an array runs as given. */
  launcher: command.optional(),
  /** Minutes before the end when a warning goes out. */
  warn_minutes: z.array(z.number().int().min(1).max(43_200)).max(10).optional(),
};
const nodeSchema = z.strictObject({
  ...nodeRequestFields,
  /** The session `roost node` uses without a NAME. */
  name: name.default('node'),
  /** The profile used without --profile. */
  profile: name.optional(),
  /** Seconds between two looks at Slurm's queue (stretched when nothing is about to change). */
  poll_seconds: z.number().int().min(1).max(600).default(30),
  profiles: z.record(name, z.strictObject(nodeRequestFields)).default({}),
}).refine((n) => n.profile === undefined || Object.hasOwn(n.profiles, n.profile), { message: 'names no profile in [node.profiles]', path: ['profile'] });
/** A program as restore rules name it: the basename of its executable ("vim", "python3"). */
const program = z.string().regex(/^[A-Za-z0-9._+-]{1,64}$/, { message: 'a program name (letters, digits, ".", "_", "+", "-")' });
const agentRule = z.strictObject({
  /** Program names that are this agent; default: the agent's own name. */
  programs: z.array(program).min(1).optional(),
  /** argv run when the agent's session id is known; "{id}" is replaced by it. */
  resume: z.array(z.string().min(1)).min(1).refine((a) => a.some((x) => x.includes('{id}')), { message: 'must contain "{id}"' }).optional(),
  /** What happens without a known session id. */
  otherwise: z.enum(['relaunch', 'type', 'none']).optional(),
});
const restoreSchema = z.strictObject({
  /** The daemon restores by itself at start: on a new tmux server every missing session of the latest snapshot; on the same server only when none runs. */
  auto: z.boolean().default(true),
  /** Scrollback lines kept per pane. */
  lines: z.number().int().min(0).max(100_000).default(2000),
  /** Snapshot generations kept, per tmux server. */
  keep: z.number().int().min(2).max(1000).default(20),
  /** Seconds between the daemon's periodic snapshots while output changes. */
  interval: z.number().int().min(10).max(86_400).default(300),
  /** More programs relaunched with their arguments (beside the built-in safe list). */
  relaunch: z.array(program).default([]),
  /** Programs never relaunched, even when built in: typed at the prompt instead. */
  never: z.array(program).default([]),
  agents: z.record(name, agentRule).default({}),
}).prefault({});

export const configSchema = z.strictObject({
  silence: seconds.default(DEFAULT_SILENCE_SECONDS),
  sessions: z.record(name, sessionSchema).default({}),
  server: z.strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(7373),
  }).prefault({}),
  jobs: z.strictObject({
    /** Most bytes of output a job's log keeps (the newest): a number of bytes or "100MB", "2GB", "512KB". */
    log_max: byteSize.default(DEFAULT_JOB_LOG_MAX),
    /** Days a finished job and its log are kept. */
    retention_days: z.number().min(0.001).max(3650).default(14),
    /** Push when a job ends, unless `roost run` says otherwise. */
    notify: z.boolean().default(false),
  }).prefault({}),
  node: nodeSchema.prefault({}),
  restore: restoreSchema,
  /** [schedules.NAME]: scheduled runs (src/config/schedule-spec.ts, docs/schedules.md). */
  schedules: z.record(name, scheduleSpecSchema).default({}),
  schedule: schedulerSettingsSchema,
});

export type Config = z.infer<typeof configSchema>;
export type SessionTemplate = z.infer<typeof sessionSchema>;
export type WindowTemplate = z.infer<typeof windowSchema>;
export type NodeConfig = Config['node'];
export type NodeProfile = NodeConfig['profiles'][string];
export type RestoreConfig = z.infer<typeof restoreSchema>;
export type AgentRuleConfig = z.infer<typeof agentRule>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadOptions {
  /**
   * For a command that runs no schedule: a [schedules.NAME] table that does
   * not check is left out, and told here ("FILE:LINE: key: problem"), rather
   * than the whole file refused. A typo in one schedule must not stop
   * `roost stop` of a runaway job, `roost ls` or `roost restore`; every other
   * table still has to check, since it decides what those commands do.
   */
  skipBadSchedules?: (problem: string) => void;
}

/** Load and validate; throws ConfigError with "FILE:LINE: key: problem". */
export function loadConfig(file: string, o: LoadOptions = {}): Config {
  if (!existsSync(file)) return configSchema.parse({});
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    // The system's words name no file for some errors (EISDIR): say which.
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  return parseConfig(text, file, o);
}

/**
 * config.toml for a process that runs long (the daemon): read and checked
 * again only when the file changed (its inode, size, modification or
 * change time), so callers may ask on every use, an edit applies without a
 * restart, and asking costs one stat. A file that does not load throws the
 * same error at every call until it changes; with `o.keepLastGood`, a file
 * that loaded before and then broke (a typo in an edit: a ConfigError, not a
 * file that cannot be read at all) keeps the last good config instead, and `keepLastGood` hears of the error once per change: a
 * daemon must not stop listing sessions and notifying for a typo in one
 * schedule. The config is shared by every caller: frozen, so that no caller
 * changes it under another.
 */
export function configReader(file: string, o: { keepLastGood?: (error: unknown) => void } = {}): () => Config {
  let stamp: string | null = null;
  let kept: { ok: true; config: Config } | { ok: false; error: unknown } = { ok: false, error: null };
  let good: Config | null = null;
  return () => {
    let now: string;
    try {
      const st = statSync(file, { bigint: true, throwIfNoEntry: false });
      now = st ? `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` : 'none';
    } catch (e) {
      // A folder on the way that cannot be read: loadConfig below says what is wrong; look again next time.
      now = `unreadable:${String(e)}`;
      stamp = null;
    }
    if (now !== stamp) {
      const before = kept;
      try {
        kept = { ok: true, config: deepFreeze(loadConfig(file)) };
        good = kept.config;
      } catch (error) {
        kept = { ok: false, error };
        const again = !before.ok && String(before.error) === String(error);
        if (good && o.keepLastGood && error instanceof ConfigError && !again) o.keepLastGood(error);
      }
      if (!now.startsWith('unreadable:')) stamp = now;
    }
    // A typo keeps the last good config; a file that cannot be read at all is an error for everyone.
    if (!kept.ok && good && o.keepLastGood && kept.error instanceof ConfigError) return good;
    if (!kept.ok) throw kept.error;
    return kept.config;
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function parseConfig(text: string, file = 'config.toml', o: LoadOptions = {}): Config {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (e) {
    if (e instanceof TomlError) throw new ConfigError(`${file}:${e.line}: ${e.message.split('\n')[0]}`);
    throw e;
  }
  let r = configSchema.safeParse(raw);
  if (!r.success && o.skipBadSchedules) {
    const bad = badSchedules(r.error.issues);
    if (bad) {
      const schedules = (raw as { schedules: Record<string, unknown> }).schedules;
      for (const [name, issue] of bad) {
        o.skipBadSchedules(problemOf(issue, text, file));
        delete schedules[name];
      }
      r = configSchema.safeParse(raw);
    }
  }
  if (r.success) return r.data;
  throw new ConfigError(problemOf(r.error.issues[0]!, text, file));
}

/** The schedules the issues are all about, each with its first issue; null when any issue is about something else. */
function badSchedules(issues: readonly z.core.$ZodIssue[]): Map<string, z.core.$ZodIssue> | null {
  const bad = new Map<string, z.core.$ZodIssue>();
  for (const issue of issues) {
    const [table, name] = issue.path;
    if (table !== 'schedules' || typeof name !== 'string') return null;
    if (!bad.has(name)) bad.set(name, issue);
  }
  return bad.size ? bad : null;
}

/** "FILE:LINE: key: problem" for one issue. */
function problemOf(issue: z.core.$ZodIssue, text: string, file: string): string {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  let key = keyName(path);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    key = keyName([...path, issue.keys[0]!]);
    message = 'unknown key';
    path.push(issue.keys[0]!);
  }
  const line = lineOf(text, path);
  return `${file}${line ? `:${line}` : ''}: ${key || '(top level)'}: ${message}`;
}

function keyName(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Best-effort line of a key path in TOML text: table headers and `key =` lines, in order. */
export function lineOf(text: string, path: (string | number)[]): number | null {
  const lines = text.split('\n');
  let from = 0;
  let found: number | null = null;
  const dotted: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (typeof seg === 'number') {
      // The (seg+1)th [[a.b]] header for the array named so far.
      const header = new RegExp(`^\\s*\\[\\[\\s*${escape(dotted.join('.'))}\\s*\\]\\]`);
      let n = -1;
      for (let l = from; l < lines.length; l++) {
        if (header.test(lines[l]!) && ++n === seg) { from = l; found = l + 1; break; }
      }
      continue;
    }
    dotted.push(seg);
    const keyRe = new RegExp(`^\\s*(${escape(seg)}|"${escape(seg)}")\\s*=`);
    const tableRe = new RegExp(`^\\s*\\[{1,2}\\s*${escape(dotted.join('.'))}\\s*\\]`);
    for (let l = from; l < lines.length; l++) {
      if (tableRe.test(lines[l]!) || keyRe.test(lines[l]!)) { from = l; found = l + 1; break; }
    }
  }
  return found;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The silence threshold for a session: its own, else the global one. */
export function silenceFor(config: Config, session: string): number {
  return config.sessions[session]?.silence ?? config.silence;
}

/** Expand a leading ~ in a configured path. */
export function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

/**
 * Does config.toml set top-level table `key` (`[node]`, or only
 * `[node.profiles.gpu]`)? For checks that matter only to users of a
 * feature. False without a file, or with one that does not load (the
 * doctor's config check says why).
 */
export function configHasTable(file: string, key: string): boolean {
  try {
    const raw = parseToml(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return typeof raw[key] === 'object' && raw[key] !== null;
  } catch {
    // No file, or one that does not parse: no table, as far as this question goes.
    return false;
  }
}
