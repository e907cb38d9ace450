/**
 * The vocabulary of attention: the state of a window as Roost reports it,
 * the events the observer emits when it changes, and the reports agent hooks
 * send. docs/attention.md explains each state and how it is computed.
 */
import type { AgentState, WindowStatus } from '../shared/status.js';

/** What a window is doing, tmux-derived (WindowStatus) or agent-reported (AgentState). */
export type AttentionState = WindowStatus | AgentState;

export const ATTENTION_STATES: readonly AttentionState[] = ['working', 'waiting', 'bell', 'exited', 'needs-permission', 'idle', 'done'];

/** States that want a person; `working` is the only one that does not. */
export const WANTS_ATTENTION: readonly AttentionState[] = ATTENTION_STATES.filter((s) => s !== 'working');

/** Programs whose hooks report to Roost. */
export type AgentKind = 'claude';

/** Where a window lives, as events name it. */
export interface WindowRef {
  /** Session name, e.g. "main". */
  session: string;
  /** tmux session id, e.g. "$3". */
  sessionId: string;
  /** tmux window id, e.g. "@5". */
  windowId: string;
  /** Window index in the session, e.g. 1 (the dashboard's /s/SESSION/INDEX). */
  index: number;
  /** Window name, e.g. "claude". */
  name: string;
}

/** A window's state changed, or a new attention episode began in the same state. */
export interface StateEvent extends WindowRef {
  type: 'state';
  state: AttentionState;
  /** The state before; null when the observer sees the window for the first time. */
  previous: AttentionState | null;
  /** Epoch milliseconds of the observation. */
  at: number;
  /**
   * Attention episode of this window: a run of attention states with no
   * new output in between. Channels notify at most once per episode.
   */
  episode: number;
  /** The window was already there at the observer's first listing: notifiers stay quiet. */
  baseline: boolean;
  /** Exit status of the window's (first dead) pane when state is `exited`. */
  exitStatus?: number | null;
  /** The agent whose hook reported the state (agent states only). */
  agent?: AgentKind;
  /** The active pane's current command, e.g. "claude", "bash". */
  command: string;
}

/** A window is gone from the listing (closed, or its session killed). */
export interface ClosedEvent extends WindowRef {
  type: 'closed';
  at: number;
}

export type AttentionEvent = StateEvent | ClosedEvent;

/** An agent's report about one pane, after validation (see hook-report.ts). */
export interface AgentSignal {
  agent: AgentKind;
  /** tmux pane id, e.g. "%7". */
  pane: string;
  /** The state to show, or null to clear the pane's agent state (session start/end). */
  state: AgentState | null;
}
