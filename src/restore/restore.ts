/**
 * One restore, as the CLI and the daemon both run it: pick the snapshot
 * (the latest readable one, or a given generation), plan against the
 * sessions running now, and carry the plan out. Also where the snapshot
 * folder and the scratch folder for the panes' scrollback files are.
 */
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { listSessions, type TmuxClient } from '../tmux/index.js';
import type { Paths } from '../config/paths.js';
import type { RestoreConfig } from '../config/config.js';
import type { PaneAgent } from '../attention/pane-agents.js';
import type { Snapshot } from './model.js';
import { SnapshotStore } from './store.js';
import { planRestore, type RestorePlan } from './plan.js';
import { rulesFrom } from './rules.js';
import { executeRestore, type Progress, type RestoreOutcome } from './execute.js';
import { hostname } from 'node:os';

export const snapshotStore = (paths: Paths): SnapshotStore => new SnapshotStore(join(paths.stateDir, 'snapshots'));

/** A fresh private folder (in the runtime folder) for one restore's scrollback files. */
export const scratchDir = (paths: Paths): string => join(paths.runtimeDir, `restore-${process.pid}-${randomBytes(4).toString('hex')}`);

export interface Source {
  snapshot: Snapshot;
  /** Newer generations that could not be read (the latest was damaged): say so. */
  skipped: { generation: number; problem: string }[];
}

/**
 * The snapshot to restore from: `from`, or the newest readable one of the
 * tmux server at `socket`; null when there is none. Throws SnapshotReadError
 * for a bad `from`.
 */
export function pickSnapshot(store: SnapshotStore, socket: string, from?: number): Source | null {
  if (from !== undefined) return { snapshot: store.read(from), skipped: [] };
  const l = store.latest(socket);
  return l.snapshot ? { snapshot: l.snapshot, skipped: l.skipped } : null;
}

/**
 * What to say when the folder holds no snapshot of the tmux server at
 * `socket`: name that server, and when other servers' snapshots are there,
 * how to see and use them (`next`: what to run with a generation of theirs;
 * `roost`: the command as typed to reach this server, roost -L NAME).
 */
export function noSnapshotOf(store: SnapshotStore, socket: string, next: string, roost = 'roost'): string {
  const others = store.list().filter((g) => g.snapshot && g.snapshot.server.socket !== socket).length;
  const base = `no snapshot of this tmux server (${socket}) in ${store.dir}`;
  if (others === 0) return `${base} (${roost} snapshot takes one)`;
  return `${base}; it holds ${others} of other tmux servers: roost snapshot ls lists them, ${next}`;
}

/** Names of the sessions running now (none without a server). */
export async function liveNames(tmux: TmuxClient): Promise<Set<string>> {
  return new Set((await listSessions(tmux)).map((s) => s.name));
}

export interface PlanForOptions {
  /** Restore only these saved session names (all when empty). */
  only?: readonly string[];
  /** The session names running, when the caller has just listed them. */
  live?: ReadonlySet<string>;
  /** `roost` as typed to reach this server (`roost -L work`), for the commands the plan's messages suggest. */
  roost?: string;
}

/** The plan for `snapshot` on this server. */
export async function planFor(tmux: TmuxClient, snapshot: Snapshot, config: RestoreConfig, o: PlanForOptions = {}): Promise<RestorePlan> {
  return planRestore({ snapshot, live: o.live ?? await liveNames(tmux), only: o.only ?? [], rules: rulesFrom(config), host: hostname(), roost: o.roost ?? 'roost' });
}

export interface RunOptions {
  tmux: TmuxClient;
  paths: Paths;
  store: SnapshotStore;
  plan: RestorePlan;
  paneAgents?: { set(a: PaneAgent): void } | undefined;
  progress?: ((p: Progress) => void) | undefined;
}

export function runRestore(o: RunOptions): Promise<RestoreOutcome> {
  return executeRestore({ tmux: o.tmux, store: o.store, plan: o.plan, scratchDir: scratchDir(o.paths), paneAgents: o.paneAgents, progress: o.progress });
}
