/**
 * When to try a lost connection again: exponential backoff with jitter, plus
 * "try now" for the moments a retry is likely to work (the page came back
 * from the back-forward cache, became visible, or the network returned).
 *
 * DOM-free on purpose (no DOM or Node types): the clock is passed in, so the
 * terminal and the events feed share it and unit tests drive it directly.
 */

/** First retry delay (ms): quick enough that a daemon restart feels instant. */
export const BACKOFF_FIRST_MS = 500;
/** Longest delay between retries (ms): a laptop waking up reconnects within this. */
export const BACKOFF_MAX_MS = 10_000;
/** Each delay is scaled by a random factor in [1 - JITTER, 1 + JITTER] so many tabs do not retry in lockstep. */
export const BACKOFF_JITTER = 0.25;
/** An attempt that has not connected after this long (ms) is abandoned and counts as failed (a hung TCP connect). */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Timers and randomness, injected (browser: window; tests: a fake clock). */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

/** Delays of 0.5 s, 1 s, 2 s, ... up to 10 s, each with ±25% jitter. */
export class Backoff {
  private attempt = 0;
  constructor(private readonly random: () => number, private readonly firstMs = BACKOFF_FIRST_MS, private readonly maxMs = BACKOFF_MAX_MS) {}

  /** The delay before the next retry; each call doubles the base. */
  next(): number {
    const base = Math.min(this.maxMs, this.firstMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const factor = 1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * this.random();
    return Math.round(Math.min(this.maxMs, base * factor));
  }

  /** After a connection that worked: start again from the first delay. */
  reset(): void {
    this.attempt = 0;
  }
}

export type ReconnectState =
  /** An attempt is in flight. */
  | 'connecting'
  /** Connected and working. */
  | 'open'
  /** Lost; a retry is scheduled. */
  | 'waiting'
  /** Stopped for good (disposed, logged out, or the far end said it is over). */
  | 'stopped';

export interface ReconnectHooks {
  /** Start one attempt. The owner reports back with opened() or failed(). */
  attempt(): void;
  /** Abandon the attempt in flight (it timed out). The owner must not report on it afterwards. */
  abandon(): void;
  /** Every state change, for the "Reconnecting…" banner. `delayMs` is set while waiting. */
  onState(state: ReconnectState, delayMs?: number): void;
}

/**
 * The retry loop. One attempt at a time: an owner that calls start() or
 * retryNow() while an attempt is in flight gets no second one, which is what
 * keeps a page to a single live socket.
 */
export class Reconnector {
  private state: ReconnectState = 'stopped';
  private timer: unknown = null;
  private readonly backoff: Backoff;

  constructor(private readonly clock: Clock, private readonly hooks: ReconnectHooks) {
    this.backoff = new Backoff(() => clock.random());
  }

  get current(): ReconnectState {
    return this.state;
  }

  /** Connect now (first connection, or after stop()). */
  start(): void {
    if (this.state === 'connecting' || this.state === 'open') return;
    this.begin();
  }

  /** The attempt succeeded: the next loss starts from the shortest delay. */
  opened(): void {
    if (this.state !== 'connecting') return;
    this.clearTimer();
    this.backoff.reset();
    this.set('open');
  }

  /** The attempt failed or the open connection was lost: retry after a delay. */
  failed(): void {
    if (this.state === 'stopped' || this.state === 'waiting') return;
    this.clearTimer();
    const delay = this.backoff.next();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.begin();
    }, delay);
    this.set('waiting', delay);
  }

  /** A good moment to retry (pageshow, visible, online): skip the rest of the wait. */
  retryNow(): void {
    if (this.state !== 'waiting') return;
    this.clearTimer();
    this.begin();
  }

  /** Stop retrying; start() resumes. */
  stop(): void {
    this.clearTimer();
    this.set('stopped');
  }

  private begin(): void {
    this.set('connecting');
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      if (this.state !== 'connecting') return;
      this.hooks.abandon();
      this.failed();
    }, CONNECT_TIMEOUT_MS);
    this.hooks.attempt();
  }

  private set(state: ReconnectState, delayMs?: number): void {
    this.state = state;
    this.hooks.onState(state, delayMs);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
