/**
 * A node session's status line: its own status-right shows the allocation
 * (the NODE_STATUS_OPTION the poller sets, e.g. "job 12 RUNNING gpu07") and
 * the time left ("3h12m left") in front of the user's usual status-right,
 * so someone who never opens the dashboard sees it too.
 *
 * The time left is counted by tmux itself, from the end time the poller
 * sets (NODE_END_OPTION), each time it draws the status line (every
 * status-interval, 15 s by default): a value the poller wrote would be as
 * old as its last look at Slurm, which can be minutes when nothing is about
 * to change. No shell command runs in the status line: tmux's own
 * arithmetic does it, rounded down like `roost node ls` (never more time
 * than there is). tmux before 3.2 has no arithmetic in formats: there the
 * poller writes the end's clock time instead ("until 17:42"), which does
 * not go stale either.
 */
import { NODE_END_OPTION, NODE_STATUS_OPTION, setOption, showOption, unsetOption, version, type TmuxClient } from '../tmux/index.js';
import { atLeast, parseTmuxVersion } from '../setup/versions.js';

/** Room for the allocation's part (characters) beyond the user's own status-right-length. */
const EXTRA_LENGTH = 60;
/** tmux formats do arithmetic (#{e|...}) from 3.2 on. */
const COUNTDOWN_MIN_TMUX = { major: 3, minor: 2 };

/**
 * A tmux format for the seconds from now to the epoch seconds in user
 * option `option`, written as shortDuration (src/shared/slurm-time.ts)
 * writes it: 2d7h, 3h12m, 45m, 30s; 0s once past. `%s` (now) is expanded
 * by strftime, which tmux applies to the status line before its formats.
 * Only +, -, *, / and string matches: what tmux 3.2 has.
 */
export function countdownFormat(option: string): string {
  const left = `#{e|-:#{${option}},%s}`;
  const div = (a: string, b: number) => `#{e|/:${a},${b}}`;
  const mod = (a: string, b: number) => `#{e|-:${a},#{e|*:${div(a, b)},${b}}}`;
  const d = div(left, 86_400);
  const h = div(mod(left, 86_400), 3600);
  const m = div(mod(left, 3600), 60);
  const s = mod(left, 60);
  const positive = `#{?${d},${d}d#{?${h},${h}h,},#{?${h},${h}h#{?${m},${m}m,},#{?${m},${m}m,${s}s}}}`;
  return `#{?#{m:-*,${left}},0s,${positive}}`;
}

/** The status-right of a node session: the allocation, the countdown while it runs, then the user's own. */
export function nodeStatusRight(userRight: string): string {
  return `#{?${NODE_STATUS_OPTION},#[reverse] #{${NODE_STATUS_OPTION}}#{?${NODE_END_OPTION}, ${countdownFormat(NODE_END_OPTION)} left,} #[default] ,}${userRight}`;
}

/** Can this tmux count down in its status line (countdownFormat)? */
export async function countsDown(tmux: TmuxClient): Promise<boolean> {
  const v = parseTmuxVersion(await version(tmux));
  return v !== null && atLeast(v, COUNTDOWN_MIN_TMUX);
}

/** Give session `sessionId` ($N) a status-right that shows its allocation first; `initial` is shown until the poller's first look. */
export async function setUpStatusLine(tmux: TmuxClient, sessionId: string, initial: string): Promise<void> {
  const right = await showOption(tmux, 'global', null, 'status-right');
  const length = Number(await showOption(tmux, 'global', null, 'status-right-length')) || 40;
  await setOption(tmux, 'session', sessionId, NODE_STATUS_OPTION, initial);
  await unsetOption(tmux, 'session', sessionId, NODE_END_OPTION);
  await setOption(tmux, 'session', sessionId, 'status-right', nodeStatusRight(right));
  await setOption(tmux, 'session', sessionId, 'status-right-length', String(length + EXTRA_LENGTH));
}

/** Show `text`, and a countdown to `end` (epoch seconds) when not null, on session `sessionId`'s status line. */
export async function showNodeStatus(tmux: TmuxClient, sessionId: string, text: string, end: number | null): Promise<void> {
  if (end === null) await unsetOption(tmux, 'session', sessionId, NODE_END_OPTION);
  else await setOption(tmux, 'session', sessionId, NODE_END_OPTION, String(end));
  await setOption(tmux, 'session', sessionId, NODE_STATUS_OPTION, text);
}
