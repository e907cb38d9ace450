/**
 * Whether the tmux server may have changed since the daemon last read it,
 * told by tmux itself over the control connection (src/tmux/control.ts),
 * so the sessions feed lists only after a change, and asks tmux (and /proc)
 * only then; a listing made for the clock (a window turns "waiting" by the
 * clock alone) works the states out again from the last rows.
 *
 * What tells: every notification (sessions and windows made, closed,
 * renamed, moved...), and a subscription to one format that tmux evaluates
 * once a second and reports only when its value changed: every field of the
 * listing, for every pane of every session (#{S:#{W:#{P:...}}}), so output
 * (window_activity), a bell (the bell counter), a program starting or
 * ending, a pane dying, an option Roost reads and a folder change all show.
 * Folders are printed with newlines replaced (a notification is one line).
 * The connection going up or down counts as a change; without a connection
 * every listing asks tmux, as before; and whatever happens, tmux is asked at
 * least every `safetyMs`. onChange tells the sessions feed, which lists
 * only then (and when the clock alone changes a state).
 */
import { PANE_FORMAT, type TmuxControl } from '../tmux/index.js';
import { FIELD_SEP, RECORD_END } from '../tmux/format.js';

/** The subscription's name on the control client. */
export const CHANGE_SUBSCRIPTION = 'roost-listing';
/**
 * tmux is asked at least this often (ms), notified or not: a safety net for
 * anything no field shows. Rare: with paths in it a listing is a process.
 */
export const SAFETY_LISTING_MS = 5 * 60_000;

/** The listing's fields for every pane of every session, raw paths with their newlines replaced. */
export function changeFormat(): string {
  const fields = Object.values(PANE_FORMAT).map(([v]) => (v.endsWith('_path') ? `#{s/\n/_:${v}}` : `#{${v}}`));
  return `#{S:#{W:#{P:${fields.join(FIELD_SEP)}${RECORD_END}}}}`;
}

export class TmuxChanges {
  /** Bumped by each change; a listing that began at an older one is stale. */
  private generation = 1;
  private listedGeneration = 0;
  private listedAt = -Infinity;
  private readonly unlisten: (() => void)[] = [];

  private readonly listeners = new Set<() => void>();

  constructor(private readonly control: TmuxControl, private readonly safetyMs = SAFETY_LISTING_MS) {
    control.subscribe(CHANGE_SUBSCRIPTION, changeFormat());
    const changed = () => {
      this.generation++;
      for (const fn of this.listeners) fn();
    };
    this.unlisten.push(control.onNotification(changed), control.onState(changed));
  }

  /** Whether tmux tells of its changes now (the connection is up): else only asking it finds them. */
  get telling(): boolean {
    return this.control.up;
  }

  /** Told of every change (each notification, the connection going up or down). Returns unsubscribe. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Whether a listing now must ask tmux: something changed, no connection tells, or the safety interval passed. */
  mustAsk(now: number): boolean {
    return !this.control.up || this.generation !== this.listedGeneration || now - this.listedAt >= this.safetyMs;
  }

  /** When (epoch ms) the safety interval makes a listing ask tmux though nothing was told. */
  safetyAt(): number {
    return this.listedAt + this.safetyMs;
  }

  /** A listing asks tmux now; call the returned function once it has its answer (not when it failed). */
  asking(now: number): () => void {
    const g = this.generation;
    return () => {
      this.listedGeneration = g;
      this.listedAt = now;
    };
  }

  close(): void {
    for (const fn of this.unlisten) fn();
    this.listeners.clear();
  }
}
