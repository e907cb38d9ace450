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
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { z } from 'zod';
import { isValidName } from '../shared/names.js';
import { DEFAULT_SILENCE_SECONDS } from '../shared/status.js';

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
});

export type Config = z.infer<typeof configSchema>;
export type SessionTemplate = z.infer<typeof sessionSchema>;
export type WindowTemplate = z.infer<typeof windowSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Load and validate; throws ConfigError with "FILE:LINE: key: problem". */
export function loadConfig(file: string): Config {
  if (!existsSync(file)) return configSchema.parse({});
  return parseConfig(readFileSync(file, 'utf8'), file);
}

export function parseConfig(text: string, file = 'config.toml'): Config {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (e) {
    if (e instanceof TomlError) throw new ConfigError(`${file}:${e.line}: ${e.message.split('\n')[0]}`);
    throw e;
  }
  const r = configSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  let key = keyName(path);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    key = keyName([...path, issue.keys[0]!]);
    message = 'unknown key';
    path.push(issue.keys[0]!);
  }
  const line = lineOf(text, path);
  throw new ConfigError(`${file}${line ? `:${line}` : ''}: ${key || '(top level)'}: ${message}`);
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
