/**
 * The first part of a browser terminal's start (bridge.ts), which needs
 * nothing from its HELLO and so runs from the moment the socket opens: find
 * the session, make its per-device view or claim a spare one (with the
 * tmux client attached to it ahead, spare-views.ts), and for a read-only
 * login attach the view's size anchor. Two tmux calls, three with an anchor.
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
  anchorSizes, claimSpareView, findViewTarget, killSession, openView, TmuxError,
  type OpenedView, type SizeAnchor, type TmuxClient,
} from '../../tmux/index.js';
import { attachViewPty, ptyTtyName, type IPty } from '../../tmux/pty.js';
import type { SizingMember, WindowSizing } from './sizing.js';
import type { SpareViews } from './spare-views.js';
import type { ViewPlaceTracker } from './view-place.js';
import type { WarmClient } from './warm-client.js';

export interface ViewRequest {
  tmux: TmuxClient;
  session: string;
  /** Window index or @id, or null for the session's current window. */
  window: string | null;
  readOnly: boolean;
  /** The view's name, unique per connection. */
  viewName: string;
  spares?: SpareViews | undefined;
  /** The connection closed. */
  closed: () => boolean;
  /** The session was found (its id): the connection belongs to it from here on. */
  found: (baseId: string) => void;
}

export type ViewOpened =
  | { kind: 'ready'; baseId: string; opened: OpenedView; warm: WarmClient | null; anchor: SizeAnchor | null }
  | { kind: 'no-session' }
  | { kind: 'closed' }
  | { kind: 'failed'; error: unknown };

export async function openConnectionView(r: ViewRequest): Promise<ViewOpened> {
  const { tmux, session } = r;
  const role = { readOnly: r.readOnly };
  try {
    const target = await findViewTarget(tmux, session);
    if (r.closed()) return { kind: 'closed' };
    if (!target) return { kind: 'no-session' };
    r.found(target.sessionId);
    const spare = (await r.spares?.take(target.sessionId, role)) ?? null;
    let opened: OpenedView;
    let warm: WarmClient | null = null;
    try {
      const claimed = spare ? await claimSpareView(tmux, target, spare.name, r.viewName, session, r.window, role) : null;
      if (claimed) warm = spare?.warm ?? null;
      else spare?.warm?.kill();
      opened = claimed ?? await openView(tmux, target, r.viewName, session, r.window, role);
    } catch (e) {
      spare?.warm?.kill();
      // Killed between the two calls.
      if (e instanceof TmuxError && e.kind === 'no-session') return { kind: 'no-session' };
      throw e;
    }
    // Gone already (destroy-unattached got there first) is fine.
    const drop = () => void killSession(tmux, opened.viewId).catch(() => undefined);
    if (r.closed()) {
      warm?.kill();
      drop();
      return { kind: 'closed' };
    }
    // Before the view's own client attaches: from its first moment, a read-only client's size is ignored.
    let anchor: SizeAnchor | null = null;
    if (r.readOnly) {
      anchor = await anchorSizes(tmux, opened.viewId);
      if (r.closed()) {
        anchor.close();
        drop();
        return { kind: 'closed' };
      }
    }
    return { kind: 'ready', baseId: target.sessionId, opened, warm, anchor };
  } catch (e) {
    return { kind: 'failed', error: e };
  }
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
