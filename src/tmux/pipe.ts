/**
 * pipe-pane and keeping a dead pane, as argv pieces that go into the same
 * command list as the new-session that makes the pane (NewSessionOptions.then),
 * so not one byte of the program's first output escapes the pipe and even an
 * instant exit leaves the pane: tmux reads the pane and handles its exit
 * only after the whole list has run.
 *
 * pipe-pane hands its command to `sh -c` after format-expanding it
 * (docs: tmux.md "Scrollback and logs"): every word here is single-quoted
 * for the shell and every `#` doubled for the format expander, so a path
 * with spaces, quotes, `$(...)` or `#{...}` in it stays a path.
 */
import { formatLiteral } from './literal.js';

/** One word for `sh -c`, quoted so the shell reads it back unchanged. */
export function shellWord(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}


/**
 * argv of `pipe-pane` that appends the pane's output to `file` (a regular
 * file, or a FIFO someone reads). `cat` is run by the tmux server's shell:
 * the only program Roost leaves to a shell, with a fixed command line.
 */
export function pipeToFileArgs(paneTarget: string, file: string): string[] {
  if (file.includes('\0') || file.includes('\n')) throw new Error('pipe-pane: a file name must not contain NUL or a newline');
  return ['pipe-pane', '-t', paneTarget, formatLiteral(`exec cat >> ${shellWord(file)}`)];
}

/** argv that keeps the pane after its program ends, whatever its exit status (remain-on-exit on). */
export function keepPaneArgs(paneTarget: string): string[] {
  return ['set-option', '-p', '-t', paneTarget, 'remain-on-exit', 'on'];
}
