/**
 * What a schedule is, checked in one place for `roost schedule add`, the
 * HTTP API and config.toml's `[schedules.NAME]`: one zod schema, so the
 * three agree on every key and every error. Cron expressions and time zones
 * are croner's (five fields, or six with seconds; @hourly-style nicknames);
 * an invalid one is refused with croner's reason, told in the user's terms
 * (fieldProblem). Guards are strings
 * (`busy:claude@main`, `present:main`, `load:2`, `lock:NAME`, `none`),
 * parsed here into values the scheduler checks.
 *
 *   [schedules.nightly]
 *   cron = "0 3 * * *"
 *   tz = "Europe/Paris"
 *   cwd = "~/work/app"
 *   command = ["claude", "-p", "review the open PRs", "--output-format", "json"]
 *   guards = ["present:main"]
 *   timeout = "1h"
 */
import { Cron } from 'croner';
import * as z from 'zod';
import { isValidName } from '../shared/names.js';
import { CATCH_UP_POLICIES, NOTIFY_POLICIES, OVERLAP_POLICIES } from '../shared/schedules.js';

/** A guard, parsed. */
export type Guard =
  | { kind: 'none' }
  | { kind: 'busy'; program: string; session: string | null }
  | { kind: 'present'; session: string | null }
  | { kind: 'load'; max: number }
  | { kind: 'lock'; name: string };

const PROGRAM_RE = /^[A-Za-z0-9._+-]{1,64}$/;
const ENV_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A guard string as a Guard, or the reason it is not one. */
export function parseGuard(text: string): Guard | string {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const arg = colon < 0 ? null : text.slice(colon + 1);
  switch (kind) {
    case 'none':
      return arg === null ? { kind: 'none' } : '"none" takes no argument';
    case 'busy': {
      if (arg === null || arg === '') return 'busy needs a program: busy:PROGRAM[@SESSION], e.g. busy:claude@main';
      const at = arg.indexOf('@');
      const program = at < 0 ? arg : arg.slice(0, at);
      const session = at < 0 ? null : arg.slice(at + 1);
      if (!PROGRAM_RE.test(program)) return `invalid program name ${JSON.stringify(program)} (letters, digits, ".", "_", "+", "-")`;
      if (session !== null && !isValidName(session)) return `invalid session name ${JSON.stringify(session)}`;
      return { kind: 'busy', program, session };
    }
    case 'present':
      if (arg === null) return { kind: 'present', session: null };
      return isValidName(arg) ? { kind: 'present', session: arg } : `invalid session name ${JSON.stringify(arg)}`;
    case 'load': {
      const max = arg !== null && /^\d+(\.\d+)?$/.test(arg) ? Number(arg) : NaN;
      return Number.isFinite(max) && max > 0 ? { kind: 'load', max } : 'load needs a positive number: load:X, e.g. load:2.5';
    }
    case 'lock':
      return arg !== null && isValidName(arg) ? { kind: 'lock', name: arg } : 'lock needs a name: lock:NAME (letters, digits, "_", "-")';
    default:
      return `unknown guard ${JSON.stringify(text)}: use busy:PROGRAM[@SESSION], present[:SESSION], load:X, lock:NAME or none`;
  }
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** Longest timeout: a week. */
export const MAX_TIMEOUT_MS = 7 * 86_400_000;

/** "90s", "30m", "1h30m", "2h", "1d", or a number of seconds, in ms; null when it is none of these. */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  return pos === t.length && pos > 0 ? Math.round(total) : null;
}

/** The nicknames croner takes and Roost runs (docs name the first five; @reboot, which croner refuses, is no time). */
const NICKNAMES = /^@(hourly|daily|weekly|monthly|yearly|annually|midnight)$/i;

const EMPTY_CRON = 'give a cron expression, e.g. "0 3 * * *" (every day at 3:00)';

/** Why a cron expression (with its zone) is refused, or null when croner takes it. */
export function cronProblem(cron: string, tz: string | undefined): string | null {
  const t = cron.trim();
  if (t === '') return EMPTY_CRON;
  // Roost's own words for what it documents: croner's would speak of "five, six, or seven parts".
  if (t.startsWith('@') && !NICKNAMES.test(t)) {
    return `${JSON.stringify(t)} is not a cron expression: use 5 fields (minute hour day month weekday; every 5 minutes is "*/5 * * * *"), 6 with seconds first, or @hourly, @daily, @weekly, @monthly, @yearly`;
  }
  if (!t.startsWith('@')) {
    const n = t.split(/\s+/).length;
    if (n !== 5 && n !== 6) return `a cron expression has 5 fields (minute hour day month weekday), or 6 with seconds first; got ${n}`;
  }
  try {
    // Paused and without a function: croner only parses, and nextRun checks the zone.
    if (new Cron(t, { timezone: tz, paused: true }).nextRun() === null) return 'it never fires: no date matches it (a 30 February, say)';
    return null;
  } catch (e) {
    // croner nests the runtime's reason ("Original error: Invalid time zone specified: X"): the innermost says it best.
    const m = (e as Error).message.split('\n')[0]!;
    const inner = m.lastIndexOf('Original error: ');
    return inner < 0 ? fieldProblem(t, m) ?? m.replace(/^CronPattern: /, '') : m.slice(inner + 'Original error: '.length);
  }
}

/** A cron field's name and what it takes, by croner's name for it (its errors name fields so). */
const FIELDS: Record<string, { name: string; takes: string }> = {
  second: { name: 'second', takes: '0-59' },
  minute: { name: 'minute', takes: '0-59' },
  hour: { name: 'hour', takes: '0-23' },
  day: { name: 'day of month', takes: '1-31' },
  month: { name: 'month', takes: '1-12 or JAN-DEC' },
  dayOfWeek: { name: 'day of week', takes: '0-7 (0 and 7 are Sunday) or SUN-SAT' },
};
/** croner's fields in its order (seconds first, as in its "configuration entry N"). */
const CRONER_ORDER = ['second', 'minute', 'hour', 'day', 'month', 'dayOfWeek'];

/**
 * croner's complaint about one field, in the user's terms: croner counts
 * months and days from 0 and names weekdays by number by then, so its
 * "Invalid value for month: 12" is the user's 13, and "entry 5 (1-FOO)" is
 * their MON-FOO. The field as the user wrote it, and what it takes; null
 * for any other complaint.
 */
function fieldProblem(cron: string, message: string): string | null {
  const parts = cron.split(/\s+/);
  const field = (key: string | undefined): string | null => {
    const i = key === undefined ? -1 : CRONER_ORDER.indexOf(key) - (parts.length === 5 ? 1 : 0);
    const f = FIELDS[key ?? ''];
    return f && i >= 0 && i < parts.length ? `the ${f.name} field ${JSON.stringify(parts[i])}` : null;
  };
  const range = /Invalid value for (\w+):/.exec(message);
  if (range) {
    const what = field(range[1]);
    return what && `${what} is out of range: it takes ${FIELDS[range[1]!]!.takes}`;
  }
  const chars = /configuration entry (\d+) \(/.exec(message);
  if (chars) {
    const key = CRONER_ORDER[Number(chars[1])];
    const what = field(key);
    return what && `${what} is not a cron field: it takes ${FIELDS[key!]!.takes}, *, lists (1,5), ranges (1-5) and steps (*/15)`;
  }
  return null;
}

/**
 * A zone as the user named it, in the case Intl spells it ("europe/paris" is Europe/Paris; zone names match
 * case-insensitively). Only the case: Intl resolves a current name to ICU's older link (Asia/Kolkata to
 * Asia/Calcutta, Europe/Kyiv to Europe/Kiev), and the name the user typed stays. One Intl refuses stays as
 * given (cronProblem says why).
 */
export function canonicalZone(tz: string): string {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === tz.toLowerCase() ? resolved : tz;
  } catch {
    return tz;
  }
}

/** The next `n` run times (epoch ms) after `after`. */
export function nextRuns(cron: string, tz: string | null | undefined, after: number, n: number): number[] {
  return new Cron(cron.trim(), { timezone: tz ?? undefined, paused: true }).nextRuns(n, new Date(after)).map((d) => d.getTime());
}

const envPair = z.string().refine((p) => {
  const eq = p.indexOf('=');
  return eq > 0 && ENV_KEY_RE.test(p.slice(0, eq)) && !p.includes('\0');
}, { message: 'each element is KEY=VALUE with a proper variable name' });

const guardString = z.string().superRefine((g, ctx) => {
  const r = parseGuard(g);
  if (typeof r === 'string') ctx.addIssue({ code: 'custom', message: r });
});

const arg = z.string().max(16_384).refine((a) => !a.includes('\0'), { message: 'must not contain NUL' });

export const scheduleSpecSchema = z.strictObject({
  cron: z.string().min(1, { message: EMPTY_CRON }),
  /** IANA zone, stored as named in its proper case ("europe/paris" is Europe/Paris: canonicalZone); absent: the daemon's local time. */
  tz: z.string().min(1, { message: 'give a time zone, e.g. Europe/Paris, or leave it out for the local time' }).transform(canonicalZone).optional(),
  /** Working directory; absent: your home folder. "~/" is expanded. */
  cwd: z.string().min(1).optional(),
  command: z.array(arg).min(1, { message: 'give the command as an array: ["program", "arg", ...]' }).max(256),
  env: z.array(envPair).max(256).default([]),
  guards: z.array(guardString).max(16).default([]),
  overlap: z.enum(OVERLAP_POLICIES).default('skip'),
  catch_up: z.enum(CATCH_UP_POLICIES).default('none'),
  timeout: z.string().refine((v) => {
    const ms = parseDuration(v);
    return ms !== null && ms >= 1000 && ms <= MAX_TIMEOUT_MS;
  }, { message: 'a duration of 1s to 7d, e.g. 90s, 30m, 1h30m' }).optional(),
  notify: z.enum(NOTIFY_POLICIES).default('failure'),
}).superRefine((s, ctx) => {
  const p = cronProblem(s.cron, s.tz);
  if (p !== null) ctx.addIssue({ code: 'custom', message: p, path: [s.tz !== undefined && /zone|timezone/i.test(p) ? 'tz' : 'cron'] });
  if (s.guards.includes('none') && s.guards.length > 1) ctx.addIssue({ code: 'custom', message: '"none" cannot be combined with other guards', path: ['guards'] });
  if (s.command[0] === '') ctx.addIssue({ code: 'custom', message: 'the program name is empty', path: ['command'] });
});

export type ScheduleSpec = z.infer<typeof scheduleSpecSchema>;
/** What a spec is before defaults (what config.toml and the CLI give). */
export type ScheduleSpecInput = z.input<typeof scheduleSpecSchema>;

/** [schedule]: settings of the scheduler itself. */
export const schedulerSettingsSchema = z.strictObject({
  /** Minutes after a client's last keystroke that a person still counts as present (guard present, the default guard). */
  present_minutes: z.number().min(0).max(10_080).default(30),
}).prefault({});

/** The guards of a spec, parsed (they were checked by the schema). */
export function guardsOf(spec: Pick<ScheduleSpec, 'guards'>): Guard[] {
  return spec.guards.map((g) => parseGuard(g) as Guard);
}
