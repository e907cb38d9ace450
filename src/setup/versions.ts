/**
 * Versions Roost cares about: tmux (the popup needs 3.2) and Node (20.19,
 * the first 20.x that loads ESM-only packages with require). Pure parsing and
 * comparison; running `tmux -V` is src/tmux's job.
 */

export interface Version {
  major: number;
  minor: number;
  /** As printed, e.g. "3.3a". */
  text: string;
}

/** display-popup (the prefix+H quick reference) appeared in tmux 3.2. */
export const POPUP_MIN_TMUX = { major: 3, minor: 2 };
/** package.json's engines field. */
export const MIN_NODE = { major: 20, minor: 19 };

/**
 * Parse `tmux -V` output: "tmux 3.3a", "tmux 3.2-rc3", "tmux next-3.4",
 * "tmux openbsd-7.4" (OpenBSD's own numbering: not a tmux version → null).
 */
export function parseTmuxVersion(output: string): Version | null {
  const m = /^tmux (?:next-)?(\d+)\.(\d+)(\S*)/.exec(output.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), text: `${m[1]}.${m[2]}${m[3]}` };
}

export function parseNodeVersion(version: string): Version | null {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]), text: version.replace(/^v/, '') } : null;
}

export function atLeast(v: { major: number; minor: number }, min: { major: number; minor: number }): boolean {
  return v.major > min.major || (v.major === min.major && v.minor >= min.minor);
}

/** Whether this tmux has display-popup; an unknown version is treated as too old. */
export function hasPopup(tmux: Version | null): boolean {
  return tmux !== null && atLeast(tmux, POPUP_MIN_TMUX);
}
