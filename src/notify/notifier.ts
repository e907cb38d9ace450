/**
 * The notify stack, built in one place for the daemon and for `roost
 * notify` (which works without the daemon): the channels in the database,
 * the dispatcher that delivers to them, one sender for every kind of
 * channel, and the VAPID keys (read or made on first use: only Web Push
 * needs them). Sources hand their events to handle(); the database is the
 * caller's to open and close.
 */
import type { Database } from 'better-sqlite3';
import type { NotifyEvent } from './event.js';
import { ChannelRepository } from './repository.js';
import { Dispatcher } from './dispatcher.js';
import { createSender } from './senders.js';
import { loadOrCreateVapidKeys, vapidFile } from './vapid.js';

export interface NotifierOptions {
  /** A database with NOTIFY_SCHEMA applied. */
  db: Database;
  /** Where vapid.json lives. */
  stateDir: string;
  /** The dashboard's address as phones reach it (ntfy Click header), or null. */
  publicUrl?: () => string | null;
  /** Someone looks at this tmux window right now in a focused browser: its events are held back. */
  isBeingWatched?: (sessionId: string, windowId: string) => boolean;
  vapidSubject?: string;
  /** Something went wrong in the background (log it; it carries no secret). */
  onError?: (what: string, e: unknown) => void;
}

export interface Notifier {
  channels: ChannelRepository;
  dispatcher: Dispatcher;
  /** Take one event from a source. Returns at once; never throws. */
  handle(e: NotifyEvent): void;
  /** The source's thread is over: see Dispatcher.forget. */
  forget(source: string, thread: string): void;
  /** applicationServerKey for the dashboard's PushManager.subscribe(). */
  vapidPublicKey(): string;
  /** Stop delivering: pending retries are dropped. */
  close(): void;
}

export function createNotifier(o: NotifierOptions): Notifier {
  const onError = o.onError ?? (() => {});
  const channels = new ChannelRepository(o.db);
  const vapid = () => loadOrCreateVapidKeys(vapidFile(o.stateDir));
  const dispatcher = new Dispatcher({
    channels: () => channels.list(),
    send: createSender({ vapid, vapidSubject: o.vapidSubject, publicUrl: o.publicUrl }),
    isBeingWatched: o.isBeingWatched,
    onStatus: (id, s) => channels.recordStatus(id, s),
    onGone: (c) => {
      try {
        channels.remove(c.id);
      } catch (e) {
        // The channel stays listed (and fails again next time); deliveries to the others go on.
        onError('removing a gone Web Push subscription', e);
      }
    },
  });
  return {
    channels,
    dispatcher,
    handle: (e) => dispatcher.handle(e),
    forget: (source, thread) => dispatcher.forget(source, thread),
    vapidPublicKey: () => vapid().publicKey,
    close: () => dispatcher.close(),
  };
}
