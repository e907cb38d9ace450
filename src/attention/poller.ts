/**
 * A standalone listing loop for the observer: one `list-panes -a` per tick
 * (default 1 s), handed to the observer, with the bell hook kept installed.
 * `roost watch` and the tests run this; the daemon instead feeds the
 * observer from its own sessions feed, which lists once for everyone.
 */
import { listSessions, type TmuxClient } from '../tmux/index.js';
import type { SessionInfo } from '../shared/api.js';
import { BellHookKeeper } from './bell-hook.js';
import type { AttentionObserver } from './observer.js';

/** One listing per second: waiting is reported within threshold + ~1 s, at ~0.5% of a tmux core for 150 panes. */
export const TICK_MS = 1000;

export interface PollerOptions {
  tmux: TmuxClient;
  observer: AttentionObserver;
  intervalMs?: number;
  /** Install the bell-counter hook when missing (default true). */
  bellHook?: boolean;
  /** Each listing, after the observer has seen (and annotated) it. */
  onSessions?: (sessions: SessionInfo[]) => void;
  /** A failed listing or hook install; the loop goes on. */
  onError?: (e: unknown) => void;
}

export class AttentionPoller {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private current: Promise<void> | null = null;
  private readonly keeper: BellHookKeeper | null;
  private readonly intervalMs: number;

  constructor(private readonly opts: PollerOptions) {
    this.intervalMs = opts.intervalMs ?? TICK_MS;
    this.keeper = opts.bellHook === false ? null : new BellHookKeeper(opts.tmux, opts.onError);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stop ticking; resolves after a tick in flight has finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
  }

  /** One tick now (tests and the first listing). */
  async tick(): Promise<void> {
    try {
      const sessions = await listSessions(this.opts.tmux);
      if (this.keeper) await this.keeper.check(sessions);
      this.opts.observer.update(sessions);
      this.opts.observer.annotate(sessions);
      this.opts.onSessions?.(sessions);
    } catch (e) {
      this.opts.onError?.(e);
    }
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      // Ticks never overlap: the next is scheduled when this one is done, at a fixed phase.
      const started = Date.now();
      this.current = this.tick().finally(() => {
        this.current = null;
        if (this.running) this.schedule(Math.max(0, this.intervalMs - (Date.now() - started)));
      });
    }, delay);
  }
}
