/**
 * The vocabulary of attention: the state of a window as Roost reports it,
 * the events the observer emits when it changes, and the reports agent hooks
 * send. docs/attention.md explains each state and how it is computed. The
 * states and events travel to browsers, so they are defined in
 * src/shared/attention.ts and named here for the daemon's side.
 */
import { ATTENTION_STATES, type AgentKind, type AttentionState } from '../shared/attention.js';
import { isAttention, type AgentState } from '../shared/status.js';

export { ATTENTION_STATES };
export type { AgentKind, AttentionEvent, AttentionState, ClosedEvent, StateEvent, WindowRef } from '../shared/attention.js';

/** States that want a person: all but `working` and `shell` (isAttention). */
export const WANTS_ATTENTION: readonly AttentionState[] = ATTENTION_STATES.filter((s) => isAttention(s));

/** An agent's report about one pane, after validation (see hook-report.ts). */
export interface AgentSignal {
  agent: AgentKind;
  /** tmux pane id, e.g. "%7". */
  pane: string;
  /** The state to show, or null to clear the pane's agent state (session start/end). */
  state: AgentState | null;
}
