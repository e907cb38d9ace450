/**
 * A fixed-window attempt limiter, keyed by the socket address (never by a
 * header a client can forge). Used for logins: once a key has made `max`
 * attempts in a window, every further attempt in that window is refused
 * before the password is looked at, so a correct guess among many wrong
 * ones is refused too. (A token is tried before counting and only its failure
 * counts: see src/server/routes/auth.ts.)
 */

export interface LimiterOptions {
  /** Attempts allowed per key per window. */
  max: number;
  windowMs: number;
  /** Keys remembered at most; the oldest windows are dropped first (bounds memory under address churn). */
  maxKeys?: number;
  now?: () => number;
}

export class AttemptLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(private readonly opts: LimiterOptions) {
    this.now = opts.now ?? Date.now;
    this.maxKeys = opts.maxKeys ?? 10_000;
  }

  /** Count one attempt; returns the ms to wait when over the limit, else 0. */
  hit(key: string): number {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (w) this.windows.delete(key);
      w = { count: 0, resetAt: now + this.opts.windowMs };
      this.prune(now);
      this.windows.set(key, w);
    }
    w.count++;
    return w.count > this.opts.max ? w.resetAt - now : 0;
  }

  private prune(now: number): void {
    if (this.windows.size < this.maxKeys) return;
    for (const [k, w] of this.windows) {
      if (w.resetAt <= now || this.windows.size >= this.maxKeys) this.windows.delete(k);
      if (this.windows.size < this.maxKeys / 2) break;
    }
  }
}
