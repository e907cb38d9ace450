/**
 * The one look at Slurm for the node sessions held by one host's tmux
 * server. Each tick, the holder of the lease (poll-file.ts: the daemon, or
 * else one of the sessions' own windows) asks squeue about every live job of
 * those sessions in ONE call, then:
 *   - sets each session's status line (status-line.ts: the state, and the
 *     end that tmux counts down to),
 *   - sends what is news (granted, expiring, ended, fallen back),
 *   - releases the allocation of a session that is gone (killed from the
 *     dashboard, tmux kill-session, a lost server) and drops its record,
 *   - names the job of a renamed session after its new name (nameJob),
 *   - writes what it saw to the poll file, for the others to read.
 * A process that does not hold the lease reads the file instead.
 *
 * The interval: `poll_seconds` while a job is queued, ending or past its
 * limit, or a warning or the end is near, stretched up to four times that
 * when nothing is about to change. The ends themselves are seen at once by
 * the windows (the step ends), and a window that sees its own job change
 * looks at once (changed()), taking the lease from another window if need be.
 */
import type { Config } from '../config/config.js';
import type { NotifyEvent } from '../notify/event.js';
import type { NodeAllocation, SessionInfo } from '../shared/api.js';
import { allocationOver, allocationStatusLine, timeLeftAt } from '../shared/node-status.js';
import { listSessions, type TmuxClient } from '../tmux/index.js';
import { allocationOf } from './allocation.js';
import { newsKey, notifyEventFor, SLURM_SOURCE, type NodeNews } from './notify-events.js';
import { mayHold, pollFilePath, takeLookLock, readPollFile, writePollFile, type PollFile, type PollerRole, type Told } from './poll-file.js';
import { followSessionNames, heldHere, listRecords, removeRecord, sessionOfRecord, type NodeRecord } from './records.js';
import { isRoostJobName, jobName } from './request.js';
import { cancelJob, isAlive, queryJobs, renameJob } from './slurm-cli.js';
import { countsDown, showNodeStatus } from './status-line.js';

/** A record without a job whose session does not exist is left this long (ms) before it is dropped: its CLI may be creating the session. */
const UNBORN_GRACE_MS = 120_000;
/** Seconds the end of a running job may seem to move between two looks, from rounding alone. */
const END_JITTER_S = 2;
/** The interval stretches up to this many times poll_seconds when nothing is about to change. */
const STRETCH = 4;

export interface PollerOptions {
  stateDir: string;
  host: string;
  /** The tmux server whose node sessions this poller looks after. */
  tmux: TmuxClient;
  /** For Slurm's commands (without an allocation's variables). */
  env: NodeJS.ProcessEnv;
  role: PollerRole;
  config: () => Config;
  notify: (e: NotifyEvent) => void;
  /** A session's thread of news is over (its record is gone). */
  forget?: (source: string, thread: string) => void;
  /** Something went wrong in the background; the poller goes on. */
  onError?: (what: string, e: unknown) => void;
  pid?: number;
  now?: () => number;
}

export interface TickResult {
  /** This process asked Slurm (it holds the lease). */
  polled: boolean;
  /** When to tick again (ms). */
  nextMs: number;
}

export class NodePoller {
  readonly path: string;
  private readonly pid: number;
  private readonly now: () => number;
  /** What each session's status line shows, by session name: its id and text, and the end it counts down to. */
  private readonly statusShown = new Map<string, { shown: string; end: number | null }>();
  private current: PollFile | null = null;
  /** Whether this tmux counts the time left down itself (status-line.ts); asked once. */
  private countdown: boolean | null = null;
  /** When this process's window saw its job change; null once a look that started after that has been made. */
  private changedAt: number | null = null;
  /** Renames asked of Slurm (job id, name): one Slurm refused is not asked again at every look. */
  private readonly renamed = new Set<string>();

  constructor(private readonly o: PollerOptions) {
    this.path = pollFilePath(o.stateDir, o.host, o.tmux.socket ?? null);
    this.pid = o.pid ?? process.pid;
    this.now = o.now ?? Date.now;
  }

  private get baseMs(): number {
    return this.o.config().node.poll_seconds * 1000;
  }

  /** The poll file as this process last wrote or read it. */
  file(): PollFile | null {
    return this.current;
  }

  /**
   * A window saw its own job change (queued, granted, ended, cancelled):
   * until a look made after now, its ticks look themselves, taking the lease
   * from another window. That window's next look may be 4 × poll_seconds
   * away, and the queued screen and the status line would wait for it.
   * Changes come a few per allocation, so squeue is still asked by one
   * process at a time and not much more often. A daemon holder is left
   * alone: it looks at once when a record changes.
   */
  changed(): void {
    this.changedAt = this.now();
  }

  /** Look at Slurm if this process holds (or may take) the lease; else read what the holder saw. */
  async tick(): Promise<TickResult> {
    const unlock = takeLookLock(this.path, this.pid, this.now());
    // Another process is looking right now: read what it saw in a moment.
    if (!unlock) return { polled: false, nextMs: 1000 };
    try {
      return await this.tickLocked();
    } finally {
      unlock();
    }
  }

  private async tickLocked(): Promise<TickResult> {
    const seen = readPollFile(this.path);
    // A look that started after the change has seen it, whoever made it.
    if (this.changedAt !== null && (seen?.polledAt ?? -Infinity) >= this.changedAt) this.changedAt = null;
    const catchUp = this.changedAt !== null && seen?.holder.role === 'window';
    if (!catchUp && !mayHold(seen, this.pid, this.o.role, this.now())) {
      this.current = seen;
      // Check again a little after the holder's next look.
      return { polled: false, nextMs: Math.max(1000, Math.min(this.baseMs, (seen?.nextAt ?? 0) - this.now() + 1000)) };
    }
    this.changedAt = null;
    const nextMs = await this.poll(seen);
    return { polled: true, nextMs };
  }

  /** One look; returns when to look next (ms). */
  private async poll(previous: PollFile | null): Promise<number> {
    const now = this.now();
    const socket = this.o.tmux.socket ?? null;
    // Another process held the lease since this one last looked and set status lines of its own: set them all again.
    if (previous && previous.holder.pid !== this.pid) this.statusShown.clear();
    const here = () => listRecords(this.o.stateDir).filter((r) => heldHere(r, this.o.host, socket));
    let records = here();
    // Nothing to look after, and nobody looked before: no file to write (a daemon on a host without Slurm).
    if (records.length === 0 && !previous) return this.baseMs * STRETCH;
    const sessions = records.length ? await listSessions(this.o.tmux) : [];
    // A session renamed without Roost (tmux rename-session) or by the dashboard: its record follows it.
    if (followSessionNames(this.o.stateDir, this.o.host, socket, sessions)) records = here();
    const asked = records.filter((r) => r.jobId !== null && !r.ended && r.phase !== 'failed').map((r) => r.jobId!);
    const q = await queryJobs(asked, this.o.env);
    const file: PollFile = {
      holder: { pid: this.pid, role: this.o.role },
      polledAt: q.ok ? now : previous?.polledAt ?? null,
      nextAt: now,
      jobs: q.ok ? Object.fromEntries(q.jobs) : previous?.jobs ?? {},
      gone: q.ok ? asked.filter((id) => !q.jobs.has(id)) : previous?.gone ?? [],
      told: { ...previous?.told },
    };
    if (!q.ok) this.o.onError?.('asking Slurm about node sessions failed', new Error(q.error));

    const live: { r: NodeRecord; a: NodeAllocation }[] = [];
    for (const r of records) {
      const session = sessionOfRecord(r, sessions);
      const a = allocationOf(r, { job: r.jobId ? file.jobs[r.jobId] : undefined, gone: r.jobId !== null && file.gone.includes(r.jobId), polledAt: file.polledAt });
      if (!session) {
        await this.release(r, a, file, now);
        continue;
      }
      live.push({ r, a });
      if (q.ok) await this.nameJob(r, file);
      await this.showStatus(session, a, now);
      this.tell(r, a, file, now);
    }
    // Sessions whose record went another way (a window released it): their news is over.
    for (const [name, t] of Object.entries(file.told)) {
      if (records.some((r) => r.name === name)) continue;
      delete file.told[name];
      this.o.forget?.(SLURM_SOURCE, `${name}:${t.job}`);
    }
    const nextMs = nextDelay(live, file, now, this.baseMs);
    file.nextAt = now + nextMs;
    this.current = file;
    writePollFile(this.path, file);
    return nextMs;
  }

  /** The session is gone: give its allocation back and forget it. */
  private async release(r: NodeRecord, a: NodeAllocation, file: PollFile, now: number): Promise<void> {
    if (r.jobId === null && now - r.createdAt < UNBORN_GRACE_MS) return;
    if (r.jobId !== null && !allocationOver(a) && (a.state === 'REQUESTING' || isAlive(a.state))) {
      const err = await cancelJob(r.jobId, this.o.env);
      if (err) this.o.onError?.(`releasing job ${r.jobId} of the gone node session ${r.name} failed`, new Error(err));
    }
    removeRecord(this.o.stateDir, r.name);
    const told = file.told[r.name];
    delete file.told[r.name];
    this.statusShown.delete(r.name);
    if (told) this.o.forget?.(SLURM_SOURCE, `${r.name}:${told.job}`);
  }

  /**
   * A session renamed (roost rename, the dashboard, tmux rename-session):
   * its live job takes the new name too, so squeue shows it and whatever
   * looks for the job by name finds it. Only a name Roost gave (roost-OLD):
   * a site launcher's job keeps the name the site chose. A refusal is
   * reported, never fatal: the session works as well under its old job name.
   */
  private async nameJob(r: NodeRecord, file: PollFile): Promise<void> {
    const j = r.jobId && !r.ended ? file.jobs[r.jobId] : undefined;
    const want = jobName(r.name);
    if (!j || !isAlive(j.state) || j.name === want || !isRoostJobName(j.name)) return;
    const asked = `${j.id} ${want}`;
    if (this.renamed.has(asked)) return;
    this.renamed.add(asked);
    const err = await renameJob(j.id, want, this.o.env);
    if (err) this.o.onError?.(`naming job ${j.id} after node session ${r.name} failed`, new Error(err));
    else j.name = want;
  }

  private async showStatus(session: SessionInfo, a: NodeAllocation, now: number): Promise<void> {
    try {
      this.countdown ??= await countsDown(this.o.tmux);
      const line = allocationStatusLine(a, now, this.countdown);
      const text = statusText(line.text);
      const shown = `${session.id} ${text}`;
      const before = this.statusShown.get(session.name);
      // The end moves by a second between looks (squeue counts whole seconds, our clock does not): not worth setting.
      const sameEnd = before && (before.end === null || line.end === null ? before.end === line.end : Math.abs(before.end - line.end) <= END_JITTER_S);
      if (before?.shown === shown && sameEnd) return;
      await showNodeStatus(this.o.tmux, session.id, text, line.end);
      this.statusShown.set(session.name, { shown, end: line.end });
    } catch (e) {
      // The session went between the listing and now: the next look drops it.
      this.o.onError?.(`setting the status line of node session ${session.name} failed`, e);
    }
  }

  private tell(r: NodeRecord, a: NodeAllocation, file: PollFile, now: number): void {
    const before = file.told[r.name];
    // A new allocation in the same session (--renew) starts a new thread; the old one is over.
    if (before && a.jobId !== null && before.job !== a.jobId) this.o.forget?.(SLURM_SOURCE, `${r.name}:${before.job}`);
    const { news, told } = newsFor(r, a, before, now);
    if (told) file.told[r.name] = told;
    for (const n of news) this.o.notify(notifyEventFor(n));
  }
}

/** When to look next (ms): `base` while something is about to change, stretched up to STRETCH times that when nothing is. */
export function nextDelay(live: readonly { r: NodeRecord; a: NodeAllocation }[], file: PollFile, now: number, base: number): number {
  if (live.some(({ a }) => a.state === 'PENDING' || a.state === 'REQUESTING' || a.state === 'COMPLETING')) return base;
  // Past its limit but still RUNNING (no time left to count down from): Slurm ends it within about 30 s.
  if (live.some(({ r, a }) => a.state === 'RUNNING' && r.jobId !== null && file.jobs[r.jobId]?.overdue)) return base;
  let soonest = Infinity;
  for (const { r, a } of live) {
    if (a.state !== 'RUNNING') continue;
    const left = timeLeftAt(a, now);
    if (left === null) continue;
    const told = file.told[r.name]?.keys ?? [];
    soonest = Math.min(soonest, left);
    for (const w of r.request.warnMinutes) if (!told.includes(newsKey({ kind: 'node-expiring', n: w })) && left > w * 60) soonest = Math.min(soonest, left - w * 60);
  }
  if (soonest === Infinity) return base * STRETCH;
  return Math.min(base * STRETCH, Math.max(base, soonest * 1000 - base));
}

/** Slurm's words on tmux's status line: no "#" (a tmux format or style would start there), nothing unprintable. */
export function statusText(s: string): string {
  return s.replace(/[^\x20-\x7e]|#/g, '').slice(0, 80);
}

/**
 * What is news about one session's allocation, given what was told of its
 * job so far; returns the news and the keys told after it.
 */
export function newsFor(r: NodeRecord, a: NodeAllocation, told: Told | undefined, now: number): { news: NodeNews[]; told: Told | null } {
  if (a.jobId === null) return { news: [], told: null };
  const t: Told = told?.job === a.jobId ? { job: a.jobId, keys: [...told.keys] } : { job: a.jobId, keys: [] };
  const has = (k: string) => t.keys.includes(k);
  const news: NodeNews[] = [];
  const add = (n: Omit<NodeNews, 'session' | 'allocation' | 'at'>, also: string[] = []) => {
    t.keys.push(newsKey(n), ...also);
    news.push({ ...n, session: r.name, allocation: a, at: now });
  };
  const over = allocationOver(a);
  if (a.state === 'RUNNING' && r.queued && !has('node-granted')) add({ kind: 'node-granted' });
  if (a.state === 'RUNNING') {
    const left = timeLeftAt(a, now);
    const crossed = left === null ? [] : r.request.warnMinutes.filter((w) => left <= w * 60 && !has(newsKey({ kind: 'node-expiring', n: w })));
    // Several thresholds crossed at once (a short job, a poller that was away): the nearest one speaks for all.
    if (crossed.length) {
      const keys = crossed.map((w) => newsKey({ kind: 'node-expiring', n: w }));
      add({ kind: 'node-expiring', n: Math.min(...crossed), left }, keys);
    }
  }
  if (r.fallbacks > 0 && !over && !has(newsKey({ kind: 'node-fallback', n: r.fallbacks }))) add({ kind: 'node-fallback', n: r.fallbacks });
  if (over && a.state !== 'REFUSED' && !has('node-ended')) add({ kind: 'node-ended' });
  return { news, told: t };
}
