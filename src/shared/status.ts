/**
 * Window states as Roost shows them, and how they are derived from what tmux
 * reports. Pure: the caller supplies the clock.
 *
 * Order matters: a dead window is `exited` whatever else is true; a window
 * silent for the threshold is `waiting` even if it rang earlier (the bell was
 * output too, so silence is measured from it); a bell not yet followed by the
 * threshold of silence is `bell`; everything else is `working`.
 */

export const WINDOW_STATUSES = ['working', 'waiting', 'bell', 'exited'] as const;
export type WindowStatus = (typeof WINDOW_STATUSES)[number];
/** States that only agent hooks report (see the attention docs). */
export const AGENT_STATES = ['needs-permission', 'idle', 'done'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** Default seconds of silence before a window counts as waiting (the guide's monitor-silence 20). */
export const DEFAULT_SILENCE_SECONDS = 20;

export interface StatusInput {
  /** Epoch seconds of the window's last output (tmux window_activity). */
  activity: number;
  bell: boolean;
  /** Every pane in the window is dead. */
  dead: boolean;
}

export function windowStatus(w: StatusInput, nowSeconds: number, silenceSeconds = DEFAULT_SILENCE_SECONDS): WindowStatus {
  if (w.dead) return 'exited';
  if (nowSeconds - w.activity >= silenceSeconds) return 'waiting';
  if (w.bell) return 'bell';
  return 'working';
}
