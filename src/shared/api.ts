/**
 * JSON shapes shared by `roost ls --json`, the HTTP API and the dashboard.
 * docs/api.md documents them; change both together.
 */
import type { WindowStatus, AgentState } from './status.js';

export interface PaneInfo {
  /** tmux pane id, e.g. "%7". */
  id: string;
  index: number;
  active: boolean;
  pid: number;
  /** Working directory of the pane's foreground process. */
  cwd: string;
  /** Name of the pane's foreground process, e.g. "bash", "claude". */
  command: string;
  dead: boolean;
  /** Exit status of a dead pane; null while it runs, and when tmux does not know it. */
  exitStatus: number | null;
  /**
   * The signal that ended a dead pane's program, e.g. "SIGTERM": set in a
   * job's window from the job's record (tmux does not say). Absent otherwise.
   */
  exitSignal?: string;
  /**
   * The pane's foreground is an interactive shell at its prompt: nothing
   * runs in it (docs/attention.md, `shell`). Absent from older daemons.
   */
  atPrompt?: boolean;
  /**
   * A node session's window runs the user's shell on the compute node
   * (docs/cluster.md): Roost cannot see into it, so it counts as a shell,
   * never as a program gone silent. Absent otherwise.
   */
  remoteShell?: boolean;
}

/** A pane that is quiet by nature: a shell at its prompt, or a node window's shell on the node (`shell`, docs/attention.md). */
export function quietPane(p: Pick<PaneInfo, 'atPrompt' | 'remoteShell'>): boolean {
  return p.atPrompt === true || p.remoteShell === true;
}

export interface WindowInfo {
  /** tmux window id, e.g. "@5". */
  id: string;
  index: number;
  name: string;
  /** tmux names the window after its program (automatic-rename): the name changes with every command a shell runs. Off once someone named it. */
  autoName?: boolean;
  active: boolean;
  /** The active pane's current command. */
  command: string;
  status: WindowStatus;
  /** Set when an agent hook reported a state for this window (see docs/attention.md). */
  agent?: AgentState | null;
  /** Epoch seconds of the last output. */
  activity: number;
  /** A bell rang that nobody has seen yet (see docs/attention.md). */
  bell: boolean;
  /**
   * Bells rung so far, counted by Roost's tmux hook (see docs/attention.md);
   * null or absent when the hook is not installed on this tmux server.
   */
  bells?: number | null;
  /** A terminal attached to the window's own session (not a Roost device) shows it now. */
  inTerminal?: boolean;
  /** The window's size (columns, rows). */
  width?: number;
  height?: number;
  /** window_activity as the window's last selection set it (tmux counts a selection as activity); absent when unknown. */
  selectedAt?: number;
  panes: PaneInfo[];
}

/**
 * What a session is for, as the feature that made it marked it (a tmux
 * session option, so the mark lives with the session, not in Roost's state):
 *   plain  made by `roost new`/`attach`, the dashboard, or tmux itself
 *   job    a background job (`roost run`)
 *   node   holds a Slurm allocation (`roost node`)
 * A feature with a new kind of session adds it here.
 */
export type SessionKind = 'plain' | 'job' | 'node';
export const SESSION_KINDS: readonly SessionKind[] = ['plain', 'job', 'node'];

/** The kind a tmux option value names; unset, or a kind this Roost does not know (a newer one's), reads as plain. */
export function sessionKind(value: string): SessionKind {
  return (SESSION_KINDS as readonly string[]).includes(value) ? (value as SessionKind) : 'plain';
}

/**
 * A node session's Slurm allocation (docs/cluster.md), as Roost last saw
 * it: set on sessions of kind `node` by the daemon and `roost ls`.
 */
export interface NodeAllocation {
  /** Slurm's job id; null until salloc names it (or a launcher's job was not found). */
  jobId: string | null;
  /**
   * Slurm's state (PENDING, RUNNING, COMPLETING, TIMEOUT, CANCELLED, ...) or
   * Roost's own: REQUESTING (salloc has not answered yet), REFUSED (Slurm
   * refused the request), ENDED (over, Slurm no longer knows how), UNKNOWN.
   */
  state: string;
  /** Slurm's reason (Priority, Resources, TimeLimit, ...), or Slurm's refusal; null for none. */
  reason: string | null;
  /** Node list; null while pending. */
  nodes: string | null;
  /** Seconds left at `polledAt` (the whole limit while pending); null for no limit or unknown. */
  timeLeft: number | null;
  timeLimit: number | null;
  /** Epoch ms: the end while running, the start (an estimate while pending). */
  endAt: number | null;
  startAt: number | null;
  /** Epoch ms the request was queued. */
  submittedAt: number | null;
  /** The login host whose tmux server holds the session. */
  host: string;
  /** Epoch ms of the look at Slurm this comes from; null when Slurm was not asked. */
  polledAt: number | null;
}

export interface SessionInfo {
  /** tmux session id, e.g. "$3". */
  id: string;
  name: string;
  kind: SessionKind;
  /** Sessions of kind node: their allocation (absent elsewhere, and where nobody looked). */
  node?: NodeAllocation | null;
  /** Epoch seconds. */
  created: number;
  /** Clients attached, counting every device's view of the session. */
  attached: number;
  /** Epoch seconds of the last output in any window. */
  activity: number;
  /** Epoch seconds when Roost restored this session from a snapshot; absent once someone opened it (docs/restore.md). */
  restored?: number;
  windows: WindowInfo[];
}
