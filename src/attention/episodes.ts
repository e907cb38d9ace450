/**
 * One window's attention state machine, pure: what tmux reported at a tick
 * plus what the window's memory holds → its state now, and whether a new
 * attention episode began. The observer (observer.ts) keeps one memory per
 * window and calls step() on every listing and every agent report.
 *
 * State, in order of precedence (first match wins):
 *   exited            every pane is dead (remain-on-exit keeps them listed)
 *   agent state       a hook said needs-permission / idle / done, and the
 *                     window has not produced output since (see agentHolds)
 *   bell              a bell rang (counter bumped by our tmux hook, or tmux's
 *                     bell flag rose) and no device has shown the window
 *                     since (Observation.seen, or tmux's flag fell: a tmux
 *                     client showed it); output does not end it
 *   shell             every pane has the person's shell at its prompt:
 *                     nothing runs, nothing waits (quiet, not attention)
 *   waiting           now - window_activity >= the silence threshold
 *   working           anything else
 *
 * Episodes: a run of attention states (anything but working and shell)
 * with no new output in between. A new episode begins when the window
 * enters attention, when output advanced past the episode's start while it
 * stayed in attention (a tick was missed) — except in `bell`, which only a
 * new bell renews —, on every new bell, when it dies, and on every new
 * needs-permission report (each is a new question). Channels notify at most
 * once per episode, so a window that stays waiting is told once and re-arms
 * after new output (a `waiting` only once a person has also looked:
 * StateEvent.lookedAt).
 */
import { isAttention, type AgentState, type WindowStatus } from '../shared/status.js';
import type { AgentKind, AttentionState } from './types.js';

/**
 * Seconds of output after an agent report that still belong to the report:
 * the agent draws its prompt or status line just after its hook fires.
 * Output later than this means the agent (or the person) moved on.
 */
export const AGENT_GRACE_SECONDS = 2;

/** What one listing says about a window. */
export interface Observation {
  /** Epoch seconds of the last output (tmux window_activity). */
  activity: number;
  /**
   * A bell unseen (WindowInfo.bell): with the counters (`bells` not null),
   * the counter above the seen mark; without, tmux's window_bell_flag
   * (latched until a client views the window).
   */
  bellFlag: boolean;
  /** Roost's bell counter, or null when the hook is not installed (or the counters not yet set up). */
  bells: number | null;
  /** A terminal attached to the window's own session shows it now (WindowInfo.inTerminal). */
  inTerminal?: boolean;
  /** Every pane is dead. */
  dead: boolean;
  /** Every live pane has the person's shell at its prompt (PaneInfo.atPrompt). */
  shell?: boolean;
  /** A device shows the window to a person now (a focused Roost page on it): a bell has been seen. */
  seen?: boolean;
}

/** An agent report that still applies to a pane. */
export interface AgentMark {
  agent: AgentKind;
  state: AgentState;
  /** Epoch seconds of the report. */
  at: number;
  /** Increasing per observer: tells a new report from an old one. */
  seq: number;
}

export interface WindowMemory {
  state: AttentionState;
  /** The state tmux alone gives (agent reports left out): WindowInfo.status. */
  base: WindowStatus;
  bells: number | null;
  bellFlag: boolean;
  /** A bell rang and no device has shown the window since. */
  bellPending: boolean;
  episode: number;
  /** Output after this (epoch seconds) re-arms: it ends the episode. */
  episodeActivity: number;
  /** seq of the agent report that started the episode (0: none). */
  episodeSeq: number;
  /** Last observation, so an agent report between ticks can be applied at once. */
  last: Observation;
}

export interface StepResult {
  memory: WindowMemory;
  /** The state or the episode changed: emit an event. */
  changed: boolean;
  newEpisode: boolean;
}

/** Whether an agent report still describes the window: no output past the grace period, not dead. */
export function agentHolds(mark: AgentMark, obs: Observation): boolean {
  return !obs.dead && obs.activity <= mark.at + AGENT_GRACE_SECONDS;
}

function baseState(obs: Observation, nowSeconds: number, silenceSeconds: number, bellPending: boolean): WindowStatus {
  if (obs.dead) return 'exited';
  if (bellPending) return 'bell';
  if (obs.shell) return 'shell';
  if (nowSeconds - obs.activity >= silenceSeconds) return 'waiting';
  return 'working';
}

/**
 * Is a bell still unseen after this observation? With Roost's counters it
 * is while the counter is above the seen mark and nobody looks: a focused
 * Roost device on the window, or a terminal attached to its session
 * showing it (the observer then moves the mark: AttentionObserver). A
 * read-only view never counts, though tmux lowers its flag for it too. It
 * holds past a daemon restart (the counters are tmux's), and a bell rung
 * in the window a terminal shows is seen at once.
 *
 * Without the counters (the hook not installed): a bell rang since `prev`
 * (the flag rose); it is seen once a device shows the window at a later
 * listing, or tmux's own flag falls (a tmux client showed it). A bell
 * that rings while a device shows the window is seen at the next listing,
 * so it is marked for one tick (and pushed to no one: the notifier holds
 * back for a window someone looks at).
 */
function bellAfter(prev: WindowMemory | undefined, obs: Observation): { pending: boolean; rang: boolean } {
  if (obs.bells !== null) {
    const looked = obs.seen === true || obs.inTerminal === true;
    // First sight (a daemon that just started): what the counters say.
    if (prev === undefined) return { pending: obs.bellFlag && !looked, rang: false };
    // The counters just appeared (the hook went in after the last listing): a bell they show unseen that
    // `prev` did not know of rang meanwhile; the listing after the install may be the one after the bell.
    if (prev.bells === null) return { pending: obs.bellFlag && !looked, rang: obs.bellFlag && !prev.bellPending };
    const rang = obs.bells > prev.bells;
    // Not "obs.bellFlag": the seen mark moved on a look reaches tmux a moment later.
    return { pending: (rang || prev.bellPending) && !looked, rang };
  }
  if (prev === undefined) return { pending: obs.bellFlag && !obs.seen, rang: false };
  const rang = (obs.bells !== null && prev.bells !== null && obs.bells > prev.bells) || (obs.bellFlag && !prev.bellFlag);
  if (rang) return { pending: true, rang };
  const seen = obs.seen === true || (prev.bellFlag && !obs.bellFlag);
  return { pending: prev.bellPending && !seen, rang: false };
}

/**
 * Advance one window. `prev` undefined = first sight. `agent` is the newest
 * mark of the window's panes that still holds (the caller drops the others
 * with agentHolds), or null.
 */
export function step(prev: WindowMemory | undefined, obs: Observation, nowSeconds: number, silenceSeconds: number, agent: AgentMark | null): StepResult {
  const bell = bellAfter(prev, obs);
  const base = baseState(obs, nowSeconds, silenceSeconds, bell.pending);
  const state: AttentionState = agent && !obs.dead ? agent.state : base;
  const attention = isAttention(state);
  // While an agent state holds, output within the grace period is the agent's own drawing, not new work.
  const startActivity = agent && state === agent.state ? Math.max(obs.activity, agent.at + AGENT_GRACE_SECONDS) : obs.activity;

  let newEpisode = false;
  if (attention) {
    if (prev === undefined) newEpisode = true;
    // Back to attention from a quiet state: news only if the window printed since its last episode, or
    // something else happened (a first episode, a new agent report, an exit, a new bell). A bell seen
    // before the silence threshold, then silence, is one episode with the waiting that follows.
    else if (!isAttention(prev.state)) {
      newEpisode = prev.episode === 0 || obs.activity > prev.episodeActivity || state === 'exited' || (state === 'bell' && bell.rang)
        || (agent !== null && agent.seq !== prev.episodeSeq);
    }
    else if (state === 'bell' && bell.rang) newEpisode = true;
    // A bell waits to be seen, whatever the window prints meanwhile.
    else if (obs.activity > prev.episodeActivity && state !== 'bell') newEpisode = true;
    else if (state === 'exited' && prev.state !== 'exited') newEpisode = true;
    else if (state === 'needs-permission' && agent !== null && agent.seq !== prev.episodeSeq) newEpisode = true;
  }

  const prevEpisode = prev?.episode ?? 0;
  const memory: WindowMemory = {
    state,
    base,
    bells: obs.bells,
    bellFlag: obs.bellFlag,
    bellPending: bell.pending,
    episode: newEpisode ? prevEpisode + 1 : prevEpisode,
    // While a bell waits, what the window prints belongs to the bell's episode (seen, it goes on from there).
    episodeActivity: newEpisode ? startActivity : Math.max(prev?.episodeActivity ?? obs.activity, attention && agent ? startActivity : 0, state === 'bell' ? obs.activity : 0),
    episodeSeq: newEpisode ? (agent?.seq ?? 0) : (prev?.episodeSeq ?? 0),
    last: obs,
  };
  return { memory, changed: prev === undefined || prev.state !== state || newEpisode, newEpisode };
}
