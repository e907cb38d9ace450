/**
 * The live session listing every browser watches (/api/events), from ONE
 * lister shared by all of them: while anyone listens, a listing (one
 * `list-panes -a`, src/tmux listSessions, or the daemon's answer from what
 * it last read) is made when something may have changed, and right after
 * the API changes something (refresh()). Concurrent refreshes share one
 * listing. Listeners hear only when the JSON changed.
 *
 * When it lists: a feed made with `told` lists only when its owner says the
 * listing may have changed (changed(): tmux said so), at most once per
 * `intervalMs`, and at the times someone asked for with listBy() (a window
 * that turns "waiting" when its silence reaches the threshold, a safety
 * net): nothing changes, nothing runs. Without `told` it lists every
 * `intervalMs`. One timer, set for the next of these times.
 *
 * Extension points:
 *  - addDecorator(fn): fn edits each fresh listing in place before it is
 *    compared and sent (attention states, agent hook reports, ...). Call
 *    refresh() when a decorator's own data changed.
 *  - listBy(at): a listing is wanted by epoch ms `at` even if nothing
 *    changes meanwhile (whatever the clock alone changes). Asked again as
 *    needed: a time is forgotten once a listing has started at or after it.
 *  - publish(message, {replay}): send another kind of event
 *    (src/shared/events.ts) to every /api/events listener; with replay, a
 *    listener that subscribes later gets the last such message of its type
 *    too (a state, not a moment: the tmux server is down). replay: false
 *    for that type forgets it.
 *  - watch(fn): in-daemon consumers get every changed listing as objects,
 *    with the time the listing was started; with {everyListing: true},
 *    every listing, changed or not (a session that came and went between
 *    two listings leaves them equal, and a consumer that looks for what is
 *    missing must still see it).
 */
import type { SessionInfo } from '../shared/api.js';
import { encodeEventsServer, type EventsServerMsg, type SessionsMsg } from '../shared/events.js';

export const FEED_INTERVAL_MS = 1000;

/** What other parts send through the feed: any events message but the listing, which is the feed's own. */
export type FeedMessage = Exclude<EventsServerMsg, SessionsMsg>;

/** Edits a listing in place (adds fields; never removes sessions other code relies on). */
export type SessionsDecorator = (sessions: SessionInfo[]) => void;
/** Receives each message as the JSON text that goes on the wire. */
export type FeedSubscriber = (text: string) => void;
/** Receives each changed listing; `polledAt` (epoch ms) is when that listing was started. */
export type FeedWatcher = (sessions: readonly SessionInfo[], polledAt: number) => void;

export interface SessionsFeedOptions {
  /** One listing of the tmux server. */
  list: () => Promise<SessionInfo[]>;
  /** Without `told`: the time between two listings (ms). With it: the least time between two listings made for changes. */
  intervalMs?: number;
  /** The owner calls changed() whenever the listing may have changed: no listing is made otherwise (but for listBy and refresh). */
  told?: boolean;
  /** Told about a failed listing (the last good listing stays). */
  onError?: (e: unknown) => void;
}

export class SessionsFeed {
  private readonly subscribers = new Set<FeedSubscriber>();
  private readonly watchers = new Map<FeedWatcher, { everyListing: boolean }>();
  private readonly decorators: SessionsDecorator[] = [];
  /** The last message of each type published with replay, as wire text. */
  private readonly replays = new Map<string, string>();
  /** Whether anyone listens: listings are made on their own only then. */
  private active = false;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  /** Told of a change that no listing started since has seen (or the last listing failed). */
  private dirty = false;
  /** Times (epoch ms) by which a listing was asked for (listBy). */
  private readonly due = new Set<number>();
  private lastStart = -Infinity;
  private inFlight: Promise<SessionInfo[]> | null = null;
  private queued: Promise<SessionInfo[]> | null = null;
  private lastJson: string | null = null;
  private lastText: string | null = null;
  private last: SessionInfo[] | null = null;
  private readonly intervalMs: number;
  /** Listings made so far (tests check that browsers share them, and that none is made while nothing changes). */
  polls = 0;

  constructor(private readonly opts: SessionsFeedOptions) {
    this.intervalMs = opts.intervalMs ?? FEED_INTERVAL_MS;
  }

  get listeners(): number {
    return this.subscribers.size + this.watchers.size;
  }

  /** The last listing, or null before the first one. */
  current(): readonly SessionInfo[] | null {
    return this.last;
  }

  /** Listen for wire messages; the current listing comes at once (or after the first listing). Returns unsubscribe. */
  subscribe(fn: FeedSubscriber): () => void {
    this.subscribers.add(fn);
    if (!this.start() && this.lastText !== null) fn(this.lastText);
    for (const text of this.replays.values()) fn(text);
    return () => {
      this.subscribers.delete(fn);
      this.stopIfIdle();
    };
  }

  watch(fn: FeedWatcher, opts: { everyListing?: boolean } = {}): () => void {
    this.watchers.set(fn, { everyListing: opts.everyListing ?? false });
    this.start();
    return () => {
      this.watchers.delete(fn);
      this.stopIfIdle();
    };
  }

  addDecorator(fn: SessionsDecorator): () => void {
    this.decorators.push(fn);
    return () => {
      const i = this.decorators.indexOf(fn);
      if (i >= 0) this.decorators.splice(i, 1);
    };
  }

  /** The listing may have changed (a feed made with `told`): list soon, at most once per intervalMs. */
  changed(): void {
    this.dirty = true;
    this.arm();
  }

  /** List by epoch ms `at` even if nothing changes meanwhile (a time in the past: soon). */
  listBy(at: number): void {
    if (!Number.isFinite(at)) return;
    this.due.add(at);
    this.arm();
  }

  /** Send a message of another type to every /api/events listener. */
  publish(message: FeedMessage, opts: { replay?: boolean } = {}): void {
    const text = encodeEventsServer(message);
    if (opts.replay) this.replays.set(message.type, text);
    else this.replays.delete(message.type);
    for (const fn of this.subscribers) fn(text);
  }

  /**
   * List now and return the (decorated) sessions. A call made while a listing
   * runs waits for the next one, so it always sees changes made before it.
   */
  refresh(): Promise<SessionInfo[]> {
    if (!this.inFlight) {
      this.inFlight = this.poll().finally(() => {
        this.inFlight = null;
        this.arm();
      });
      // No timer while a listing runs: the listing sets the next one when done.
      this.arm();
      return this.inFlight;
    }
    // The running listing's failure is its own callers' (and onError's); this one waits for it either way.
    this.queued ??= this.inFlight.catch(() => undefined).then(() => {
      this.queued = null;
      return this.refresh();
    });
    return this.queued;
  }

  close(): void {
    this.subscribers.clear();
    this.watchers.clear();
    this.stopIfIdle();
  }

  /** Start listing if this is the first listener; returns true if it started (a fresh listing is on its way). */
  private start(): boolean {
    if (this.active) return false;
    this.active = true;
    // Anything cached is from before nobody listened: start afresh so the first listing goes out.
    this.lastJson = this.lastText = null;
    // A failed listing went to onError and the last good one stays; it is tried again (changed, or the interval).
    this.refresh().catch(() => undefined);
    return true;
  }

  private stopIfIdle(): void {
    if (this.listeners > 0 || !this.active) return;
    this.active = false;
    this.arm();
  }

  /** When the next listing is due on its own (epoch ms; Infinity: none). */
  private nextAt(): number {
    let at = this.opts.told && !this.dirty ? Infinity : this.lastStart + this.intervalMs;
    for (const d of this.due) at = Math.min(at, d);
    return at;
  }

  /** Set the one timer for the next listing due (none while nobody listens, or while one runs: it sets it when done). */
  private arm(): void {
    const at = this.active && !this.inFlight ? this.nextAt() : Infinity;
    if (at === this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = at;
    if (at === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      // A timer may wake a little before the wall clock says (timers keep their own clock): wait the rest.
      if (Date.now() < this.nextAt()) this.arm();
      else this.refresh().catch(() => undefined);
    }, Math.max(0, at - Date.now()));
  }

  private async poll(): Promise<SessionInfo[]> {
    const polledAt = Date.now();
    this.lastStart = polledAt;
    this.dirty = false;
    for (const d of this.due) if (d <= polledAt) this.due.delete(d);
    let sessions: SessionInfo[];
    try {
      sessions = await this.opts.list();
      this.polls++;
      for (const d of this.decorators) d(sessions);
    } catch (e) {
      // Tried again after the interval, as if told of a change.
      this.dirty = true;
      this.opts.onError?.(e);
      throw e;
    }
    const json = JSON.stringify(sessions);
    this.last = sessions;
    const changed = json !== this.lastJson;
    if (changed) {
      this.lastJson = json;
      this.lastText = `{"type":"sessions","sessions":${json}}`;
      for (const fn of this.subscribers) fn(this.lastText);
    }
    for (const [fn, o] of this.watchers) if (changed || o.everyListing) fn(sessions, polledAt);
    return sessions;
  }
}
