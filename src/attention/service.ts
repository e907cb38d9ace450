/**
 * Attention, composed: one call wires the observer to the shared sessions
 * feed (no listing of its own), the bell hook keeper, the agent-hook handler
 * with its pane store, and the notifier it tells (through notify-events.ts).
 * The caller supplies what only it knows (the feed, the database, the
 * notifier); daemon-service.ts does so for the daemon. See
 * docs/attention.md and docs/notifications.md.
 */
import type { Database } from 'better-sqlite3';
import type { SessionInfo } from '../shared/api.js';
import type { AttentionMsg } from '../shared/events.js';
import { BELLS_SEEN_OPTION, setOption, TmuxError, type TmuxClient } from '../tmux/index.js';
import { AttentionObserver } from './observer.js';
import { BellHookKeeper } from './bell-hook.js';
import { handleClaudeHookReport, type HookResult } from './hook-report.js';
import { SqlitePaneAgentStore } from './pane-agents.js';
import type { AttentionEvent } from './types.js';
import { attentionToNotify } from './notify-events.js';
import type { Notifier } from '../notify/notifier.js';
import type { DaemonListing } from './listing.js';

/** What the service needs of the daemon's sessions feed (src/sessions/feed.ts has it). */
export interface FeedLike {
  addDecorator(fn: (sessions: SessionInfo[]) => void): () => void;
  watch(fn: (sessions: readonly SessionInfo[], polledAt: number) => void): () => void;
  /** A listing is wanted by epoch ms `at` even if tmux tells of no change (a window turns waiting then). */
  listBy(at: number): void;
  publish(message: AttentionMsg): void;
  refresh(): Promise<SessionInfo[]>;
}

export interface AttentionServiceOptions {
  feed: FeedLike;
  tmux: TmuxClient;
  /** The daemon's database, with ATTENTION_SCHEMA applied. */
  db: Database;
  /** Where attention events go out as notifications (closed by its owner, not here). */
  notifier: Notifier;
  /** Silence threshold (s) per session name, from the current config. */
  silenceFor: (session: string) => number;
  /** Does a device show this window to a person now (a browser focused on it)? A bell stays marked until one has. */
  seen?: (sessionId: string, windowId: string) => boolean;
  /** Socket path of our tmux server: reports from panes of other servers are ignored. */
  tmuxSocketPath?: string;
  /** Something went wrong in the background (log it; it carries no secret). */
  onError?: (what: string, e: unknown) => void;
}

export interface AttentionService {
  observer: AttentionObserver;
  paneAgents: SqlitePaneAgentStore;
  /** POST /api/hooks/claude: the parsed JSON body in, status and body out. */
  handleClaudeHook(body: unknown): HookResult;
  /** GET /api/attention/sessions: a fresh listing, with the tmux server it is of. */
  listing(): Promise<DaemonListing>;
  close(): void;
}

export function startAttentionService(o: AttentionServiceOptions): AttentionService {
  const onError = o.onError ?? (() => {});
  const observer = new AttentionObserver({
    silenceFor: o.silenceFor,
    ...(o.seen ? { seen: o.seen } : {}),
    bellSeen: (windowId, bells) => {
      setOption(o.tmux, 'window', windowId, BELLS_SEEN_OPTION, String(bells)).catch((e: unknown) => {
        // A window that closed meanwhile has no bell left to remember.
        if (!(e instanceof TmuxError && ['no-window', 'no-session', 'no-server'].includes(e.kind))) onError('recording a seen bell in tmux', e);
      });
    },
  });
  const keeper = new BellHookKeeper(o.tmux, (e) => onError('installing the tmux bell hook', e));
  const paneAgents = new SqlitePaneAgentStore(o.db);
  // Sessions of background jobs in the listing being read (the observer's events come out of update()).
  let jobSessions = new Set<string>();
  const notify = attentionToNotify(o.notifier, (id) => jobSessions.has(id));

  const undecorate = o.feed.addDecorator((sessions) => {
    jobSessions = new Set(sessions.filter((s) => s.kind === 'job').map((s) => s.id));
    observer.update(sessions);
    observer.annotate(sessions);
    void keeper.check(sessions);
    // What the clock alone changes (silence reaching the threshold, the bell hook's next check) needs a
    // listing then, tmux saying nothing.
    for (const at of [observer.nextChange(), keeper.nextCheckAt(sessions)]) if (at !== null) o.feed.listBy(at);
  });
  // Attention runs whether or not a browser is open: keep the feed listing.
  const unwatch = o.feed.watch(() => {});
  const unlisten = observer.onEvent((e: AttentionEvent) => {
    notify(e);
    o.feed.publish({ type: 'attention', event: e });
  });

  const acceptSocket = o.tmuxSocketPath === undefined ? undefined : (p: string) => p === o.tmuxSocketPath;
  return {
    observer,
    paneAgents,
    handleClaudeHook(body) {
      const r = handleClaudeHookReport(body, { observer, store: paneAgents, acceptSocket });
      // Browsers see the new state now, not at the next tick.
      if (r.status === 204) o.feed.refresh().catch((e: unknown) => onError('refreshing the sessions feed', e));
      return r;
    },
    async listing() {
      return { tmux: o.tmux.socketPath(), sessions: await o.feed.refresh() };
    },
    close() {
      unlisten();
      unwatch();
      undecorate();
    },
  };
}
