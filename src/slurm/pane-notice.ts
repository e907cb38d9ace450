/**
 * A line for a window whose shell sits at its prompt, perhaps with something
 * typed (a node window back on the login node, told later that the
 * allocation ended). Written as output, never as input: the line goes over
 * the cursor's row, and that row (the prompt and what was typed, as tmux
 * shows it) is drawn again under it, with the cursor put back in its
 * column. The shell's line editor keeps what was typed, and its picture of
 * the line stays true: the row only moved down.
 *
 * While a full-screen program holds the alternate screen, its next redraw
 * would wipe the line: the notice waits (null) until it lets go.
 */
import { cursorRow, type CursorRow, type TmuxClient } from '../tmux/index.js';

/** The bytes that say `line` in `pane` above its cursor's row; null while a full-screen program runs there. */
export async function noticeAbovePrompt(tmux: TmuxClient, pane: string | null, line: string): Promise<string | null> {
  let c: CursorRow | null = null;
  if (pane) {
    try {
      c = await cursorRow(tmux, pane);
    } catch {
      // tmux cannot say where the cursor is (no such pane): the line alone, on lines of its own.
      c = null;
    }
  }
  if (!c) return `\r\nroost: ${line}\r\n`;
  if (c.alternate) return null;
  // CR and erase: the line takes the row's place; the row follows, reset after its colours; CHA puts the cursor back.
  return `\r\x1b[Kroost: ${line}\r\n${c.row}\x1b[0m\x1b[${c.x + 1}G`;
}
