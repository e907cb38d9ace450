/**
 * Redrawing one tmux client's whole terminal from a clean slate, for a
 * terminal that missed some of its output (the bridge drops what a browser
 * that fell behind cannot take: src/server/terminal/flow.ts).
 *
 * `refresh-client -t` is not enough: tmux redraws the cells, but relative to
 * what it believes the terminal already has (cursor position, attributes,
 * scroll region, mouse and paste modes), and the missed output may have
 * changed that belief. SIGWINCH makes the tmux client report its size
 * (MSG_RESIZE), and tmux 3.3a answers a resize with tty_invalidate (every
 * mode, attributes, scroll region and the cursor set again, absolutely) and
 * a redraw of the whole screen and status line: measured, the same sequences
 * as at attach minus entering the alternate screen. The size does not
 * change, so no window is resized; the client becomes its window's latest,
 * which for window-size latest changes nothing while an ignore-size client
 * (a view another device sizes, a read-only view) is ignored (sizes.ts).
 * No tmux process is started.
 */
import type { IPty } from './pty.js';

/** Have the tmux client running in `pty` (one Roost spawned) redraw everything. False if it is gone. */
export function redrawAll(pty: IPty): boolean {
  try {
    process.kill(pty.pid, 'SIGWINCH');
    return true;
  } catch {
    // ESRCH: the client exited; its pty's exit handler ends the connection.
    return false;
  }
}
