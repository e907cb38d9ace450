/**
 * Per-device views: a hidden session grouped with the one a browser shows,
 * so each device keeps its own current window and scrolled state. Creating,
 * attaching, moving, scrolling and labelling them; each is one tmux call.
 */
import type { TmuxClient } from './client.js';
import { TmuxError } from './errors.js';
import { attachArgs, hasSession, SESSION_ID_FORMAT, sessionIdIn } from './commands.js';
import { SPARE_OPTION, VIEW_NAME_OPTION, VIEW_OPTION } from './options.js';
import { statusRows } from './sizes.js';
import { THEN, type TmuxArg } from './literal.js';
import { ANCHOR_OPTION } from './size-anchor.js';

/** Whether a view belongs to a read-only login: then it never changes a window's size or options. */
export interface ViewRole {
  readOnly?: boolean | undefined;
}

/**
 * In a view session (by id), make `window` (an index or @id; null keeps the
 * current one) current, with aggressive-resize on: a shared window is sized
 * only by clients VIEWING it, so a phone on another window never shrinks
 * the desktop's. Which of those viewers sizes it is sizes.ts's (window-size
 * is left alone here: a window held at its size stays held). A read-only
 * view sets no option (its size is kept out by size-anchor.ts and sizes.ts).
 * One tmux call; resolves with the current window's id and index.
 */
export async function selectViewWindow(tmux: TmuxClient, viewId: string, window: string | null, role: ViewRole = {}): Promise<{ id: string; index: number }> {
  const [id = '', index = ''] = (await tmux.run(placeArgs(viewId, window, '#{window_id} #{window_index}', role))).trim().split(' ');
  return { id, index: Number.parseInt(index, 10) };
}

/** The command list of selectViewWindow, ending by printing `format` for the view's current window. */
function placeArgs(view: string, window: string | null, format: string, role: ViewRole): TmuxArg[] {
  const cur = `${view}:`;
  return [
    ...(window === null ? [] : ['select-window', '-t', `${view}:${window}`, THEN]),
    ...(role.readOnly ? [] : ['set-option', '-w', '-t', cur, 'aggressive-resize', 'on', THEN]),
    'display-message', '-p', '-t', cur, format,
  ];
}

/**
 * argv that attaches to a view session (by id) and, once attached, sets
 * destroy-unattached on it (see openView). `ignoreSize`: the client sizes no
 * window (sizes.ts); attaching would otherwise make it its window's latest.
 */
export function viewAttachArgs(viewId: string, opts: { readOnly?: boolean; ignoreSize?: boolean } = {}): TmuxArg[] {
  const flags = opts.ignoreSize && !opts.readOnly ? ['-f', 'ignore-size'] : [];
  return [...attachArgs(viewId, opts), ...flags, THEN, 'set-option', '-t', viewId, 'destroy-unattached', 'on'];
}

/** Where a per-device view is: its current window and whether that window's active pane is in a mode (copy mode: scrolled back). */
export interface ViewPlace {
  windowId: string;
  windowIndex: number;
  inMode: boolean;
}

const PLACE_FORMAT = '#{window_id} #{window_index} #{pane_in_mode}';

function parsePlace(line: string): ViewPlace {
  const [windowId = '', index = '', mode = ''] = line.trim().split(' ');
  return { windowId, windowIndex: Number.parseInt(index, 10), inMode: mode === '1' };
}

/**
 * Scroll a view's current pane through its history: `lines` < 0 goes back
 * (entering copy mode with -e, so scrolling down to the bottom leaves it),
 * > 0 goes forward (only while in a mode). One tmux call; resolves with
 * where the view is afterwards.
 */
export async function scrollView(tmux: TmuxClient, viewId: string, lines: number): Promise<ViewPlace> {
  const t = `${viewId}:`;
  const n = String(Math.abs(Math.trunc(lines)));
  const args: TmuxArg[] = lines < 0
    ? ['copy-mode', '-e', '-t', t, THEN, 'send-keys', '-X', '-N', n, '-t', t, 'scroll-up', THEN]
    // if-shell parses its command: the target in single quotes, so "$3" is not read as a variable.
    : ['if-shell', '-F', '-t', t, '#{pane_in_mode}', `send-keys -X -N ${n} -t '${t}' scroll-down`, THEN];
  return parsePlace(await tmux.run([...args, 'display-message', '-p', '-t', t, PLACE_FORMAT]));
}

/** Leave copy mode (and any other mode) in a view's current pane: back to live output. */
export async function leaveViewMode(tmux: TmuxClient, viewId: string): Promise<ViewPlace> {
  const t = `${viewId}:`;
  return parsePlace(await tmux.run(['copy-mode', '-q', '-t', t, THEN, 'display-message', '-p', '-t', t, PLACE_FORMAT]));
}

/** A session's row in listSessionPlaces; `width` x `height` is its current window's size, `statusRows` its status line's. */
export type SessionPlace = { id: string; name: string; view: string; title: string; width: number; height: number; statusRows: number } & ViewPlace;

/**
 * Every session's id, name, VIEW_OPTION (empty for real sessions), place and
 * title, in one call. The title is what a browser tab shows: "session:index
 * window", then the active pane's title where a program set one (tmux's
 * default pane title is the host name, which says nothing).
 */
export async function listSessionPlaces(tmux: TmuxClient): Promise<SessionPlace[]> {
  let out: string;
  try {
    out = await tmux.run(['list-sessions', '-F', `${SESSION_ID_FORMAT}\x1f${PLACE_FORMAT}\x1f#{window_width} #{window_height} #{status}\x1f#{window_name}\x1f#{pane_title}\x1f#{host}`]);
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return [];
    throw e;
  }
  return out.split('\n').filter((l) => l.includes('\x1f')).map((line) => {
    const [id = '', name = '', view = '', place = '', size = '', windowName = '', paneTitle = '', host = ''] = line.split('\x1f');
    const p = parsePlace(place);
    const [width = '', height = '', status = ''] = size.split(' ');
    const shown = paneTitle && paneTitle !== host && paneTitle !== windowName ? ` \u2014 ${paneTitle}` : '';
    // A view's own name is hidden; its title is completed with the viewed session's name by the caller.
    return {
      id, name, view, ...p, title: `${p.windowIndex} ${windowName}${shown}`,
      width: Number.parseInt(width, 10) || 0, height: Number.parseInt(height, 10) || 0, statusRows: statusRows(status),
    };
  });
}

/**
 * A status-left format with the session's own name replaced by the view's
 * VIEW_NAME_OPTION: `#S` and `session_name` inside `#{...}` (e.g.
 * `#{=10:session_name}`); an escaped `##S` stays.
 */
export function viewStatusFormat(format: string): string {
  return format
    .replace(/(^|[^#])((?:##)*)#S/g, `$1$2#{${VIEW_NAME_OPTION}}`)
    .replace(/\bsession_name\b/g, VIEW_NAME_OPTION);
}

/**
 * The command that names the session a view's status line shows: the name
 * goes in VIEW_NAME_OPTION, with `#` doubled, as the status line reads
 * `#[...]` in what formats expand to. `view` is a pane target.
 */
const labelArgs = (view: string, name: string): TmuxArg[] => ['set-option', '-t', view, VIEW_NAME_OPTION, name.replaceAll('#', '##')];

/** After a rename: the view's status line shows the session's new name (its status-left is set by openView). */
export async function labelView(tmux: TmuxClient, viewId: string, name: string): Promise<void> {
  await tmux.run(labelArgs(viewId, name));
}

/** What a browser terminal needs to open a view: the session's id, its current window and the server's status-left (for viewStatusFormat). */
export interface ViewTarget {
  sessionId: string;
  /** The session's current window (@id): what a view asked for no window shows, as `tmux attach` would. */
  windowId: string;
  statusLeft: string;
}

/**
 * The session named exactly `name` (views do not count) and the global
 * status-left, in one call; null when there is no such session or server.
 */
export async function findViewTarget(tmux: TmuxClient, name: string): Promise<ViewTarget | null> {
  let out: string;
  try {
    out = await tmux.run(['list-sessions', '-F', `${SESSION_ID_FORMAT}\x1f#{window_id}`, THEN, 'show-options', '-gv', 'status-left']);
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return null;
    throw e;
  }
  const lines = out.replace(/\n$/, '').split('\n');
  // Session lines carry the separators; the last line is status-left (which has none: tmux option values are one line).
  const statusLeft = lines.pop() ?? '';
  const sessionId = sessionIdIn(lines.join('\n'), name);
  if (!sessionId) return null;
  const windowId = lines.find((l) => l.startsWith(`${sessionId}\x1f`))?.split('\x1f')[3] ?? '';
  return { sessionId, windowId, statusLeft };
}

/**
 * Window `ref` (an index or @id) of session `sessionId`: its @id, or null
 * when the session has no such window. One call (display-message does not
 * fail for a window that is not there: tmux 3.3a answers with the current
 * one). A session gone is a no-session TmuxError.
 */
export async function windowIdIn(tmux: TmuxClient, sessionId: string, ref: string): Promise<string | null> {
  const out = await tmux.run(['list-windows', '-t', sessionId, '-F', '#{window_index} #{window_id}']);
  for (const line of out.split('\n')) {
    const [index = '', id = ''] = line.split(' ');
    if (ref === index || ref === id) return id;
  }
  return null;
}

export interface OpenedView {
  viewId: string;
  /** The view's current window. */
  window: { id: string; index: number };
  /** The asked-for window did not exist; the view shows the session's current one. */
  missingWindow: boolean;
}

/**
 * Create, mark, label and place a per-device view of `target` in one tmux
 * call (a browser terminal's start costs two: this and findViewTarget). The
 * view is named `viewName` (unique per connection) so the later commands of
 * the list can name it before its id is known. `window` null shows the
 * session's current window. If `window` does not exist tmux stops the list
 * there; the view then exists, and a second call shows the session's
 * current window instead.
 *
 * Attach with viewAttachArgs(), which makes tmux destroy the view when its
 * client leaves: tmux 3.3a destroys an unattached session the moment
 * destroy-unattached is set, so only the attached client may set it.
 *
 * tmux 3.3a's new-session spawns the session's shell (and waits for
 * utempter) even for a grouped session, then drops that window: a few ms in
 * which the server serves no one. A spare view made ahead
 * (prepareSpareView) saves that on the way to a screen: claimSpareView.
 */
export async function openView(tmux: TmuxClient, target: ViewTarget, viewName: string, label: string, window: string | null, role: ViewRole = {}): Promise<OpenedView> {
  // set-option takes a pane target: tmux 3.3a reads "=name" there as no session, "=name:" as its current window's.
  const create = [
    // new-session -t with a session that is gone would start a new group of that name, with a fresh shell:
    // has-session fails first and tmux stops the list (nothing else runs between two commands of one list).
    'has-session', '-t', target.sessionId, THEN,
    'new-session', '-d', '-t', target.sessionId, '-s', viewName, THEN,
    'set-option', '-t', `=${viewName}:`, VIEW_OPTION, target.sessionId, THEN,
  ];
  return finishView(tmux, target, create, viewName, label, window, role);
}

/**
 * A spare view of `target`, named `spareName`: grouped and marked as a view
 * (hidden from lists) and as spare (SPARE_OPTION). Made after a terminal
 * started, off any attach's path, showing `windowId` (that terminal's
 * window: a client attached ahead then sits on a window of the size it
 * has); resolves with its id. A spare that no
 * terminal claims is killed by its owner; one a dead daemon left is
 * unattached, and the next daemon's sweep kills it with the other orphaned
 * views. Its owner may attach a client to it ahead too (warm-client.ts);
 * clients of a spare are no device (the listing and the scheduler's
 * presence guard leave them out).
 */
export async function prepareSpareView(tmux: TmuxClient, baseId: string, spareName: string, windowId?: string): Promise<string> {
  const out = await tmux.run([
    'has-session', '-t', baseId, THEN,
    'new-session', '-d', '-t', baseId, '-s', spareName, THEN,
    'set-option', '-t', `=${spareName}:`, VIEW_OPTION, baseId, THEN,
    'set-option', '-t', `=${spareName}:`, SPARE_OPTION, '1', THEN,
    ...(windowId ? ['select-window', '-t', `=${spareName}:${windowId}`, THEN] : []),
    'display-message', '-p', '-t', `=${spareName}:`, '#{session_id}',
  ]);
  return out.trim();
}

/**
 * openView, from a spare (prepareSpareView) of the same session: renamed to
 * `viewName` and no longer spare, then labelled and placed as openView does,
 * in one call and without a new session. Null when the spare is gone (the
 * caller opens a view the usual way); a session gone is a no-session
 * TmuxError, and the spare is killed.
 */
export async function claimSpareView(tmux: TmuxClient, target: ViewTarget, spareName: string, viewName: string, label: string, window: string | null, role: ViewRole = {}): Promise<OpenedView | null> {
  const claim = [
    // The spare keeps the session's windows alive after the session itself is killed: never show those.
    'has-session', '-t', target.sessionId, THEN,
    'rename-session', '-t', `=${spareName}`, viewName, THEN,
    'set-option', '-u', '-t', `=${viewName}:`, SPARE_OPTION, THEN,
  ];
  try {
    return await finishView(tmux, target, claim, viewName, label, window, role);
  } catch (e) {
    // Not renamed: the spare (if it is still there) goes too; a session gone is the caller's to say.
    await tmux.run(['kill-session', '-t', `=${spareName}`]).catch(() => undefined);
    if (e instanceof TmuxError && e.kind === 'no-session' && (await hasSession(tmux, target.sessionId).catch(() => false))) return null;
    throw e;
  }
}

/** The rest of openView and claimSpareView after `first` (which leaves a view named viewName): mark, label, place; on failure nothing is left. */
async function finishView(tmux: TmuxClient, target: ViewTarget, first: TmuxArg[], viewName: string, label: string, window: string | null, role: ViewRole): Promise<OpenedView> {
  const v = `=${viewName}`;
  const mark = [
    ...first,
    ...labelArgs(`${v}:`, label), THEN,
    'set-option', '-t', `${v}:`, 'status-left', viewStatusFormat(target.statusLeft), THEN,
    // A read-only view gets a size anchor (size-anchor.ts), a client the listing must not count as a device.
    ...(role.readOnly ? ['set-option', '-t', `${v}:`, ANCHOR_OPTION, '1', THEN] : []),
  ];
  const place = (w: string | null) => placeArgs(v, w, '#{session_id} #{window_id} #{window_index}', role);
  const parse = (out: string) => {
    const [viewId = '', id = '', index = ''] = out.trim().split(' ');
    return { viewId, window: { id, index: Number.parseInt(index, 10) } };
  };
  const current = target.windowId || null;
  try {
    return { ...parse(await tmux.run([...mark, ...place(window ?? current)])), missingWindow: false };
  } catch (e) {
    if (e instanceof TmuxError && window !== null && e.kind !== 'no-server') {
      // Only a missing window is worth a second try; if the view was not made there is none and the first error stands.
      const fallback = await tmux.run(place(current)).catch(() => null);
      if (fallback !== null) return { ...parse(fallback), missingWindow: true };
    }
    // Whatever failed, leave no half-made view behind.
    await tmux.run(['kill-session', '-t', v]).catch(() => undefined); // kill-session takes a session target: "=name" is right here
    throw e;
  }
}
