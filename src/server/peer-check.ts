/**
 * Who is on the other end of the daemon's unix socket. A request arriving
 * there counts as the owner, so beyond the socket's 0700 folder and 0600
 * mode, the peer process itself must run as the daemon's own user.
 *
 * Node exposes no SO_PEERCRED, and no kept npm package reads it without a
 * prebuilt binary or an ffi stack that no longer builds. So, natively free,
 * in two steps that need no privilege:
 *
 *   1. the peer's socket: the kernel's sock_diag, through `ss -xnH` (Debian's
 *      iproute2), prints each connected unix socket as `... LOCAL_INODE
 *      PEER PEER_INODE`; the line of our accepted socket (its inode from
 *      fstat) names the peer's socket inode;
 *   2. its process: a process of our own user holds `socket:[PEER_INODE]`
 *      among its /proc/PID/fd links. Only processes whose /proc/PID belongs
 *      to our uid are looked at (the kernel makes that the process's
 *      effective uid), and another user's fds cannot even be read, so a peer
 *      of any other user is never found and is refused.
 *
 * Checks of connections accepted together share one `ss` run. Without `ss`
 * the check cannot be made: the verdict is 'unknown', the caller lets the
 * folder's mode decide and says so once in the log.
 */
import { runProgram } from '../process/run.js';
import { fstatSync } from 'node:fs';
import { readdir, readlink, stat } from 'node:fs/promises';
import type { Socket } from 'node:net';
import type { HttpApp } from './http/app.js';
import { HttpError } from './errors.js';
import type { Log } from './log.js';

export type PeerVerdict = 'owner' | 'other' | 'unknown';

export interface PeerCheckOptions {
  /** The uid a peer must run as (default: the daemon's effective uid). */
  uid?: number;
  /** The `ss` binary (default: `ss` on PATH). */
  ss?: string;
  log?: Log;
}

/** In `ss -xnH` output, the peer inode of the socket whose own inode is `inode` (the peer column may be `*` or a path). */
export function peerInodeIn(ssOutput: string, inode: number): number | null {
  const re = new RegExp(`\\s${inode}\\s+(?:\\*|\\S.*?)\\s+(\\d+)\\s*(?:<->\\s*)?$`);
  for (const line of ssOutput.split('\n')) {
    const m = re.exec(line);
    if (m) return Number(m[1]);
  }
  return null;
}

export class PeerCheck {
  private readonly uid: number;
  private readonly ss: string;
  private readonly verdicts = new WeakMap<Socket, Promise<PeerVerdict>>();
  /** Sockets waiting for the next `ss` run, by their inode. */
  private pending = new Map<number, (v: PeerVerdict) => void>();
  private running = false;
  private warned = false;

  constructor(private readonly o: PeerCheckOptions = {}) {
    this.uid = o.uid ?? process.geteuid?.() ?? 0;
    this.ss = o.ss ?? 'ss';
  }

  /** The verdict on `socket`'s peer, computed once per connection. */
  verdict(socket: Socket): Promise<PeerVerdict> {
    let v = this.verdicts.get(socket);
    if (!v) {
      v = this.check(socket);
      this.verdicts.set(socket, v);
    }
    return v;
  }

  private check(socket: Socket): Promise<PeerVerdict> {
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) return Promise.resolve('other'); // closed already: nobody to answer
    let inode: number;
    try {
      inode = fstatSync(fd).ino;
    } catch {
      return Promise.resolve('other');
    }
    return new Promise((resolve) => {
      this.pending.set(inode, resolve);
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.running || this.pending.size === 0) return;
    this.running = true;
    const batch = this.pending;
    this.pending = new Map();
    try {
      const out = await this.listSockets();
      if (out === null) {
        for (const resolve of batch.values()) resolve('unknown');
        return;
      }
      const peers = new Map<number, number>();
      for (const inode of batch.keys()) {
        const peer = peerInodeIn(out, inode);
        if (peer !== null) peers.set(inode, peer);
      }
      const wanted = new Set(peers.values());
      const ours = await this.socketsOfOwnProcesses(wanted);
      // A peer can change hands during a scan: an agent's hook that gets no answer in time hands its
      // connection to a process it starts, then exits (src/attention/answer-hold.ts). A scan that read
      // /proc before that process started and reached the hook after it exited finds neither: look
      // once more, at the processes there now.
      const missed = new Set([...wanted].filter((i) => !ours.has(i)));
      if (missed.size > 0) for (const i of await this.socketsOfOwnProcesses(missed)) ours.add(i);
      for (const [inode, resolve] of batch) {
        const peer = peers.get(inode);
        resolve(peer !== undefined && ours.has(peer) ? 'owner' : 'other');
      }
    } finally {
      this.running = false;
      // Connections accepted during this run were not in its listing: one more run for them.
      if (this.pending.size > 0) void this.run();
    }
  }

  /** `ss -xnH` output, or null (logged once) when it cannot run. */
  private async listSockets(): Promise<string | null> {
    const r = await runProgram([this.ss, '-xnH'], { maxOutputBytes: 64 * 1024 * 1024, timeoutMs: 10_000 });
    if (r.ok) return r.stdout;
    if (!this.warned) {
      this.warned = true;
      this.o.log?.warn({ err: new Error(r.message) }, 'cannot check who connects to the unix socket (needs ss from iproute2); only its folder\'s mode protects it');
    }
    return null;
  }

  /** Which of `wanted` (socket inodes) a process of our own uid holds open. */
  private async socketsOfOwnProcesses(wanted: Set<number>): Promise<Set<number>> {
    const found = new Set<number>();
    if (wanted.size === 0) return found;
    // Newest first: the peer is nearly always a process that just started (a CLI command, an agent's
    // hook), so the scan usually ends after a few processes instead of reading every descriptor of
    // every process the user runs (hundreds of awaits on a busy machine: a hook's 500 ms went on it).
    const pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p)).sort((a, b) => Number(b) - Number(a));
    for (const pid of pids) {
      // A process that is gone, or whose /proc entry is not ours, is simply not a match.
      const owner = await stat(`/proc/${pid}`).then((s) => s.uid, () => -1);
      if (owner !== this.uid) continue;
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
      for (const fd of fds) {
        const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
        const m = /^socket:\[(\d+)\]$/.exec(link);
        if (m && wanted.has(Number(m[1]))) found.add(Number(m[1]));
      }
      if (found.size === wanted.size) break;
    }
    return found;
  }
}

/** On the unix-socket app: every request (and upgrade) first proves its peer runs as the daemon's user. */
export function installPeerCheck(app: HttpApp, check: PeerCheck): void {
  app.addHook('onRequest', async (req) => {
    if ((await check.verdict(req.raw.socket)) === 'other') {
      throw new HttpError(403, 'not-owner', 'this socket serves only the user the daemon runs as');
    }
  });
}
