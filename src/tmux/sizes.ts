/**
 * The tmux side of window sizes when several devices show one window (the
 * policy is src/server/terminal/sizing.ts). Measured on tmux 3.3a: with
 * `window-size latest`, attaching, resizing and typing each make a client
 * the window's latest, so a phone that only opens a page would size it.
 * What keeps a device out of it:
 *
 * - the `ignore-size` client flag (`attach -f`, `refresh-client -f`): tmux
 *   leaves such a client out of every size while any attached client lacks
 *   the flag, and counts only unflagged clients for "several clients";
 * - holding a window at its size: `resize-window -x -y` makes it `manual`
 *   at that size, whatever clients come, go or resize (`window-size manual`
 *   alone would go back to the size the window was created with);
 *   `window-size latest` lets clients size it again.
 *
 * The device that sizes a window is kept on it (@roost_sizer), so a daemon
 * that restarts knows it. One tmux call each, or several in one call
 * (runSizeCommands).
 */
import type { TmuxClient } from './client.js';
import { TmuxError } from './errors.js';
import { HELD_OPTION, SIZER_OPTION } from './options.js';
import { THEN, type TmuxArg } from './literal.js';

/** What sizing needs to know about a window. */
export interface WindowFacts {
  width: number;
  height: number;
  /** Rows tmux's status line takes in a client (the `status` option: off 0, on 1, or 2 to 5). */
  statusRows: number;
  /** The device recorded as sizing it, or '' for none. */
  sizer: string;
}

/** The `status` option's value → rows of status line. */
export function statusRows(value: string): number {
  if (value === 'off') return 0;
  const n = Number.parseInt(value, 10);
  return Number.isInteger(n) && n >= 2 && n <= 5 ? n : 1;
}

const FACTS_FORMAT = `#{window_width} #{window_height} #{status} #{${SIZER_OPTION}}`;

/** Facts of window `windowId` (@N); null when it (or the server) is gone. */
export async function windowFacts(tmux: TmuxClient, windowId: string): Promise<WindowFacts | null> {
  let out: string;
  try {
    out = await tmux.run(['display-message', '-p', '-t', windowId, FACTS_FORMAT]);
  } catch (e) {
    if (e instanceof TmuxError && e.kind !== 'other' && e.kind !== 'not-installed') return null;
    throw e;
  }
  const [w = '', h = '', status = '', sizer = ''] = out.replace(/\n$/, '').split(' ');
  const width = Number.parseInt(w, 10);
  const height = Number.parseInt(h, 10);
  if (!Number.isInteger(width) || !Number.isInteger(height)) return null;
  return { width, height, statusRows: statusRows(status), sizer };
}

/**
 * The commands below, as argument lists, so that one decision's changes
 * (sizing.ts) go to tmux in one call: runSizeCommands.
 */
export const sizeCommands = {
  /** Hold window `windowId` at `width` x `height`: no client sizes it until released. Marked (HELD_OPTION) so a daemon that dies holding it does not leave it held. */
  hold: (windowId: string, width: number, height: number): TmuxArg[] => [
    'resize-window', '-t', windowId, '-x', String(width), '-y', String(height), THEN, 'set-option', '-w', '-t', windowId, HELD_OPTION, '1',
  ],
  /** Let clients size window `windowId` again: the latest active one among those showing it (aggressive-resize). */
  release: (windowId: string): TmuxArg[] => [
    'set-option', '-w', '-t', windowId, 'window-size', 'latest', THEN, 'set-option', '-w', '-t', windowId, 'aggressive-resize', 'on', THEN,
    'set-option', '-w', '-u', '-t', windowId, HELD_OPTION,
  ],
  /** Record `device` (a checked device id) as the one sizing window `windowId`. */
  recordSizer: (windowId: string, device: string): TmuxArg[] => ['set-option', '-w', '-t', windowId, SIZER_OPTION, device],
  /** Whether the tmux client on tty `clientName` (e.g. /dev/pts/7) takes part in sizing windows. */
  clientSizes: (clientName: string, sizes: boolean): TmuxArg[] => ['refresh-client', '-t', clientName, '-f', sizes ? '!ignore-size' : 'ignore-size'],
};

/** Run several of sizeCommands' lists in one tmux call, in order; tmux stops at the first that fails. */
export async function runSizeCommands(tmux: TmuxClient, lists: readonly TmuxArg[][]): Promise<void> {
  if (lists.length === 0) return;
  await tmux.run(lists.flatMap((l, i) => (i === 0 ? l : [THEN, ...l])));
}

/** Hold window `windowId` at `width` x `height` (sizeCommands.hold). */
export async function holdWindow(tmux: TmuxClient, windowId: string, width: number, height: number): Promise<void> {
  await tmux.run(sizeCommands.hold(windowId, width, height));
}

/** Let clients size window `windowId` again (sizeCommands.release). */
export async function releaseWindow(tmux: TmuxClient, windowId: string): Promise<void> {
  await tmux.run(sizeCommands.release(windowId));
}

/** Let go of every window Roost holds (a daemon starting: the one that held them is gone). Resolves with how many. */
export async function releaseHeldWindows(tmux: TmuxClient): Promise<number> {
  let out: string;
  try {
    out = await tmux.run(['list-windows', '-a', '-F', `#{window_id} #{${HELD_OPTION}}`]);
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return 0;
    throw e;
  }
  // Grouped sessions list a window once per session: once each is enough.
  const held = new Set(out.split('\n').filter((l) => l.endsWith(' 1')).map((l) => l.split(' ')[0]!));
  for (const w of held) await releaseWindow(tmux, w).catch(() => undefined); // a window closed meanwhile needs nothing
  return held.size;
}

/** Record `device` as the one sizing window `windowId` (sizeCommands.recordSizer). */
export async function recordSizer(tmux: TmuxClient, windowId: string, device: string): Promise<void> {
  await tmux.run(sizeCommands.recordSizer(windowId, device));
}

/** Whether the tmux client on tty `clientName` takes part in sizing windows (sizeCommands.clientSizes). */
export async function setClientSizes(tmux: TmuxClient, clientName: string, sizes: boolean): Promise<void> {
  await tmux.run(sizeCommands.clientSizes(clientName, sizes));
}
