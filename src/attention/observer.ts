/**
 * The attention observer: turns successive tmux listings and agent-hook
 * signals into per-window states and events. It runs no tmux command
 * itself: whoever lists (the daemon's sessions feed, or poller.ts for
 * `roost watch`) hands each listing to update(), so one `list-panes -a` per
 * tick serves everything. Agent signals (report()) take effect at once,
 * without waiting for the next tick.
 *
 * Windows are keyed by tmux window id: a window linked into several
 * sessions (grouped sessions) is one window, named after the first session
 * that lists it. The state machine of one window is episodes.ts.
 */
import { quietPane, type SessionInfo, type WindowInfo } from '../shared/api.js';
import { DEFAULT_SILENCE_SECONDS, waitingAt, type AgentState, type WindowStatus } from '../shared/status.js';
import { endedPane } from '../shared/pane-end.js';
import { agentHolds, step, type AgentMark, type Observation, type WindowMemory } from './episodes.js';
import type { AgentSignal, AttentionEvent, AttentionState, StateEvent, WindowRef } from './types.js';
import { processRuns } from '../process/exists.js';

/** How long a report for a pane not (yet) in the listing waits for it (ms): a window created just before its agent reported. */
const PENDING_TTL_MS = 10_000;
/**
 * How long a dead window waits for its exit status once its process is gone
 * (ms). tmux marks a pane dead when its output ends, which may be long
 * before the process ends (a program that closed its terminal and works on),
 * and learns the status when it reaps the process; a process killed by a
 * signal has none at all. So a dead pane without a status whose process
 * still runs is not over: it is looked at again every EXIT_RECHECK_MS.
 */
const EXIT_STATUS_WAIT_MS = 2000;
const EXIT_RECHECK_MS = 1000;

export interface ObserverOptions {
  /** Silence threshold in seconds for a session name (config silenceFor). */
  silenceFor?: (session: string) => number;
  /** Does a device show this window to a person right now (a bell has been seen)? Without it only tmux's own bell flag tells. */
  seen?: (sessionId: string, windowId: string) => boolean;
  /**
   * A device showed a window whose bell was pending: `bells` is its bell
   * counter then. The caller records it in tmux (BELLS_SEEN_OPTION), so a
   * restarted daemon does not ring that bell again.
   */
  bellSeen?: (windowId: string, bells: number) => void;
  /** Clock, epoch ms. */
  now?: () => number;
  /** Does the process of a pane still run (not gone, no zombie)? Default: /proc on this machine. */
  processRuns?: (pid: number) => boolean;
}

/** A window's current attention state, for lists and the dashboard. */
export interface WindowAttention extends WindowRef {
  state: AttentionState;
  status: WindowStatus;
  agent: AgentState | null;
  episode: number;
}

interface Tracked {
  ref: WindowRef;
  command: string;
  panes: string[];
  exitStatus: number | null;
  exitSignal: string | undefined;
  memory: WindowMemory;
  silence: number;
  /** Epoch ms since every pane is dead (-Infinity: dead already at the first listing), or null. */
  deadSince: number | null;
  /** "COLSxROWS" at the last listing (null: not known). */
  size: string | null;
  /** Epoch s of the listing that saw the size change last, or null. */
  resizedAt: number | null;
  /** Epoch ms of the last listing at which a person looked at the window (the bells' look: see bellAfter), or null. */
  lookedAt: number | null;
}

/**
 * Output within this many seconds of a window's new size is the program
 * redrawing for it (a full-screen program, an agent's interface), not new
 * work. Listings are a second apart and window_activity counts whole
 * seconds: a redraw lands in the listing that saw the size or the next.
 */
export const REDRAW_SECONDS = 2;

export class AttentionObserver {
  private readonly windows = new Map<string, Tracked>();
  private readonly paneWindow = new Map<string, string>();
  private readonly marks = new Map<string, AgentMark>();
  private readonly pending = new Map<string, { signal: AgentSignal; at: number }>();
  private readonly listeners = new Set<(e: AttentionEvent) => void>();
  private readonly silenceFor: (session: string) => number;
  private readonly seen: (sessionId: string, windowId: string) => boolean;
  private readonly now: () => number;
  private readonly runs: (pid: number) => boolean;
  private readonly bellSeen: ((windowId: string, bells: number) => void) | undefined;
  private seq = 0;
  private listed = false;
  private changesAt: number | null = null;

  constructor(opts: ObserverOptions = {}) {
    this.silenceFor = opts.silenceFor ?? (() => DEFAULT_SILENCE_SECONDS);
    this.seen = opts.seen ?? (() => false);
    this.now = opts.now ?? Date.now;
    this.runs = opts.processRuns ?? processRuns;
    this.bellSeen = opts.bellSeen;
  }

  /** Listen to every event; returns an unsubscribe function. */
  onEvent(fn: (e: AttentionEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * When (epoch ms) the states of the last listing change by the clock alone,
   * so that a listing then tells (a working window turns waiting, a dead one
   * stops waiting for its exit status); null: only new input changes them.
   */
  nextChange(): number | null {
    return this.changesAt;
  }

  /** Feed one listing; returns (and emits) the events it caused. */
  update(sessions: readonly SessionInfo[]): AttentionEvent[] {
    const at = this.now();
    const nowS = Math.floor(at / 1000);
    const events: AttentionEvent[] = [];
    let changesAt = Infinity;
    const seen = new Set<string>();
    const panes = new Set<string>();
    this.paneWindow.clear();
    for (const s of sessions) {
      const silence = this.silenceFor(s.name);
      for (const w of s.windows) {
        if (seen.has(w.id)) continue;
        seen.add(w.id);
        for (const p of w.panes) {
          panes.add(p.id);
          this.paneWindow.set(p.id, w.id);
          const waiting = this.pending.get(p.id);
          if (waiting) {
            this.pending.delete(p.id);
            this.setMark(waiting.signal, Math.floor(waiting.at / 1000));
          }
        }
        const old = this.windows.get(w.id);
        const obs = observe(w);
        // A selection moved window_activity, not output: the window's program said nothing new.
        if (old && w.selectedAt === w.activity && w.activity > old.memory.last.activity) obs.activity = old.memory.last.activity;
        // A new size (a phone opened the window, a terminal was resized) makes the program redraw: not new work. A
        // waiting window stays waiting, an agent's question stays asked; output past REDRAW_SECONDS is new again.
        const size = w.width !== undefined && w.height !== undefined ? `${w.width}x${w.height}` : null;
        const resizedAt = old && size !== null && old.size !== null && size !== old.size ? nowS : (old?.resizedAt ?? null);
        if (old && resizedAt !== null && w.activity > old.memory.last.activity && w.activity <= resizedAt + REDRAW_SECONDS) obs.activity = old.memory.last.activity;
        obs.seen = this.seen(s.id, w.id);
        const looked = obs.seen || obs.inTerminal === true;
        // A pane a signal ended has its end known (tmux 3.3 and later say which signal).
        const unknown = obs.dead ? w.panes.filter((p) => p.dead && p.exitStatus === null && !p.exitSignal) : [];
        // Its output ended but its program runs on: not over yet, whatever tmux's dead flag says.
        const runsOn = unknown.some((p) => this.runs(p.pid));
        // Dead at the first listing: it died before the observer looked, and tmux has had its time to learn a
        // status (a process killed by a signal never gives one). Waiting for it would show the window alive a
        // while and then "exit" it as a new episode: a second notification after a daemon restart.
        const deadSince = obs.dead && !runsOn ? (old?.deadSince ?? (this.listed ? at : -Infinity)) : null;
        if (runsOn) {
          obs.dead = false;
          changesAt = Math.min(changesAt, at + EXIT_RECHECK_MS);
        } else if (unknown.length > 0 && at - deadSince! < EXIT_STATUS_WAIT_MS) {
          obs.dead = false;
          changesAt = Math.min(changesAt, deadSince! + EXIT_STATUS_WAIT_MS);
        }
        const ended = endedPane(w);
        const t: Tracked = {
          ref: { session: s.name, sessionId: s.id, windowId: w.id, index: w.index, name: w.name },
          // A dead pane's command is tmux's guess from its last process (a job's runner: "node"): the program it
          // ran, as last seen alive, says what exited.
          command: obs.dead && old?.command ? old.command : w.command,
          panes: w.panes.map((p) => p.id),
          exitStatus: ended?.exitStatus ?? null,
          exitSignal: ended?.exitSignal,
          memory: old?.memory as WindowMemory,
          silence,
          deadSince,
          size,
          resizedAt,
          lookedAt: looked ? at : (old?.lookedAt ?? null),
        };
        const ev = this.advance(t, old?.memory, obs, nowS, at);
        this.windows.set(w.id, t);
        // Someone looks at a window with a bell not yet marked seen: move the mark (it is tmux's, so it holds past a restart).
        if (obs.bells !== null && obs.bellFlag && looked) this.bellSeen?.(w.id, obs.bells);
        if (ev) events.push(ev);
        if (t.memory.base === 'working') changesAt = Math.min(changesAt, waitingAt(obs.activity, silence));
      }
    }
    for (const [id, t] of this.windows) {
      if (seen.has(id)) continue;
      this.windows.delete(id);
      events.push({ type: 'closed', ...t.ref, at });
    }
    for (const p of this.marks.keys()) if (!panes.has(p)) this.marks.delete(p);
    for (const [p, v] of this.pending) if (at - v.at > PENDING_TTL_MS) this.pending.delete(p);
    this.listed = true;
    this.changesAt = changesAt === Infinity ? null : changesAt;
    this.emit(events);
    return events;
  }

  /** Apply an agent signal now (the window's state changes without waiting for a tick). */
  report(signal: AgentSignal): AttentionEvent[] {
    const at = this.now();
    const windowId = this.paneWindow.get(signal.pane);
    const t = windowId === undefined ? undefined : this.windows.get(windowId);
    if (!t) {
      // Not in the last listing: a window made just now, or a pane of another tmux server. Keep it briefly.
      this.pending.set(signal.pane, { signal, at });
      return [];
    }
    this.setMark(signal, Math.floor(at / 1000));
    const ev = this.advance(t, t.memory, t.memory.last, Math.floor(at / 1000), at);
    const events = ev ? [ev] : [];
    this.emit(events);
    return events;
  }

  /** Current state of every window. */
  states(): WindowAttention[] {
    return [...this.windows.values()].map((t) => this.view(t));
  }

  /** Current state of one window, by tmux window id. */
  stateOf(windowId: string): WindowAttention | undefined {
    const t = this.windows.get(windowId);
    return t && this.view(t);
  }

  /**
   * Write the observer's view into a listing (WindowInfo.status and .agent),
   * for the dashboard and `roost ls`: call after update() with the same listing.
   */
  annotate(sessions: SessionInfo[]): void {
    for (const s of sessions) {
      for (const w of s.windows) {
        const t = this.windows.get(w.id);
        if (!t) continue;
        w.status = t.memory.base;
        w.agent = t.memory.state === t.memory.base ? null : (t.memory.state as AgentState);
      }
    }
  }

  private view(t: Tracked): WindowAttention {
    const m = t.memory;
    return { ...t.ref, state: m.state, status: m.base, agent: m.state === m.base ? null : (m.state as AgentState), episode: m.episode };
  }

  private setMark(signal: AgentSignal, atSeconds: number): void {
    if (signal.state === null) this.marks.delete(signal.pane);
    else this.marks.set(signal.pane, { agent: signal.agent, state: signal.state, at: atSeconds, seq: ++this.seq });
  }

  /** The newest agent mark of the window's panes that still holds; marks that no longer hold are dropped. */
  private agentFor(t: Tracked, obs: Observation): AgentMark | null {
    let best: AgentMark | null = null;
    for (const p of t.panes) {
      const m = this.marks.get(p);
      if (!m) continue;
      if (!agentHolds(m, obs)) {
        this.marks.delete(p);
        continue;
      }
      if (!best || m.seq > best.seq) best = m;
    }
    return best;
  }

  private advance(t: Tracked, prev: WindowMemory | undefined, obs: Observation, nowS: number, at: number): StateEvent | null {
    const agent = this.agentFor(t, obs);
    const r = step(prev, obs, nowS, t.silence, agent);
    t.memory = r.memory;
    if (!r.changed) return null;
    const ev: StateEvent = {
      type: 'state',
      ...t.ref,
      state: r.memory.state,
      previous: prev?.state ?? null,
      at,
      episode: r.memory.episode,
      // First sight at the first listing: the state predates the observer.
      baseline: prev === undefined && !this.listed,
      command: t.command,
    };
    if (r.memory.state === 'exited') {
      ev.exitStatus = t.exitStatus;
      if (t.exitSignal) ev.exitSignal = t.exitSignal;
    }
    // Notify pushes a waiting again only after a look: a slow log's every silence is not news (notify-events.ts).
    if (r.memory.state === 'waiting') ev.lookedAt = t.lookedAt;
    if (agent && r.memory.state === agent.state) ev.agent = agent.agent;
    return ev;
  }

  private emit(events: AttentionEvent[]): void {
    for (const e of events) {
      for (const fn of this.listeners) {
        try {
          fn(e);
        } catch {
          // A failing listener must not stop the others or the observer; listeners report their own errors.
        }
      }
    }
  }
}

function observe(w: WindowInfo): Observation {
  return {
    activity: w.activity,
    bellFlag: w.bell,
    bells: w.bells ?? null,
    inTerminal: w.inTerminal === true,
    dead: w.panes.length > 0 && w.panes.every((p) => p.dead),
    shell: w.panes.some((p) => !p.dead) && w.panes.every((p) => p.dead || quietPane(p)),
  };
}
