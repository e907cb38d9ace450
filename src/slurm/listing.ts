/**
 * Node sessions for the CLI's lists (`roost ls`, `roost node ls`) and its
 * "held elsewhere" answers. The CLI works without the daemon: it reads the
 * poller's file when that is fresh, and otherwise asks squeue itself, once,
 * for the jobs it lists.
 */
import type { NodeAllocation, SessionInfo } from '../shared/api.js';
import { allocationOf } from './allocation.js';
import { pollFilePath, readPollFile } from './poll-file.js';
import { followSessionNames, heldHere, listRecords, readRecord, thisHost, type NodeRecord } from './records.js';
import { queryJobs, type JobObservation } from './slurm-cli.js';

export interface Where {
  stateDir: string;
  host: string;
  socket: string | null;
  env: NodeJS.ProcessEnv;
  /** [node] poll_seconds: a poll file older than twice this is stale. */
  pollSeconds: number;
}

/** The allocations of these records: from a fresh poll file of this host, else from one squeue call. */
export async function allocationsOf(records: readonly NodeRecord[], w: Where): Promise<Map<string, NodeAllocation>> {
  const out = new Map<string, NodeAllocation>();
  const file = readPollFile(pollFilePath(w.stateDir, w.host, w.socket));
  const now = Date.now();
  const fresh = file?.polledAt != null && now - file.polledAt < 2 * w.pollSeconds * 1000;
  const ids = records.filter((r) => r.jobId && !r.ended && r.phase !== 'failed').map((r) => r.jobId!);
  const known = fresh && ids.every((id) => file.jobs[id] || file.gone.includes(id));
  let look: { jobs: Record<string, JobObservation>; gone: string[]; polledAt: number | null };
  if (known) {
    look = { jobs: file.jobs, gone: file.gone, polledAt: file.polledAt };
  } else {
    const q = await queryJobs(ids, w.env);
    look = q.ok ? { jobs: Object.fromEntries(q.jobs), gone: ids.filter((id) => !q.jobs.has(id)), polledAt: now } : { jobs: {}, gone: [], polledAt: null };
  }
  for (const r of records) {
    const job = r.jobId ? look.jobs[r.jobId] : undefined;
    out.set(r.name, allocationOf(r, { job, gone: r.jobId !== null && look.gone.includes(r.jobId), polledAt: look.polledAt }));
  }
  return out;
}

/** Records of sessions held by this host's tmux server `socket`. */
export function recordsHere(w: Pick<Where, 'stateDir' | 'host' | 'socket'>): NodeRecord[] {
  return listRecords(w.stateDir).filter((r) => heldHere(r, w.host, w.socket));
}

/** Records of sessions held on other login hosts. */
export function recordsElsewhere(w: Pick<Where, 'stateDir' | 'host'>): NodeRecord[] {
  return listRecords(w.stateDir).filter((r) => r.host !== w.host);
}

/** The command that reaches a session held on another host. */
export function reachCommand(r: NodeRecord): string {
  return `ssh -t ${r.host} roost${r.socket ? ` -L ${r.socket}` : ''} node ${r.name}`;
}

/**
 * When node session `name` is held by another host (or another tmux server
 * of this one), the one line that says where and how to get there; null
 * when it is held here or not recorded.
 */
export function heldElsewhere(name: string, w: Pick<Where, 'stateDir' | 'host' | 'socket'>): { record: NodeRecord; message: string } | null {
  const r = readRecord(w.stateDir, name);
  if (!r || heldHere(r, w.host, w.socket)) return null;
  if (r.host === w.host) return { record: r, message: `node session ${name} is held by tmux server "${r.socket ?? 'default'}" on this host: roost${r.socket ? ` -L ${r.socket}` : ''} node ${name}` };
  return { record: r, message: `node session ${name} is held on ${r.host}: ${reachCommand(r)} (or add --go)` };
}

/**
 * For `roost ls`: set `node` on the node sessions of this listing (from a
 * fresh poll file, else one squeue call; no call at all when there is no
 * node session) and return the node sessions held on other login hosts.
 */
export async function addNodeAllocations(sessions: SessionInfo[], w: Omit<Where, 'host'>): Promise<NodeRecord[]> {
  const here: Where = { ...w, host: thisHost() };
  const nodes = sessions.filter((s) => s.kind === 'node');
  if (nodes.length) {
    followSessionNames(here.stateDir, here.host, here.socket, nodes);
    const records = recordsHere(here).filter((r) => nodes.some((s) => s.name === r.name));
    const allocations = await allocationsOf(records, here);
    for (const s of nodes) s.node = allocations.get(s.name) ?? null;
  }
  return recordsElsewhere(here);
}
