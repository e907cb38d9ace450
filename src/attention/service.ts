/**
 * Attention and notifications, composed for the daemon: one call wires the
 * observer to the shared sessions feed (no listing of its own), the bell
 * hook keeper, the agent-hook handler with its pane store, and the
 * notification dispatcher with its channels. The daemon supplies what only
 * it knows (the feed, the database, who is watching which window) and
 * mounts the routes; see docs/attention.md and docs/notifications.md.
 */
import type { Database } from 'better-sqlite3';
import type { SessionInfo } from '../shared/api.js';
import type { AttentionMsg } from '../shared/events.js';
import type { TmuxClient } from '../tmux/index.js';
import { AttentionObserver } from './observer.js';
import { BellHookKeeper } from './bell-hook.js';
import { handleClaudeHookReport, type HookResult } from './hook-report.js';
import { SqlitePaneAgentStore } from './pane-agents.js';
import type { AttentionEvent } from './types.js';
import { ChannelRepository } from '../notify/repository.js';
import { Dispatcher } from '../notify/dispatcher.js';
import { createSender } from '../notify/senders.js';
import { loadOrCreateVapidKeys, vapidFile } from '../notify/vapid.js';

/** What the service needs of the daemon's sessions feed (src/server/sessions-feed.ts has it). */
export interface FeedLike {
  addDecorator(fn: (sessions: SessionInfo[]) => void): () => void;
  watch(fn: (sessions: readonly SessionInfo[], polledAt: number) => void): () => void;
  publish(message: AttentionMsg): void;
  refresh(): Promise<SessionInfo[]>;
}

export interface AttentionServiceOptions {
  feed: FeedLike;
  tmux: TmuxClient;
  /** The daemon's database, with NOTIFY_MIGRATION and PANE_AGENTS_MIGRATION applied. */
  db: Database;
  stateDir: string;
  /** Silence threshold (s) per session name, from the current config. */
  silenceFor: (session: string) => number;
  /** Someone looks at this window right now in a focused browser. */
  isBeingWatched: (sessionId: string, windowId: string) => boolean;
  /** The dashboard's address as phones reach it (ntfy Click header), or null. */
  publicUrl?: () => string | null;
  vapidSubject?: string;
  /** Socket path of our tmux server: reports from panes of other servers are ignored. */
  tmuxSocketPath?: string;
  /** Something went wrong in the background (log it; it carries no secret). */
  onError?: (what: string, e: unknown) => void;
}

export interface AttentionService {
  observer: AttentionObserver;
  dispatcher: Dispatcher;
  channels: ChannelRepository;
  paneAgents: SqlitePaneAgentStore;
  /** POST /api/hooks/claude: the parsed JSON body in, status and body out. */
  handleClaudeHook(body: unknown): HookResult;
  /** applicationServerKey for the dashboard's PushManager.subscribe(). */
  vapidPublicKey(): string;
  close(): void;
}

export function startAttentionService(o: AttentionServiceOptions): AttentionService {
  const onError = o.onError ?? (() => {});
  const observer = new AttentionObserver({ silenceFor: o.silenceFor });
  const keeper = new BellHookKeeper(o.tmux, (e) => onError('installing the tmux bell hook', e));
  const paneAgents = new SqlitePaneAgentStore(o.db);
  const channels = new ChannelRepository(o.db);
  const vapid = () => loadOrCreateVapidKeys(vapidFile(o.stateDir));
  const dispatcher = new Dispatcher({
    channels: () => channels.list(),
    send: createSender({ vapid, vapidSubject: o.vapidSubject, publicUrl: o.publicUrl }),
    isBeingWatched: o.isBeingWatched,
    onStatus: (id, s) => channels.recordStatus(id, s),
    onGone: (c) => channels.remove(c.id),
  });

  const undecorate = o.feed.addDecorator((sessions) => {
    observer.update(sessions);
    observer.annotate(sessions);
    void keeper.check(sessions);
  });
  // Attention runs whether or not a browser is open: keep the feed polling.
  const unwatch = o.feed.watch(() => {});
  const unlisten = observer.onEvent((e: AttentionEvent) => {
    dispatcher.handle(e);
    o.feed.publish({ type: 'attention', event: e });
  });

  const acceptSocket = o.tmuxSocketPath === undefined ? undefined : (p: string) => p === o.tmuxSocketPath;
  return {
    observer,
    dispatcher,
    channels,
    paneAgents,
    handleClaudeHook(body) {
      const r = handleClaudeHookReport(body, { observer, store: paneAgents, acceptSocket });
      // Browsers see the new state now, not at the next tick.
      if (r.status === 204) o.feed.refresh().catch((e: unknown) => onError('refreshing the sessions feed', e));
      return r;
    },
    vapidPublicKey: () => vapid().publicKey,
    close() {
      unlisten();
      unwatch();
      undecorate();
      dispatcher.close();
    },
  };
}
