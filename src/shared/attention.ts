/**
 * Attention events as they leave the daemon: what the observer
 * (src/attention) emits when a window's state changes, as `roost watch
 * --json` prints them and the events socket (events.ts) carries them.
 * docs/attention.md ("Events") is the prose version of this file.
 */
import { AGENT_STATES, WINDOW_STATUSES, type AgentState, type WindowStatus } from './status.js';

/** What a window is doing, tmux-derived (WindowStatus) or agent-reported (AgentState). */
export type AttentionState = WindowStatus | AgentState;

export const ATTENTION_STATES: readonly AttentionState[] = [...WINDOW_STATUSES, ...AGENT_STATES];

/** Programs whose hooks report to Roost. */
export const AGENT_KINDS = ['claude'] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

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
  /** Exit status of the pane the window shows ended (pane-end.ts) when state is `exited`. */
  exitStatus?: number | null;
  /** The signal that ended it ("SIGTERM"), when a signal did and state is `exited`. */
  exitSignal?: string;
  /**
   * With `waiting`: epoch milliseconds of the last listing that saw a person
   * look at the window (a focused owner's page, or a terminal attached to
   * the window's own session showing it); null: nobody has since the
   * observer began. Channels push a `waiting` again only after a look
   * (docs/notifications.md): a program that logs a line now and then is
   * told once, not at every silence.
   */
  lookedAt?: number | null;
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
