/**
 * From notify events (event.ts) to deliveries. For each event and each
 * enabled channel, in this order:
 *   1. filter   the channel wants this kind and this session
 *   2. dedupe   the channel has not yet been told this key of the event's
 *               thread (attention: one notification per episode of a
 *               window; a window that stays waiting is not repeated;
 *               output re-arms it, but a `waiting` only after a look: 5)
 *   3. quiet    not inside the channel's quiet hours (local time)
 *   4. watched  nobody is looking at the event's window right now in a focused browser
 *   5. unlooked a damped event (event.ts: attention's `waiting`): the
 *               channel has sent no damped event of the thread since a
 *               person last looked at the subject
 * Steps 3 to 5 use up the key: nothing is sent later for it. A baseline
 * event only marks its key as told.
 *
 * Delivery never blocks the caller: handle() only enqueues. Each channel
 * has its own bounded queue and worker, so a slow or failing channel delays
 * nobody else; failures worth retrying (network, 5xx, 429) are retried with
 * exponential backoff; the outcome is kept per channel (DeliveryStatus) and
 * reported through onStatus for the dashboard and `roost notify ls`.
 */
import { randomUUID } from 'node:crypto';
import type { NotifyEvent } from './event.js';
import { channelTakes, inQuietHours, type Channel, type DeliveryStatus } from './channels.js';
import { toNotification, testNotification, type Notification } from './message.js';
import { DeliveryError } from './http.js';

/** Sends one notification to one channel; rejects (DeliveryError) on failure. */
export type SendFn = (channel: Channel, n: Notification, attempt: { id: string; now: number }) => Promise<void>;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the first retry (ms); doubles each time. */
  baseMs: number;
  maxMs: number;
}

/** 6 attempts over ~1 minute: rides out a restart of the receiving server without piling up stale news. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseMs: 2000, maxMs: 30_000 };
/** Notifications queued per channel (incl. the one being retried); older ones go first when full. */
export const DEFAULT_QUEUE_LIMIT = 32;

/**
 * 'episode': the channel was already told this dedupe key (for attention, this episode). 'unlooked': a damped
 * event, and the channel sent one of the thread that nobody has looked at since.
 */
export type SkipReason = 'filtered' | 'episode' | 'quiet' | 'watched' | 'unlooked' | 'baseline';

export interface DispatcherOptions {
  /** The channels, read on every event (changes by the CLI are seen at once). */
  channels: () => readonly Channel[];
  send: SendFn;
  /** Someone looks at this tmux window right now in a focused browser. */
  isBeingWatched?: (sessionId: string, windowId: string) => boolean;
  /** A channel's delivery status changed. */
  onStatus?: (channelId: number, status: DeliveryStatus) => void;
  /** The destination said the channel no longer exists (Web Push 404/410): remove it. */
  onGone?: (channel: Channel) => void;
  /** Why an event was not sent on a channel (debugging, tests). */
  onSkip?: (channelId: number, event: NotifyEvent, reason: SkipReason) => void;
  /** A notification was delivered (tests, logs). */
  onSent?: (channelId: number, n: Notification) => void;
  now?: () => number;
  retry?: Partial<RetryPolicy>;
  queueLimit?: number;
}

interface Job {
  id: string;
  n: Notification;
  attempts: number;
}

interface Queue {
  jobs: Job[];
  running: boolean;
  timer: NodeJS.Timeout | null;
  wake: (() => void) | null;
}

const emptyStatus = (): DeliveryStatus => ({ lastOkAt: null, lastErrorAt: null, lastError: null, pending: 0, dropped: 0 });

export class Dispatcher {
  /** Per channel: the last dedupe key told per thread ("source thread" → key). */
  private readonly told = new Map<number, Map<string, string>>();
  /** Per channel: the `look` of the last damped event sent per thread. */
  private readonly damped = new Map<number, Map<string, number | null>>();
  private readonly queues = new Map<number, Queue>();
  private readonly statuses = new Map<number, DeliveryStatus>();
  private readonly retry: RetryPolicy;
  private readonly queueLimit: number;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly o: DispatcherOptions) {
    this.retry = { ...DEFAULT_RETRY, ...o.retry };
    this.queueLimit = o.queueLimit ?? DEFAULT_QUEUE_LIMIT;
    this.now = o.now ?? Date.now;
  }

  /** Take one event. Returns at once; never throws. */
  handle(e: NotifyEvent): void {
    if (this.closed) return;
    const thread = threadOf(e.source, e.dedupe.thread);
    const channels = this.o.channels().filter((c) => c.enabled);
    if (e.baseline) {
      // Already so before the source looked: not news.
      for (const c of channels) {
        this.channelMap(this.told, c.id).set(thread, e.dedupe.key);
        this.o.onSkip?.(c.id, e, 'baseline');
      }
      return;
    }
    const session = e.subject.session;
    const win = e.subject.window;
    let watched: boolean | undefined;
    let n: Notification | undefined;
    for (const c of channels) {
      const skip = (reason: SkipReason) => this.o.onSkip?.(c.id, e, reason);
      if (!channelTakes(c, e.kind, session)) {
        skip('filtered');
        continue;
      }
      const told = this.channelMap(this.told, c.id);
      if (told.get(thread) === e.dedupe.key) {
        skip('episode');
        continue;
      }
      told.set(thread, e.dedupe.key);
      if (inQuietHours(c.quiet, new Date(this.now()))) {
        skip('quiet');
        continue;
      }
      watched ??= win !== null && (this.o.isBeingWatched?.(win.sessionId, win.id) ?? false);
      if (watched) {
        skip('watched');
        continue;
      }
      if (e.damp) {
        const sent = this.channelMap(this.damped, c.id);
        if (sent.has(thread) && sent.get(thread) === e.damp.look) {
          skip('unlooked');
          continue;
        }
        sent.set(thread, e.damp.look);
      }
      n ??= toNotification(e);
      this.enqueue(c.id, n);
    }
  }

  /** A thread is over (its window closed, its job removed): forget what each channel was told of it. */
  forget(source: string, thread: string): void {
    const key = threadOf(source, thread);
    for (const m of [...this.told.values(), ...this.damped.values()]) m.delete(key);
  }

  /** Send a test notification now, one attempt, bypassing filters and quiet hours. */
  async sendTest(channel: Channel): Promise<{ ok: true } | { ok: false; error: string }> {
    try {
      await this.o.send(channel, testNotification(this.now()), { id: randomUUID(), now: this.now() });
      this.update(channel.id, (s) => ({ ...s, lastOkAt: this.now() }));
      return { ok: true };
    } catch (e) {
      const error = message(e);
      this.update(channel.id, (s) => ({ ...s, lastErrorAt: this.now(), lastError: error }));
      return { ok: false, error };
    }
  }

  status(channelId: number): DeliveryStatus {
    return { ...(this.statuses.get(channelId) ?? emptyStatus()) };
  }

  /** Stop: pending retries are dropped. */
  close(): void {
    this.closed = true;
    for (const q of this.queues.values()) {
      if (q.timer) clearTimeout(q.timer);
      q.wake?.();
      q.jobs.length = 0;
    }
  }

  private channelMap<V>(maps: Map<number, Map<string, V>>, id: number): Map<string, V> {
    let m = maps.get(id);
    if (!m) maps.set(id, (m = new Map()));
    return m;
  }

  private update(id: number, fn: (s: DeliveryStatus) => DeliveryStatus): void {
    const next = fn(this.statuses.get(id) ?? emptyStatus());
    next.pending = this.queues.get(id)?.jobs.length ?? 0;
    this.statuses.set(id, next);
    try {
      this.o.onStatus?.(id, { ...next });
    } catch {
      // Recording the status (a database write) failing must not stop deliveries.
    }
  }

  private enqueue(id: number, n: Notification): void {
    let q = this.queues.get(id);
    if (!q) this.queues.set(id, (q = { jobs: [], running: false, timer: null, wake: null }));
    let dropped = 0;
    // Drop the oldest waiting job, never the one in flight (index 0 while running).
    while (q.jobs.length >= this.queueLimit) {
      q.jobs.splice(q.running ? 1 : 0, 1);
      dropped++;
    }
    q.jobs.push({ id: randomUUID(), n, attempts: 0 });
    this.update(id, (s) => ({ ...s, dropped: s.dropped + dropped }));
    if (!q.running) void this.work(id, q);
  }

  private async work(id: number, q: Queue): Promise<void> {
    q.running = true;
    try {
      while (q.jobs.length > 0 && !this.closed) {
        const job = q.jobs[0]!;
        const channel = this.o.channels().find((c) => c.id === id);
        if (!channel || !channel.enabled) {
          q.jobs.length = 0; // removed or disabled meanwhile
          break;
        }
        job.attempts++;
        try {
          await this.o.send(channel, job.n, { id: job.id, now: this.now() });
          q.jobs.shift();
          this.update(id, (s) => ({ ...s, lastOkAt: this.now() }));
          this.o.onSent?.(id, job.n);
        } catch (e) {
          const error = message(e);
          // Only delivery trouble is worth another try; a refused URL or a bad key stays wrong.
          const retry = e instanceof DeliveryError && e.retryable;
          if (e instanceof DeliveryError && e.gone) this.o.onGone?.(channel);
          if (!retry || job.attempts >= this.retry.attempts) q.jobs.shift();
          this.update(id, (s) => ({ ...s, lastErrorAt: this.now(), lastError: error }));
          if (retry && job.attempts < this.retry.attempts) await this.sleep(q, this.backoff(job.attempts));
        }
      }
    } finally {
      q.running = false;
      this.update(id, (s) => s);
    }
  }

  private backoff(attempts: number): number {
    const base = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (attempts - 1));
    // ±20% so that many channels failing together do not retry in lockstep.
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private sleep(q: Queue, ms: number): Promise<void> {
    return new Promise((resolve) => {
      q.wake = () => {
        q.wake = null;
        resolve();
      };
      q.timer = setTimeout(() => {
        q.timer = null;
        q.wake?.();
      }, ms);
    });
  }
}

/** Threads are named by their source, so two sources' ids never meet. */
function threadOf(source: string, thread: string): string {
  return `${source} ${thread}`;
}

/** An error as one line for the delivery status: DeliveryError messages name the host, never a secret. */
function message(e: unknown): string {
  if (e instanceof DeliveryError) return e.message;
  const m = (e as Error)?.message ?? String(e);
  return m.split('\n')[0]!.slice(0, 300);
}
