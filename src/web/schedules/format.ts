/**
 * How a schedule and its runs read on the dashboard: a run's outcome as a
 * badge (word and tone; success, failure and skips told apart), when things
 * happen ("in 3 min", "5 min ago", "03:00"), what a headless Claude run said. Pure:
 * unit-tested in Node.
 */
import { formatDuration } from '../../shared/jobs.js';
import type { ClaudeResult, RunInfo, ScheduleInfo } from '../../shared/schedules.js';

export type RunTone = 'working' | 'exited' | 'attention' | 'waiting' | 'quiet';

/** "succeeded", "failed (exit 2)", "skipped", "missed 3 runs": the outcome in a few words; the reason goes beside it. */
export function runBadge(r: Pick<RunInfo, 'outcome' | 'exitCode' | 'signal' | 'started' | 'missed'>): { text: string; tone: RunTone } {
  switch (r.outcome) {
    case 'starting':
    case 'running': return { text: r.outcome, tone: 'working' };
    case 'succeeded': return { text: 'succeeded', tone: 'exited' };
    case 'failed':
      if (r.started === null) return { text: 'failed to start', tone: 'attention' };
      return { text: `failed (${r.signal ?? `exit ${r.exitCode ?? '?'}`})`, tone: 'attention' };
    case 'timed-out': return { text: 'timed out', tone: 'attention' };
    case 'lost': return { text: 'lost', tone: 'waiting' };
    case 'skipped': return { text: 'skipped', tone: 'quiet' };
    case 'missed': return { text: r.missed === null ? 'missed' : `missed ${r.missed} run${r.missed === 1 ? '' : 's'}`, tone: 'quiet' };
  }
}

/** "in 45 s", "in 2 h 5 min"; "now" once the time has come. */
export function until(at: number, now: number): string {
  return at - now < 1000 ? 'now' : `in ${formatDuration(at - now)}`;
}

/** "45 s ago", "2 h 5 min ago"; "just now" under a second. */
export function since(at: number, now: number): string {
  return now - at < 1000 ? 'just now' : `${formatDuration(now - at)} ago`;
}

/**
 * A time of day as docs/web.md shows it, 24-hour: "03:00", with its seconds
 * only when it is off the minute (a schedule by the second), and the day
 * before it when it is not today ("Tue, Jan 6 03:00", in the browser's language).
 */
export function clock(at: number, now: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}${d.getSeconds() ? `:${two(d.getSeconds())}` : ''}`;
  if (d.toDateString() === new Date(now).toDateString()) return time;
  return `${d.toLocaleDateString([], { weekday: 'short', month: 'short', day: 'numeric' })} ${time}`;
}

/** When a run happened (or was due, for a skip): its start, else its cron time, else when its entry was made (a skip of `schedule run`). */
export function runTime(r: Pick<RunInfo, 'started' | 'due' | 'created'>): number {
  return r.started ?? r.due ?? r.created;
}

/** "ran 12 s", "running for 3 min", or null for a run that never started. */
export function runDuration(r: Pick<RunInfo, 'started' | 'ended'>, now: number): string | null {
  if (r.started === null) return null;
  return r.ended === null ? `running for ${formatDuration(now - r.started)}` : `ran ${formatDuration(r.ended - r.started)}`;
}

/** Why it ran: said only when it was not its cron time. */
export function triggerText(r: Pick<RunInfo, 'trigger' | 'forced'>): string | null {
  const t = { cron: null, manual: 'run now', 'catch-up': 'caught up', queued: 'queued after the previous run' }[r.trigger];
  return r.forced ? `${t ?? 'run now'}, guards bypassed` : t;
}

/** "claude: success, 4 turns, 2 min, $0.0412". */
export function claudeText(c: ClaudeResult): string {
  const parts = [
    c.kind,
    c.turns === null ? null : `${c.turns} turn${c.turns === 1 ? '' : 's'}`,
    c.durationMs === null ? null : formatDuration(c.durationMs),
    c.costUsd === null ? null : `$${c.costUsd.toFixed(4)}`,
  ];
  return `claude: ${parts.filter((p) => p !== null).join(', ')}`;
}

/**
 * "0 3 * * * (Europe/Paris)": the cron line as given, with its zone; one
 * without a zone runs on the daemon's clock, which a phone elsewhere does
 * not share: "(server time)".
 */
export function cronText(s: Pick<ScheduleInfo, 'cron' | 'tz'>): string {
  return `${s.cron} (${s.tz ?? 'server time'})`;
}

/** The guards as the CLI takes them; the default said in words. */
export function guardsText(guards: readonly string[]): string {
  return guards.length ? guards.join(', ') : 'default (skip while you work in the same program)';
}
