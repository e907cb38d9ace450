/**
 * The snapshot of the tmux server that ran before this one on its socket,
 * and whether this one has taken over from it.
 *
 * A tmux server that crashes while the daemon runs (the OOM killer, a stray
 * `tmux kill-server`) loses its sessions as a reboot does, but the daemon
 * goes on to snapshot the next server (a login's `roost new main`), and
 * those newer snapshots would hide the old server's: `roost restore` would
 * find nothing to restore. So a plain `roost restore` on a server that has
 * not taken over from the one before it restores from that one's newest
 * snapshot, when it has a session to bring back. Once a restore brought
 * that snapshot onto this server (`roost restore`, or the daemon's at
 * start), the server carries TOOK_OVER_OPTION, and its own snapshots are
 * the ones restored from again: a session ended on it since was ended on
 * purpose. The mark ends with the server, as the loss it stands for does.
 */
import { TOOK_OVER_OPTION, TmuxError, serverIdentity, setOption, showOption, type TmuxClient } from '../tmux/index.js';
import type { Snapshot } from './model.js';
import { serverKey, type SnapshotStore } from './store.js';

/** One run of a tmux server (Snapshot.server without its socket). */
export interface ServerRun {
  pid: number;
  started: number;
}

export const sameServer = (a: ServerRun, b: ServerRun): boolean => a.pid === b.pid && a.started === b.started;

export interface ServerHistory {
  /** The server running on the socket now, or null. */
  running: ServerRun | null;
  /** The newest readable snapshot of the socket taken of another server than the running one (any, when none runs). */
  previous: Snapshot | null;
  /** A restore brought `previous` onto the running server already. */
  tookOver: boolean;
}

/** What the running tmux server took over from (serverKey), or null. */
async function tookOverFrom(tmux: TmuxClient): Promise<string | null> {
  try {
    return (await showOption(tmux, 'global', null, TOOK_OVER_OPTION)).trim() || null;
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return null; // it ended just now: nothing was taken over
    throw e;
  }
}

export async function serverHistory(store: SnapshotStore, tmux: TmuxClient): Promise<ServerHistory> {
  const running = await serverIdentity(tmux);
  const previous = store.latest(tmux.socketPath(), (s) => running === null || !sameServer(s.server, running)).snapshot;
  const tookOver = running !== null && previous !== null && (await tookOverFrom(tmux)) === serverKey(previous.server);
  return { running, previous, tookOver };
}

/**
 * For a restore without --from that picked `latest`: the snapshot to restore
 * from instead, when `latest` is of the running server and the server before
 * it was never restored onto this one (tmux crashed; the daemon snapshotted
 * the new server since). The caller takes it when it has something to bring
 * back.
 */
export function lostToRestore(h: ServerHistory, latest: Snapshot): Snapshot | null {
  return h.running && h.previous && !h.tookOver && sameServer(latest.server, h.running) ? h.previous : null;
}

/**
 * After a restore of `restored`'s sessions (all of them, none failed) onto the
 * server running now: when it is the previous server's newest snapshot, mark
 * that this server took over from it.
 */
export async function markTookOver(tmux: TmuxClient, h: ServerHistory, restored: Snapshot): Promise<void> {
  if (!h.previous || restored.server.socket !== h.previous.server.socket || !sameServer(restored.server, h.previous.server)) return;
  await setOption(tmux, 'global', null, TOOK_OVER_OPTION, serverKey(restored.server));
}
