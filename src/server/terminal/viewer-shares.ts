/**
 * Read-only terminals showing the same window share one tmux client.
 *
 * A read-only view never changes: it does not type, resize, switch windows
 * or scroll (bridge.ts refuses those), and its client takes its window's
 * size. Every read-only terminal on a window would get the same bytes from
 * a client of its own, and tmux draws each update once per attached client.
 * So one view session, one size anchor (size-anchor.ts) and one client per
 * window serve them all: a read-only link opened by fifty people costs tmux
 * one client, not fifty.
 *
 * A share is made by the first read-only terminal that asks for its window,
 * and ends when the last one leaves, or when its client exits (the session
 * ended, or someone detached the client). Each terminal reads the shared
 * pty itself, through its own output flow (output.ts): one that falls
 * behind drops output and is redrawn, and holds no one else back. A
 * terminal joining gets the client's start (start-bytes.ts), a CAN and a
 * redraw, as a warm client's taker does. A redraw (for a terminal joining
 * or catching up) reaches every terminal of the share: an absolute
 * screenful, which changes nothing for the others. So the redraws asked
 * for within REDRAW_GATHER_MS are one: fifty viewers arriving one after
 * the other would otherwise cost 1 + 2 + ... + 50 screenfuls.
 *
 * The client follows its window's size: the terminals hear of it from
 * sizing and tmux's listing (view-place.ts) and resize the shared pty,
 * since a read-only page never sends RESIZE.
 */
import { randomBytes } from 'node:crypto';
import {
  anchorSizes, killSession, openView, TmuxError,
  type OpenedView, type SizeAnchor, type TmuxClient, type ViewTarget,
  VIEWERS_OPTION,
} from '../../tmux/index.js';
import { attachViewPty, ptyTtyName, type IPty } from '../../tmux/pty.js';
import { redrawAll } from '../../tmux/redraw.js';
import type { Log } from '../log.js';
import { PtyInput } from './flow.js';
import { StartBytes } from './start-bytes.js';

/** Redraws asked for within this long (ms) are one (a frame at 60 Hz): each reaches every terminal of the share. */
const REDRAW_GATHER_MS = 16;
/** How long (ms) a new client may take to start its terminal (its first query) before it is used without its start. */
const START_TIMEOUT_MS = 5000;

export type ShareReady =
  | {
    kind: 'ready';
    opened: OpenedView;
    pty: IPty;
    /** The client's tty, null if node-pty does not say. */
    tty: string | null;
    /** Resizes of the shared pty (a read-only terminal writes nothing). */
    input: PtyInput;
    /** What the client sent to start its terminal, for each terminal joining. */
    start: Buffer;
  }
  | { kind: 'no-session' }
  | { kind: 'closed' }
  | { kind: 'failed'; error: unknown };

export interface ViewerSharesOptions {
  tmux: TmuxClient;
  log: Log;
  /** Working directory of the shared clients (as of every terminal's tmux client). */
  home: string;
}

export class ViewerShares {
  /** Open and opening shares, by the id of the session they show. */
  private readonly bySession = new Map<string, Set<ViewerShare>>();

  constructor(private readonly o: ViewerSharesOptions) {}

  /**
   * One more read-only terminal on `target`'s window `window` (an index or
   * @id; null: the session's current window, as a view opened without one
   * shows): the share showing it, or a new one. The caller must leave() it.
   */
  join(target: ViewTarget, label: string, window: string | null): ViewerShare {
    const ref = window ?? target.windowId;
    let shares = this.bySession.get(target.sessionId);
    let share = shares && [...shares].find((s) => s.shows(ref));
    if (!share) {
      share = new ViewerShare(this.o, target, label, window, (s) => this.forget(target.sessionId, s));
      if (!shares) this.bySession.set(target.sessionId, (shares = new Set()));
      shares.add(share);
    }
    share.joined();
    return share;
  }

  /** Does a share (open or opening) show window `ref` (an index or @id) of session `sessionId`? */
  showing(sessionId: string, ref: string): boolean {
    return [...(this.bySession.get(sessionId) ?? [])].some((s) => s.shows(ref));
  }

  /** Shares open now (tests, stats). */
  get size(): number {
    let n = 0;
    for (const s of this.bySession.values()) n += s.size;
    return n;
  }

  private forget(sessionId: string, share: ViewerShare): void {
    const shares = this.bySession.get(sessionId);
    shares?.delete(share);
    if (shares?.size === 0) this.bySession.delete(sessionId);
  }
}

export class ViewerShare {
  /** Terminals that joined and have not left. */
  private members = 0;
  /** The count last written to the view's VIEWERS_OPTION, for listings; whether a write is on its way. */
  private counted = 0;
  private counting = false;
  /** Resolves once the client runs (or it could not be made); the same answer for every member. */
  readonly ready: Promise<ShareReady>;
  /** The window shown (@id and index); null until the view is open. */
  private windowId: string | null = null;
  private windowIndex: number | null = null;
  private viewId: string | null = null;
  private anchor: SizeAnchor | null = null;
  private pty: IPty | null = null;
  private input: PtyInput | null = null;
  private over = false;
  /** Resolves once the view, its anchor and client are gone. */
  private gone: Promise<void> = Promise.resolve();
  /** A redraw asked for and not yet sent to tmux. */
  private redrawTimer: NodeJS.Timeout | null = null;

  /** The window asked for (an index or @id; for none, the session's current one, by @id): what it shows while it opens. */
  private readonly asked: string;

  constructor(private readonly o: ViewerSharesOptions, target: ViewTarget, label: string, window: string | null, private readonly forget: (s: ViewerShare) => void) {
    this.asked = window ?? target.windowId;
    this.ready = this.open(target, label, window).catch((error: unknown) => {
      this.end();
      return { kind: 'failed' as const, error };
    });
  }

  /** Its client exited, or its last member left. */
  get ended(): boolean {
    return this.over;
  }

  /**
   * Does this share show window `ref` (index or @id)? While it opens, it
   * shows what it was asked for (null: the session's current window, given
   * as its @id); once open, the window its view is on, which tmux may have
   * moved (the window was closed).
   */
  shows(ref: string): boolean {
    if (this.over) return false;
    if (this.windowId === null) return ref === this.asked;
    return ref === this.windowId || ref === String(this.windowIndex);
  }

  /** A member saw the view's window in tmux's listing (it moves when its window is closed). */
  placed(windowId: string, windowIndex: number): void {
    if (this.windowId === null || this.over) return;
    this.windowId = windowId;
    this.windowIndex = windowIndex;
  }

  /** Have tmux redraw the shared client's screen, for every terminal of the share, within REDRAW_GATHER_MS (redraws asked for meanwhile are this one). */
  redraw(): void {
    if (this.redrawTimer || !this.pty) return;
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = null;
      if (this.pty) redrawAll(this.pty);
    }, REDRAW_GATHER_MS);
  }

  /** One more terminal shows the share (ViewerShares.join). */
  joined(): void {
    this.members++;
    this.recount();
  }

  /** A member leaves; the last one ends the share. Resolves once what the share made is gone (if it was the last). */
  leave(): Promise<void> {
    this.members--;
    if (this.members > 0) {
      this.recount();
      return Promise.resolve();
    }
    this.end();
    return this.gone;
  }

  /** Tell tmux how many terminals show the view (listings count its one client as that many devices); one write at a time, the last count wins. */
  private recount(): void {
    const { viewId } = this;
    if (this.counting || this.over || !viewId || this.counted === this.members) return;
    this.counting = true;
    const n = this.members;
    // A failed write is not tried again for the same count: the view is going, or tmux is.
    void this.o.tmux.run(['set-option', '-t', viewId, VIEWERS_OPTION, String(n)]).catch(() => undefined).finally(() => {
      this.counted = n;
      this.counting = false;
      this.recount();
    });
  }

  private async open(target: ViewTarget, label: string, window: string | null): Promise<ShareReady> {
    const { tmux } = this.o;
    let opened: OpenedView;
    try {
      opened = await openView(tmux, target, `roost-view-${randomBytes(4).toString('hex')}`, label, window, { readOnly: true });
    } catch (e) {
      this.end();
      if (e instanceof TmuxError && e.kind === 'no-session') return { kind: 'no-session' };
      throw e;
    }
    this.viewId = opened.viewId;
    this.windowId = opened.window.id;
    this.windowIndex = opened.window.index;
    if (this.over) return this.closed();
    this.recount();
    // Before the view's own client attaches: from its first moment, its size is ignored.
    this.anchor = await anchorSizes(tmux, opened.viewId);
    if (this.over) return this.closed();
    // Any size: each terminal joining resizes it to the window's, which sizing tells it (view-open.ts,
    // attachShared; the bridge's start), and keeps it so (view-place.ts). Its size is ignored (the anchor).
    const pty = attachViewPty(tmux, opened.viewId, { readOnly: true, cols: 80, rows: 24, cwd: this.o.home });
    this.pty = pty;
    this.input = new PtyInput(pty, (e) => this.o.log.warn({ err: e as Error }, 'resizing a shared read-only terminal failed'));
    pty.onExit(() => this.end());
    const start = await startOf(pty);
    if (this.over) return this.closed();
    return { kind: 'ready', opened, pty, tty: ptyTtyName(pty), input: this.input, start };
  }

  /** A share that ended while it opened: its members see the connection's close as theirs. */
  private closed(): ShareReady {
    this.end();
    return { kind: 'closed' };
  }

  /**
   * End: no one joins any more, and what was made goes: the client, the
   * view, then the anchor. Called again by open() for what it made after an
   * end that came while it waited.
   */
  private end(): void {
    if (!this.over) {
      this.over = true;
      this.forget(this);
    }
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    this.redrawTimer = null;
    this.input?.close();
    this.input = null;
    try {
      this.pty?.kill();
    } catch {
      // Exited already: that is what we wanted.
    }
    this.pty = null;
    const { viewId, anchor } = this;
    this.viewId = null;
    this.anchor = null;
    if (!viewId && !anchor) return;
    // The anchor leaves last: alone for a moment, the read-only client would size the window. A view gone already is fine.
    this.gone = this.gone
      .then(() => (viewId ? killSession(this.o.tmux, viewId).catch(() => undefined) : undefined))
      .finally(() => anchor?.close());
  }
}

/** The start of the client running in `pty` (start-bytes.ts): empty if it ends, or does not come within START_TIMEOUT_MS. */
function startOf(pty: IPty): Promise<Buffer> {
  const start = new StartBytes();
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      data.dispose();
      exit.dispose();
      resolve(start.bytes ?? Buffer.alloc(0));
    };
    const timer = setTimeout(finish, START_TIMEOUT_MS);
    timer.unref();
    // What follows the start is dropped: no terminal reads it yet, and each joiner is redrawn.
    const data = pty.onData((d) => {
      start.push(d as unknown as Buffer);
      if (start.done) finish();
    });
    const exit = pty.onExit(finish);
  });
}
