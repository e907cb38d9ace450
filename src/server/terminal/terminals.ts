/**
 * All open browser terminals: caps on how many may exist (and how many may
 * sit before their HELLO), with a part of each kept for the owner, ending the terminals of a session that is killed
 * or vanishes (a view session would otherwise keep its windows alive),
 * clean-up at start and stop, and one poll (about once a second, one tmux
 * call) of where every view is, so each browser hears when tmux itself moved
 * its view (prefix-n, copy mode left), the status line follows renames, and
 * each browser tab's title follows its window and pane title.
 */
import type { WebSocket } from 'ws';
import { killSession, listPaneRows, listSessionPlaces, releaseHeldWindows, type TmuxClient } from '../../tmux/index.js';
import type { SessionsFeed } from '../../sessions/feed.js';
import type { Log } from '../log.js';
import { CLOSE } from '../../shared/close-codes.js';
import { EXIT_REASON } from '../../shared/terminal-exit.js';
import { TerminalBridge, type BridgeStats } from './bridge.js';
import { WindowSizing } from './sizing.js';
import { SpareViews } from './spare-views.js';
import { ViewerShares } from './viewer-shares.js';

/** Terminals open at once; each is a pty and a tmux client (~a few MB). */
export const MAX_TERMINALS = 256;
/** Connections allowed to wait for their HELLO at once (the rest are refused): bounds idle sockets. */
export const MAX_AWAITING_HELLO = 32;
/**
 * The share of both caps that read-only logins may not take, kept for the
 * owner: a read-only link's holders (or one of them, opening hundreds of
 * cheap shared terminals) never lock the owner out of their own sessions.
 */
export const OWNER_SHARE = 1 / 4;
/** How often (ms) the views' windows and modes are polled while terminals are open: a second, as the sessions feed. */
export const VIEW_POLL_MS = 1000;

export interface TerminalsOptions {
  tmux: TmuxClient;
  log: Log;
  home: string;
  feed: SessionsFeed;
  maxTerminals?: number;
  maxAwaitingHello?: number;
  helloTimeoutMs?: number;
  /** How long (ms) after a terminal's first output its session's spare view is made (spare-views.ts; tests shorten it). */
  spareDelayMs?: number;
  /** Attach each spare view's tmux client ahead (warm-client.ts; default true). */
  warmClients?: boolean;
  /** Pings of writable terminals' pages and how long one may go unanswered before their input is dropped (liveness.ts; tests shorten them). */
  liveness?: { everyMs: number; staleMs: number };
}

export interface OpenRequest {
  session: string;
  window: string | null;
  readOnly: boolean;
}

export class Terminals {
  private readonly bridges = new Set<TerminalBridge>();
  private unwatch: (() => void) | null = null;
  private placeTimer: NodeJS.Timeout | null = null;
  private polling = false;
  /** Which device sizes each window the terminals show. */
  readonly sizing: WindowSizing;
  /** Views made ahead for the next terminal on a session (spare-views.ts). */
  readonly spares: SpareViews;
  /** Read-only terminals' clients, one per window they show (viewer-shares.ts). */
  readonly shares: ViewerShares;
  /** Bridges ever created (tests check that refused upgrades create none). */
  started = 0;

  constructor(private readonly o: TerminalsOptions) {
    this.sizing = new WindowSizing({ tmux: o.tmux, log: o.log });
    this.shares = new ViewerShares({ tmux: o.tmux, log: o.log, home: o.home });
    this.spares = new SpareViews({ tmux: o.tmux, log: o.log, feed: o.feed, delayMs: o.spareDelayMs, home: o.home, warm: o.warmClients });
  }

  get size(): number {
    return this.bridges.size;
  }

  /** Take over an upgraded socket; null (socket closed) when over a cap. */
  open(ws: WebSocket, req: OpenRequest): TerminalBridge | null {
    const awaiting = [...this.bridges].filter((b) => b.state === 'awaiting-hello').length;
    const cap = (n: number) => (req.readOnly ? n - Math.ceil(n * OWNER_SHARE) : n);
    if (this.bridges.size >= cap(this.o.maxTerminals ?? MAX_TERMINALS) || awaiting >= cap(this.o.maxAwaitingHello ?? MAX_AWAITING_HELLO)) {
      ws.close(CLOSE.TRY_LATER, 'too many terminals');
      return null;
    }
    const b = new TerminalBridge(ws, { ...req, tmux: this.o.tmux, log: this.o.log, home: this.o.home, sizing: this.sizing, spares: this.spares, shares: this.shares, helloTimeoutMs: this.o.helloTimeoutMs, liveness: this.o.liveness, onClosed: (x) => this.closed(x) });
    this.bridges.add(b);
    this.started++;
    // Every listing, not only changed ones: a session killed behind the daemon's back between two
    // listings can leave them equal, and its terminals must end all the same.
    this.unwatch ??= this.o.feed.watch((sessions, polledAt) => {
      const ids = new Set(sessions.map((s) => s.id));
      for (const x of this.bridges) {
        if (x.state === 'running' && x.baseId && x.createdAt < polledAt && !ids.has(x.baseId)) x.end(EXIT_REASON.ended);
      }
    }, { everyListing: true });
    this.placeTimer ??= setInterval(() => void this.pollPlaces(), VIEW_POLL_MS);
    return b;
  }

  stats(): BridgeStats[] {
    return [...this.bridges].map((b) => b.stats());
  }

  /** Does a browser terminal show window `windowId` (@N) of session `sessionId` ($N) right now? */
  isShowing(sessionId: string, windowId: string): boolean {
    for (const b of this.bridges) if (b.state === 'running' && b.baseId === sessionId && b.windowId === windowId) return true;
    return false;
  }

  /**
   * Is the owner looking at window `windowId` of session `sessionId` right
   * now: shown in an owner's browser whose page is focused and visible (FOCUS
   * frames)? Holds notifications back and marks a bell seen; a background tab
   * does not, nor does a read-only view: a share left open in a focused tab
   * would otherwise silence the owner's phone for that window.
   */
  isLookedAt(sessionId: string, windowId: string): boolean {
    for (const b of this.bridges) if (b.focused && !b.readOnly && b.state === 'running' && b.baseId === sessionId && b.windowId === windowId) return true;
    return false;
  }

  /** End every terminal on session `baseId` (it was killed through the API). */
  endSession(baseId: string, reason: string): void {
    for (const b of this.bridges) if (b.baseId === baseId) b.end(reason);
    void this.spares.drop(baseId);
  }

  /** Daemon shutdown: close every client with 1001 (come back later: no EXIT, the session goes on), kill every pty and view session. */
  async closeAll(reason = 'the daemon is stopping'): Promise<void> {
    const all = [...this.bridges];
    for (const b of all) b.goAway(reason);
    await Promise.all([...all.map((b) => b.disposed()), this.spares.closeAll()]);
  }

  /**
   * Kill view sessions no client is attached to: left by a daemon that was
   * killed before its clients detached (tmux's destroy-unattached only acts
   * when a client leaves, not for a view that never got one), and its spare
   * views. Windows such a
   * daemon held at their size (sizing.ts) are let go too.
   */
  async sweepOrphanViews(): Promise<number> {
    await releaseHeldWindows(this.o.tmux);
    const rows = await listPaneRows(this.o.tmux);
    const orphans = new Set(rows.filter((r) => r.view && r.sessionAttached === 0).map((r) => r.sessionId));
    // A view that vanished between the listing and the kill is what we wanted.
    await Promise.all([...orphans].map((id) => killSession(this.o.tmux, id).catch(() => undefined)));
    return orphans.size;
  }

  /** Where every view is, in one tmux call, handed to each running bridge. */
  private async pollPlaces(): Promise<void> {
    if (this.polling || ![...this.bridges].some((b) => b.state === 'running')) return;
    this.polling = true;
    const polledAt = Date.now();
    for (const b of this.bridges) b.tick(polledAt);
    try {
      const rows = new Map((await listSessionPlaces(this.o.tmux)).map((r) => [r.id, r]));
      for (const b of this.bridges) {
        const row = b.viewId ? rows.get(b.viewId) : undefined;
        if (row) b.polled(row, polledAt, b.baseId ? rows.get(b.baseId)?.name : undefined);
      }
    } catch (e) {
      this.o.log.debug({ err: e as Error }, 'polling the terminals\' views failed');
    } finally {
      this.polling = false;
    }
  }

  private closed(b: TerminalBridge): void {
    this.bridges.delete(b);
    if (this.bridges.size === 0 && this.unwatch) {
      this.unwatch();
      this.unwatch = null;
    }
    if (this.bridges.size === 0 && this.placeTimer) {
      clearInterval(this.placeTimer);
      this.placeTimer = null;
    }
  }
}
