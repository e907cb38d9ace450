/**
 * Window states as Roost shows them, and how they are derived from what tmux
 * reports. Pure: the caller supplies the clock.
 *
 * Order matters (first match wins): a dead window is `exited`; a bell not
 * yet seen is `bell` (tmux's own bell flag says so here: it stays up until
 * a client shows the window); a window whose every pane has the person's
 * shell at its prompt is `shell` (nothing runs: quiet, never counted); a
 * program silent for the threshold is `waiting`; everything else is
 * `working`. The daemon's observer (src/attention) refines `bell` with its
 * own counter and memory, and adds the agent states.
 */

export const WINDOW_STATUSES = ['working', 'waiting', 'bell', 'exited', 'shell'] as const;
export type WindowStatus = (typeof WINDOW_STATUSES)[number];
/** States that only agent hooks report (see the attention docs). */
export const AGENT_STATES = ['needs-permission', 'idle', 'done'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** Default seconds of silence before a program counts as waiting (the guide's monitor-silence 20). */
export const DEFAULT_SILENCE_SECONDS = 20;

export interface StatusInput {
  /** Epoch seconds of the window's last output (tmux window_activity). */
  activity: number;
  bell: boolean;
  /** Every pane in the window is dead. */
  dead: boolean;
  /** Every pane in the window has the person's shell at its prompt (PaneInfo.atPrompt). */
  shell?: boolean;
}

export function windowStatus(w: StatusInput, nowSeconds: number, silenceSeconds = DEFAULT_SILENCE_SECONDS): WindowStatus {
  if (w.dead) return 'exited';
  if (w.bell) return 'bell';
  if (w.shell) return 'shell';
  if (nowSeconds - w.activity >= silenceSeconds) return 'waiting';
  return 'working';
}

/** When (epoch ms) a window whose last output was at `activity` (epoch s) turns waiting, if it is working and nothing new comes. */
export function waitingAt(activity: number, silenceSeconds: number): number {
  return (activity + silenceSeconds) * 1000;
}

/** States that ask for a person: counted in titles, notified. `working` and `shell` never are. */
export function isAttention(state: string): boolean {
  return state !== 'working' && state !== 'shell';
}
