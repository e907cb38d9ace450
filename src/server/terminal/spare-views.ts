/**
 * Spare views: for each session a browser terminal showed lately, one
 * per-device view made ahead, so the next terminal on it starts by renaming
 * the spare instead of creating a session. tmux 3.3a's new-session spawns
 * a shell and waits for utempter even for a grouped session (views.ts):
 * about half of what attaching cost, on the way to the first screen.
 *
 * A spare is made a moment after a terminal on its session showed its
 * first output (off that terminal's way), at most one per session and MAX_SPARES in all (the
 * least recently used goes first). A spare whose session is gone is killed
 * at the next listing: as a member of the session's group it would keep
 * the session's windows, and their programs, alive. The daemon kills its
 * spares when it stops; a daemon killed outright leaves them unattached,
 * and the next one's sweep of orphaned views kills them.
 *
 * Each spare has its tmux client attached ahead too (warm-client.ts), so the
 * next terminal spawns no process either: a warm client ends when the
 * daemon does (its pty closes), and its view with it (destroy-unattached).
 */
import { randomBytes } from 'node:crypto';
import { killSession, prepareSpareView, TmuxError, type TmuxClient } from '../../tmux/index.js';
import type { SessionsFeed } from '../../sessions/feed.js';
import type { Log } from '../log.js';
import { WarmClient } from './warm-client.js';

/** Sessions with a spare at once; each spare is a tmux session and its warm tmux client (warm-client.ts). */
export const MAX_SPARES = 8;
/**
 * How long (ms) after a terminal's first output its session's next spare is
 * made: that screen is drawn first (making one stalls the tmux server a few
 * ms), and the spare is ready before a page reloads.
 */
export const SPARE_DELAY_MS = 20;

export interface SpareViewsOptions {
  tmux: TmuxClient;
  log: Log;
  feed: SessionsFeed;
  max?: number;
  delayMs?: number;
  /** Working directory of warm clients (as of every terminal's tmux client). */
  home: string;
  /** Attach a warm client to each spare (default true). */
  warm?: boolean;
}

/** A spare view, and its tmux client when one is attached ahead. */
export interface Spare {
  name: string;
  warm: WarmClient | null;
}

/** The terminal whose first output asked for the next spare: its size and window, what the next is most likely to have. */
export interface SpareSize {
  cols: number;
  rows: number;
  /** The window it shows (@N); the spare shows it too. */
  windowId?: string | null;
}

export class SpareViews {
  /** Session id → its spare; Map order is least recently used first. */
  private readonly spares = new Map<string, Spare>();
  /** Sessions whose spare waits for its delay (the timer) or is being made (settles when made or failed). */
  private readonly making = new Map<string, NodeJS.Timeout | Promise<void>>();
  private unwatch: (() => void) | null = null;
  private closed = false;

  constructor(private readonly o: SpareViewsOptions) {}

  /**
   * The spare of session `baseId`, now the caller's (to claim with
   * claimSpareView; its warm client, if any, to take), or null. A spare
   * being made, or whose client is starting, is waited for. Only a
   * terminal that may type takes one (read-only ones share a view of their
   * own: viewer-shares.ts).
   */
  async take(baseId: string): Promise<Spare | null> {
    // One being made now is ready in a few ms: sooner than a view and client made for this terminal alone.
    const making = this.making.get(baseId);
    if (making instanceof Promise) await making;
    const spare = this.spares.get(baseId);
    if (!spare) return null;
    if (spare.warm && !(await spare.warm.whenReady())) return null;
    // Another terminal on the session took it meanwhile.
    if (this.spares.get(baseId) !== spare) return null;
    this.spares.delete(baseId);
    this.watchWhileHeld();
    return spare;
  }

  /** A terminal on `baseId` (of `size`) drew its first output: make the session's next spare, SPARE_DELAY_MS later. */
  prepare(baseId: string, size: SpareSize): void {
    if (this.closed || this.spares.has(baseId) || this.making.has(baseId)) return;
    const timer = setTimeout(() => this.making.set(baseId, this.make(baseId, size)), this.o.delayMs ?? SPARE_DELAY_MS);
    // A spare is never worth keeping a stopping process alive for.
    timer.unref();
    this.making.set(baseId, timer);
  }

  /** The session was killed through Roost: its spare goes now, not at the next listing. */
  drop(baseId: string): Promise<void> {
    this.cancel(baseId);
    const spare = this.spares.get(baseId);
    this.spares.delete(baseId);
    this.watchWhileHeld();
    return spare ? this.kill(spare) : Promise.resolve();
  }

  /** Daemon shutdown: kill every spare; none is made afterwards. */
  async closeAll(): Promise<void> {
    this.closed = true;
    for (const id of [...this.making.keys()]) this.cancel(id);
    const all = [...this.spares.values()];
    this.spares.clear();
    this.watchWhileHeld();
    await Promise.all(all.map((x) => this.kill(x)));
  }

  /** Spares held now (tests and stats). */
  get size(): number {
    return this.spares.size;
  }

  /** Make `baseId`'s spare; making's entry for it is this call's promise, and a cancel deletes it meanwhile. */
  private async make(baseId: string, size: SpareSize): Promise<void> {
    const name = `roost-spare-${randomBytes(4).toString('hex')}`;
    let id: string;
    try {
      id = await prepareSpareView(this.o.tmux, baseId, name, size.windowId ?? undefined);
    } catch (e) {
      this.making.delete(baseId);
      // The session ended meanwhile, or the server went: no spare, and the next terminal makes its view itself.
      if (!(e instanceof TmuxError)) this.o.log.warn({ err: e as Error }, 'making a spare view failed');
      return;
    }
    const wanted = this.making.has(baseId) && !this.closed;
    this.making.delete(baseId);
    // Dropped or shut down while tmux made it.
    if (!wanted) return void this.kill({ name, warm: null });
    const spare: Spare = { name, warm: null };
    if (this.o.warm ?? true) spare.warm = this.warmClient(baseId, spare, id, size);
    this.spares.set(baseId, spare);
    while (this.spares.size > (this.o.max ?? MAX_SPARES)) {
      const [oldest, old] = this.spares.entries().next().value as [string, Spare];
      this.spares.delete(oldest);
      void this.kill(old);
    }
    this.watchWhileHeld();
  }

  /** A client attached ahead to `spare` (view `viewId`); null when it cannot be started (the spare stays, without one). */
  private warmClient(baseId: string, spare: Spare, viewId: string, size: SpareSize): WarmClient | null {
    try {
      return new WarmClient({
        tmux: this.o.tmux, viewId, cols: size.cols, rows: size.rows, cwd: this.o.home,
        // Its view went with it (destroy-unattached): nothing left to claim.
        onGone: () => {
          if (this.spares.get(baseId) !== spare) return;
          this.spares.delete(baseId);
          this.watchWhileHeld();
        },
      });
    } catch (e) {
      this.o.log.warn({ err: e as Error }, 'attaching a client to a spare view failed');
      return null;
    }
  }

  private cancel(baseId: string): void {
    const making = this.making.get(baseId);
    // One being made is left to finish: it finds itself cancelled and kills what it made.
    if (making && !(making instanceof Promise)) clearTimeout(making);
    this.making.delete(baseId);
  }

  /** Listen to the sessions feed while spares exist: a spare whose session is gone is killed. */
  private watchWhileHeld(): void {
    if (this.spares.size > 0 && !this.unwatch) {
      this.unwatch = this.o.feed.watch((sessions) => {
        const ids = new Set(sessions.map((s) => s.id));
        for (const id of [...this.spares.keys()]) if (!ids.has(id)) void this.drop(id);
      });
    } else if (this.spares.size === 0 && this.unwatch) {
      this.unwatch();
      this.unwatch = null;
    }
  }

  private kill(spare: Spare): Promise<void> {
    spare.warm?.kill();
    // Gone already (its session's windows all closed, or its warm client's end took it) is what we wanted.
    return killSession(this.o.tmux, spare.name).catch(() => undefined);
  }
}
