/**
 * Slurm's times, both ways (in src/shared: the config checks --time values,
 * the dashboard shows time left): the durations squeue prints (`%L` time left,
 * `%l` time limit, `%M` time used), the time limits a user may ask for
 * (`--time`), the dates squeue prints (`%S` start, `%e` end), and the short
 * forms Roost shows people ("3h12m").
 *
 * What squeue prints (Slurm's secs2time_str, the same in 22.05 and later):
 *   D-HH:MM:SS   a day or more             1-02:03:04
 *   H:MM:SS      an hour or more           2:03:04
 *   M:SS         less than an hour         4:59, 0:07
 *   UNLIMITED    no limit
 *   NOT_SET      no limit known yet
 *   INVALID      past the end, not yet enforced (or a negative value)
 *
 * What a user may write for --time (Slurm's time_str2mins):
 *   M  M:S  H:M:S  D-H  D-H:M  D-H:M:S, or UNLIMITED / INFINITE / -1
 */

/** A duration as squeue prints it. */
export type SlurmDuration =
  | { kind: 'seconds'; seconds: number }
  | { kind: 'unlimited' }
  | { kind: 'not-set' }
  | { kind: 'invalid' };

const DHMS = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$/;

/** Parse a squeue duration (`%L`, `%l`, `%M`); anything it cannot read is 'invalid'. */
export function parseSlurmDuration(text: string): SlurmDuration {
  const t = text.trim();
  if (t === 'UNLIMITED' || t === 'INFINITE') return { kind: 'unlimited' };
  if (t === 'NOT_SET') return { kind: 'not-set' };
  const m = DHMS.exec(t);
  if (!m) return { kind: 'invalid' };
  const [, d, h, min, s] = m;
  // "D-M:S" is not a form Slurm prints: days come with hours.
  if (d !== undefined && h === undefined) return { kind: 'invalid' };
  const seconds = Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3600 + Number(min) * 60 + Number(s);
  return { kind: 'seconds', seconds };
}

/** The seconds of a duration, or null when it has none (unlimited, not set, invalid). */
export function durationSeconds(d: SlurmDuration): number | null {
  return d.kind === 'seconds' ? d.seconds : null;
}

/** A time limit a user asked for: the text to give Slurm and its length. */
export type TimeLimit = { ok: true; text: string; seconds: number | null } | { ok: false; error: string };

const TIME_FORMS = 'minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S or UNLIMITED';

/** Check a --time value the way Slurm reads it; `seconds` is null for no limit. */
export function parseTimeLimit(value: string): TimeLimit {
  const t = value.trim();
  const bad: TimeLimit = { ok: false, error: `invalid time ${JSON.stringify(value)}: use ${TIME_FORMS}` };
  if (/^(UNLIMITED|INFINITE|-1)$/i.test(t)) return { ok: true, text: t.toUpperCase() === '-1' ? '-1' : 'UNLIMITED', seconds: null };
  let days = 0;
  let rest = t;
  const dash = /^(\d{1,5})-(.+)$/.exec(t);
  if (dash) {
    days = Number(dash[1]);
    rest = dash[2]!;
  }
  if (!/^\d{1,9}(:\d{1,2}){0,2}$/.test(rest)) return bad;
  const parts = rest.split(':').map(Number);
  let seconds: number;
  if (dash) {
    // D-H, D-H:M, D-H:M:S
    const [h = 0, m = 0, s = 0] = parts;
    if (h > 23 || m > 59 || s > 59) return bad;
    seconds = days * 86_400 + h * 3600 + m * 60 + s;
  } else if (parts.length === 1) {
    seconds = parts[0]! * 60; // M
  } else if (parts.length === 2) {
    const [m = 0, s = 0] = parts; // M:S
    if (s > 59) return bad;
    seconds = m * 60 + s;
  } else {
    const [h = 0, m = 0, s = 0] = parts; // H:M:S
    if (m > 59 || s > 59) return bad;
    seconds = h * 3600 + m * 60 + s;
  }
  // Slurm reads 0 as "no limit".
  return { ok: true, text: t, seconds: seconds === 0 ? null : seconds };
}

/**
 * A date as squeue prints it (`%S`, `%e`: local time of the cluster,
 * "2026-12-02T18:03:47"), as epoch ms; null for "N/A", "NONE", "Unknown".
 */
export function parseSlurmDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = new Date(y, mo - 1, d, h, mi, s).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A duration for people, two units at most: "2d3h", "3h12m", "12m", "45s".
 * Minutes round down (an hour and 59:59 left is "1h59m"), so it never says
 * more than is left.
 */
export function shortDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d}d${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${s % 60}s`;
}
