/**
 * All open browser terminals: caps on how many may exist (and how many may
 * sit before their HELLO), ending the terminals of a session that is killed
 * or vanishes (a view session would otherwise keep its windows alive), and
 * clean-up at start and stop.
 */
import type { WebSocket } from 'ws';
import { killSession, listPaneRows, type TmuxClient } from '../../tmux/index.js';
import type { SessionsFeed } from '../sessions-feed.js';
import type { Log } from '../log.js';
import { CLOSE } from '../close-codes.js';
import { TerminalBridge, type BridgeStats } from './bridge.js';

/** Terminals open at once; each is a pty and a tmux client (~a few MB). */
export const MAX_TERMINALS = 256;
/** Connections allowed to wait for their HELLO at once (the rest are refused): bounds idle sockets. */
export const MAX_AWAITING_HELLO = 32;

export interface TerminalsOptions {
  tmux: TmuxClient;
  log: Log;
  home: string;
  feed: SessionsFeed;
  maxTerminals?: number;
  maxAwaitingHello?: number;
  helloTimeoutMs?: number;
}

export interface OpenRequest {
  session: string;
  window: string | null;
  readOnly: boolean;
}

export class Terminals {
  private readonly bridges = new Set<TerminalBridge>();
  private unwatch: (() => void) | null = null;
  /** Bridges ever created (tests check that refused upgrades create none). */
  started = 0;

  constructor(private readonly o: TerminalsOptions) {}

  get size(): number {
    return this.bridges.size;
  }

  /** Take over an upgraded socket; null (socket closed) when over a cap. */
  open(ws: WebSocket, req: OpenRequest): TerminalBridge | null {
    const awaiting = [...this.bridges].filter((b) => b.state === 'awaiting-hello').length;
    if (this.bridges.size >= (this.o.maxTerminals ?? MAX_TERMINALS) || awaiting >= (this.o.maxAwaitingHello ?? MAX_AWAITING_HELLO)) {
      ws.close(CLOSE.TRY_LATER, 'too many terminals');
      return null;
    }
    const b = new TerminalBridge(ws, { ...req, tmux: this.o.tmux, log: this.o.log, home: this.o.home, helloTimeoutMs: this.o.helloTimeoutMs, onClosed: (x) => this.closed(x) });
    this.bridges.add(b);
    this.started++;
    this.unwatch ??= this.o.feed.watch((sessions, polledAt) => {
      const ids = new Set(sessions.map((s) => s.id));
      for (const x of this.bridges) {
        if (x.state === 'running' && x.baseId && x.createdAt < polledAt && !ids.has(x.baseId)) x.end('the session ended');
      }
    });
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

  /** End every terminal on session `baseId` (it was killed through the API). */
  endSession(baseId: string, reason: string): void {
    for (const b of this.bridges) if (b.baseId === baseId) b.end(reason);
  }

  /** Daemon shutdown: tell every client, kill every pty and view session. */
  async closeAll(reason = 'the daemon is stopping'): Promise<void> {
    const all = [...this.bridges];
    for (const b of all) b.end(reason, CLOSE.GOING_AWAY);
    await Promise.all(all.map((b) => b.disposed()));
  }

  /**
   * Kill view sessions no client is attached to: left by a daemon that was
   * killed before its clients detached (tmux's destroy-unattached only acts
   * when a client leaves, not for a view that never got one).
   */
  async sweepOrphanViews(): Promise<number> {
    const rows = await listPaneRows(this.o.tmux);
    const orphans = new Set(rows.filter((r) => r.view && r.sessionAttached === 0).map((r) => r.sessionId));
    await Promise.all([...orphans].map((id) => killSession(this.o.tmux, id).catch(() => undefined)));
    return orphans.size;
  }

  private closed(b: TerminalBridge): void {
    this.bridges.delete(b);
    if (this.bridges.size === 0 && this.unwatch) {
      this.unwatch();
      this.unwatch = null;
    }
  }
}
