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
 */
import {
  anchorSizes, claimSpareView, findViewTarget, killSession, openView, TmuxError,
  type OpenedView, type SizeAnchor, type TmuxClient,
} from '../../tmux/index.js';
import type { SpareViews } from './spare-views.js';
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
