/**
 * Whether the tmux server that holds the sessions is running, as the
 * sessions feed's listings see it: its pid, or null when there is none.
 * Listeners hear each change: it went away (`tmux kill-server`, a crash,
 * its last session ended), it came back, or it was replaced between two
 * listings (a new pid). The first listing is the baseline, not a change.
 */
export interface ServerChange {
  /** The pid before (null: none ran); undefined for the baseline itself is never reported. */
  previous: number | null;
  current: number | null;
  /** Epoch ms of the listing that saw it. */
  at: number;
}

export class TmuxServerState {
  private known = false;
  private pidNow: number | null = null;
  private readonly listeners = new Set<(c: ServerChange) => void>();

  /** The pid of the running server, or null; undefined before the first listing. */
  get pid(): number | null | undefined {
    return this.known ? this.pidNow : undefined;
  }

  /** Record what a listing started at `at` saw. */
  observe(pid: number | null, at: number): void {
    if (!this.known) {
      this.known = true;
      this.pidNow = pid;
      return;
    }
    if (pid === this.pidNow) return;
    const change = { previous: this.pidNow, current: pid, at };
    this.pidNow = pid;
    for (const fn of this.listeners) fn(change);
  }

  onChange(fn: (c: ServerChange) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
