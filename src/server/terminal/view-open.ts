/**
 * The first part of a browser terminal's start (bridge.ts), which needs
 * nothing from its HELLO and so runs from the moment the socket opens: find
 * the session, make its per-device view or claim a spare one (with the
 * tmux client attached to it ahead, spare-views.ts). Two tmux calls. A
 * read-only login instead joins the share of its window (viewer-shares.ts:
 * a view, its size anchor and one tmux client for all read-only terminals
 * there), made by the first: one tmux call for the others.
 *
 * Never rejects: what went wrong is the bridge's to say after HELLO. A
 * connection that closes meanwhile (`closed()`) leaves nothing behind: what
 * was made for it is killed here.
 *
 * The second part, after HELLO (attachConnectionView): the view's tmux
 * client, the warm one a spare view came with or a new attach, at the size
 * and with the flag sizing.ts decides for this device.
 */
import {
  claimSpareView, findViewTarget, killSession, openView, TmuxError, windowIdIn,
  type OpenedView, type TmuxClient, type ViewTarget,
} from '../../tmux/index.js';
import { attachViewPty, ptyTtyName, type IPty } from '../../tmux/pty.js';
import type { SizingMember, WindowSizing } from './sizing.js';
import type { SpareViews } from './spare-views.js';
import type { ViewPlaceTracker } from './view-place.js';
import type { WarmClient } from './warm-client.js';
import type { ShareReady, ViewerShare, ViewerShares } from './viewer-shares.js';

export interface ViewRequest {
  tmux: TmuxClient;
  session: string;
  /** Window index or @id, or null for the session's current window. */
  window: string | null;
  readOnly: boolean;
  /** The view's name, unique per connection. */
  viewName: string;
  spares?: SpareViews | undefined;
  /** Read-only terminals' shared clients: a read-only request joins one. */
  shares: ViewerShares;
  /** The connection closed. */
  closed: () => boolean;
  /** The session was found (its id): the connection belongs to it from here on. */
  found: (baseId: string) => void;
}

export type ViewOpened =
  | { kind: 'ready'; baseId: string; opened: OpenedView; warm: WarmClient | null; share: Joined | null }
  | { kind: 'no-session' }
  | { kind: 'closed' }
  | { kind: 'failed'; error: unknown };

export async function openConnectionView(r: ViewRequest): Promise<ViewOpened> {
  const { tmux, session } = r;
  try {
    const target = await findViewTarget(tmux, session);
    if (r.closed()) return { kind: 'closed' };
    if (!target) return { kind: 'no-session' };
    r.found(target.sessionId);
    if (r.readOnly) return await joinShare(r, r.shares, target);
    const spare = (await r.spares?.take(target.sessionId)) ?? null;
    let opened: OpenedView;
    let warm: WarmClient | null = null;
    try {
      const claimed = spare ? await claimSpareView(tmux, target, spare.name, r.viewName, session, r.window) : null;
      if (claimed) warm = spare?.warm ?? null;
      else spare?.warm?.kill();
      opened = claimed ?? await openView(tmux, target, r.viewName, session, r.window);
    } catch (e) {
      spare?.warm?.kill();
      // Killed between the two calls.
      if (e instanceof TmuxError && e.kind === 'no-session') return { kind: 'no-session' };
      throw e;
    }
    if (r.closed()) {
      warm?.kill();
      // Gone already (destroy-unattached got there first) is fine.
      void killSession(tmux, opened.viewId).catch(() => undefined);
      return { kind: 'closed' };
    }
    return { kind: 'ready', baseId: target.sessionId, opened, warm, share: null };
  } catch (e) {
    return { kind: 'failed', error: e };
  }
}

/** A read-only terminal's place in a share, once its client runs. */
export interface Joined {
  share: ViewerShare;
  ready: Extract<ShareReady, { kind: 'ready' }>;
}

/**
 * The read-only way: join the share of the window asked for, and wait for
 * its client. Left again unless ready. A window no open share shows is
 * looked up first, so every terminal asking for a window that is not there
 * (a link to a window since closed) joins the share of the session's
 * current window, which they are shown, instead of making one each.
 */
async function joinShare(r: ViewRequest, shares: ViewerShares, target: ViewTarget): Promise<ViewOpened> {
  let window = r.window;
  if (window !== null && !shares.showing(target.sessionId, window)) {
    try {
      window = await windowIdIn(r.tmux, target.sessionId, window);
    } catch (e) {
      if (e instanceof TmuxError && e.kind === 'no-session') return { kind: 'no-session' };
      throw e;
    }
    if (r.closed()) return { kind: 'closed' };
  }
  const share = shares.join(target, r.session, window);
  const ready = await share.ready;
  if (ready.kind !== 'ready' || r.closed()) void share.leave();
  if (r.closed()) return { kind: 'closed' };
  // Its client exited as it started: the session went meanwhile.
  if (ready.kind === 'closed') return { kind: 'no-session' };
  if (ready.kind !== 'ready') return ready;
  // Told when the share does not show what it asked for (the share's own missingWindow was its maker's).
  const opened = { ...ready.opened, missingWindow: r.window !== null && !share.shows(r.window) };
  return { kind: 'ready', baseId: target.sessionId, opened, warm: null, share: { share, ready } };
}

export interface AttachRequest {
  tmux: TmuxClient;
  sizing: WindowSizing;
  member: SizingMember;
  viewId: string;
  readOnly: boolean;
  /** Working directory for the tmux client. */
  home: string;
  /** The spare view's client, if one came with the view. */
  warm: WarmClient | null;
  /** The read-only share joined (joinShare): its client is the one shown. */
  share: Joined | null;
  place: ViewPlaceTracker;
  /** The device's screen (HELLO). */
  cols: number;
  rows: number;
  closed: () => boolean;
}

export interface ViewAttached {
  pty: IPty;
  /** The pty's tty, by which sizing knows the tmux client; null if node-pty does not say. */
  tty: string | null;
  /** This device sizes the window: its client attached without ignore-size. */
  sizer: boolean;
  /** The client's size: the screen's for the sizer, else the window's, shown whole. */
  cols: number;
  rows: number;
  /** What a warm client sent to start its terminal, to go out first (warm-client.ts). */
  init: Buffer | null;
}

/** Attach the view's tmux client; null if the connection closed meanwhile (its warm client is the bridge's to kill). */
export async function attachConnectionView(r: AttachRequest): Promise<ViewAttached | null> {
  const { warm, sizing, member } = r;
  if (r.share) return attachShared(r, r.share);
  // A warm client is attached already, with ignore-size: at this device's size before sizing decides, so a
  // decision that it sizes the window gives the window this size at once; and known to sizing, so that
  // decision reaches it.
  const warmTty = warm ? ptyTtyName(warm.pty) : null;
  if (warm && warmTty) {
    try {
      warm.pty.resize(r.cols, r.rows);
    } catch {
      // ioctl on a closed pty: its exit handler ends the connection.
    }
    void sizing.attached(member, warmTty, true);
  }
  // Who sizes this window decides the flag the tmux client attaches with: attaching makes it the window's latest.
  const sizer = await sizing.place(member);
  if (r.closed()) return null;
  // A device that does not size the window shows it whole: its tmux client takes the window's size, not the screen's.
  const size = r.place.size;
  const [cols, rows] = size && !size.sizer ? [size.cols, size.rows] : [r.cols, r.rows];
  const init = warm ? warm.take() : null;
  const pty = warm ? warm.pty : attachViewPty(r.tmux, r.viewId, { readOnly: r.readOnly, ignoreSize: !sizer, cols, rows, cwd: r.home });
  const tty = ptyTtyName(pty);
  if (tty) void sizing.attached(member, tty, !sizer || r.readOnly);
  return { pty, tty, sizer, cols, rows, init };
}

/** A read-only terminal's client is its share's: it shows the window whole, and is redrawn for this terminal (its start, then CAN). */
async function attachShared(r: AttachRequest, { ready }: Joined): Promise<ViewAttached | null> {
  await r.sizing.place(r.member);
  if (r.closed()) return null;
  const { pty, tty } = ready;
  const size = r.place.size;
  if (tty) void r.sizing.attached(r.member, tty, true);
  return { pty, tty, sizer: false, cols: size?.cols ?? pty.cols, rows: size?.rows ?? pty.rows, init: ready.start };
}
