/**
 * TmuxError: a failed tmux command, with the reason decoded from tmux's
 * stderr so callers branch on `kind`, never on message text.
 */

export type TmuxErrorKind =
  | 'not-installed' // no tmux binary on PATH
  | 'no-server' // no tmux server on that socket
  | 'no-session'
  | 'no-window'
  | 'no-pane'
  | 'duplicate' // a session of that name exists
  | 'nested' // attach from inside tmux
  | 'not-a-terminal' // attach without a terminal
  | 'too-old' // the command or flag needs a newer tmux
  | 'other';

export class TmuxError extends Error {
  override name = 'TmuxError';
  constructor(
    readonly argv: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
    readonly kind: TmuxErrorKind,
  ) {
    super(stderr.trim() || `tmux exited with ${code}`);
  }
}

const KINDS: [RegExp, TmuxErrorKind][] = [
  // A server with no session left answers `list-panes -a` and `list-clients` with "no current target": it is on
  // its way out (kill-server, the last session killed), and for Roost that is no server: nothing is listed.
  [/no server running|error connecting to|server exited unexpectedly|no current target/, 'no-server'],
  [/can't find session|session not found/, 'no-session'],
  [/can't find window|window not found/, 'no-window'],
  [/can't find pane|pane not found/, 'no-pane'],
  [/duplicate session/, 'duplicate'],
  [/sessions should be nested with care/, 'nested'],
  [/not a terminal|open terminal failed/, 'not-a-terminal'],
  [/unknown command|unknown flag|invalid option|unknown option/, 'too-old'],
];

export function decodeKind(stderr: string): TmuxErrorKind {
  for (const [re, kind] of KINDS) if (re.test(stderr)) return kind;
  return 'other';
}
