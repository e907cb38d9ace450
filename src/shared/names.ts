/**
 * The one name rule for sessions, windows, tokens and templates, used by the
 * CLI, the config loader and the HTTP API alike.
 *
 * Why so strict: tmux format-expands names given to new-session -s,
 * rename-session and new-window -n (`#(cmd)` runs cmd), turns `.` and `:`
 * into `_`, and resolves targets by prefix and pattern. A name of letters,
 * digits, `_` and `-` that does not start with `-` cannot be any of those
 * things, nor a flag, nor a tmux id (`$3`, `@5`, `%7`).
 */

export const NAME_MAX = 64;
const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;

export type NameCheck = { ok: true; name: string } | { ok: false; error: string };

/** Check a name without throwing. `what` names the thing in the error ("session name"). */
export function checkName(value: unknown, what = 'name'): NameCheck {
  if (typeof value !== 'string') return { ok: false, error: `${what} must be a string` };
  if (NAME_RE.test(value)) return { ok: true, name: value };
  return { ok: false, error: `invalid ${what} ${JSON.stringify(value)}: ${describeProblem(value)}` };
}

/** Where each character of a valid name sorts, case aside: `_`, `-`, digits, then letters. */
const SORT_RANK = '_-0123456789abcdefghijklmnopqrstuvwxyz';

/** Names of letters, digits, `_` and `-` only: compareNames orders them itself. */
const PLAIN_RE = /^[A-Za-z0-9_-]*$/;

/**
 * `a.localeCompare(b)` for session names. For names of letters, digits, `_`
 * and `-` (every name Roost makes) the same order is worked out here (in
 * English: letters whatever their case, then lower case first at the first
 * place the cases differ) without Intl, whose collation data would stay
 * resident once loaded (~3.4 MB of an idle daemon that sorts its sessions);
 * other names (made with tmux itself) are left to localeCompare.
 */
export function compareNames(a: string, b: string): number {
  if (!PLAIN_RE.test(a) || !PLAIN_RE.test(b)) return a.localeCompare(b);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = SORT_RANK.indexOf(a[i]!.toLowerCase()) - SORT_RANK.indexOf(b[i]!.toLowerCase());
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] === a[i]!.toLowerCase() ? -1 : 1;
  return 0;
}

/** True when `value` is a valid name. */
export function isValidName(value: unknown): value is string {
  return typeof value === 'string' && NAME_RE.test(value);
}

/**
 * A valid name made from one the rule refuses, for the hint that renames a
 * session made with tmux itself: each run of other characters becomes one
 * `-` ("my work" -> "my-work"), without a `-` at either end, at most
 * NAME_MAX characters; "session" when nothing is left.
 */
export function suggestName(value: string): string {
  const s = value.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, NAME_MAX).replace(/^-+|-+$/g, '');
  return s === '' ? 'session' : s;
}

function describeProblem(value: string): string {
  if (value.length === 0) return 'it is empty';
  if (value.length > NAME_MAX) return `it is longer than ${NAME_MAX} characters`;
  if (value.startsWith('-')) return 'it must not start with "-"';
  return 'use 1-64 letters, digits, "_" or "-"';
}

/**
 * A Claude session id as Roost takes it from Claude (a hook's report, a
 * headless run's result, a snapshot): it goes on an argv later (`claude
 * --resume ID`), so letters, digits, `_` and `-`, at most 128, and no
 * leading `-`, which would make it an option (`--dangerously-skip-permissions`).
 */
export const CLAUDE_SESSION_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** True when `value` may be handed to `claude --resume` (CLAUDE_SESSION_ID_RE). */
export function isClaudeSessionId(value: unknown): value is string {
  return typeof value === 'string' && CLAUDE_SESSION_ID_RE.test(value);
}

/** How a URL or a SELECT names a window: its index in the session, or its tmux id (@N). */
const WINDOW_REF_RE = /^(\d{1,5}|@\d{1,9})$/;

/** True when `value` names a window as an index or an @id (the one rule for the terminal route and SELECT). */
export function isWindowRef(value: unknown): value is string {
  return typeof value === 'string' && WINDOW_REF_RE.test(value);
}
