/**
 * The keys the key bar can hold, by id, and which of them its main row shows
 * in what order: the device's own choice (prefs.ts) or the default — what an
 * agent user presses most: Enter, y, n, Ctrl-C, Esc, the arrows, Tab. Pure:
 * no DOM, unit-tested in Node.
 */
import type { KeyName, ModName } from './keys.js';

export type KeySpec =
  | { kind: 'key'; id: string; key: KeyName; label: string; name: string; repeat?: boolean }
  | { kind: 'text'; id: string; text: string; label: string; name: string }
  | { kind: 'raw'; id: string; data: string; label: string; name: string }
  | { kind: 'mod'; id: string; mod: ModName; label: string; name: string };

/** The tmux prefix sent by the prefix key (tmux's default, Ctrl-b). */
export const TMUX_PREFIX = '\x02';

/** Every key, in the order the "more" row lists those not in the main row. */
export const KEYS: readonly KeySpec[] = [
  { kind: 'key', id: 'Enter', key: 'Enter', label: '⏎', name: 'Enter' },
  { kind: 'text', id: 'y', text: 'y', label: 'y', name: 'y' },
  { kind: 'text', id: 'n', text: 'n', label: 'n', name: 'n' },
  { kind: 'raw', id: '^C', data: '\x03', label: '^C', name: 'Ctrl-C (interrupt)' },
  { kind: 'key', id: 'Escape', key: 'Escape', label: 'Esc', name: 'Escape' },
  { kind: 'key', id: 'Up', key: 'Up', label: '↑', name: 'Up', repeat: true },
  { kind: 'key', id: 'Down', key: 'Down', label: '↓', name: 'Down', repeat: true },
  { kind: 'key', id: 'Left', key: 'Left', label: '←', name: 'Left', repeat: true },
  { kind: 'key', id: 'Right', key: 'Right', label: '→', name: 'Right', repeat: true },
  { kind: 'key', id: 'Tab', key: 'Tab', label: 'Tab', name: 'Tab' },
  { kind: 'mod', id: 'ctrl', mod: 'ctrl', label: 'Ctrl', name: 'Ctrl (sticky: applies to the next key; tap twice to lock)' },
  { kind: 'mod', id: 'alt', mod: 'alt', label: 'Alt', name: 'Alt (sticky: applies to the next key; tap twice to lock)' },
  { kind: 'text', id: '|', text: '|', label: '|', name: 'Pipe' },
  { kind: 'text', id: '/', text: '/', label: '/', name: 'Slash' },
  { kind: 'text', id: '~', text: '~', label: '~', name: 'Tilde' },
  { kind: 'text', id: '-', text: '-', label: '-', name: 'Dash' },
  { kind: 'key', id: 'Home', key: 'Home', label: 'Home', name: 'Home' },
  { kind: 'key', id: 'End', key: 'End', label: 'End', name: 'End' },
  { kind: 'key', id: 'PageUp', key: 'PageUp', label: 'PgUp', name: 'Page up' },
  { kind: 'key', id: 'PageDown', key: 'PageDown', label: 'PgDn', name: 'Page down' },
  { kind: 'raw', id: '^B', data: TMUX_PREFIX, label: '^B', name: 'tmux prefix (Ctrl-b)' },
];

/** The main row unless the device chose otherwise: ten keys that fit a 360 px phone side by side. */
export const DEFAULT_MAIN: readonly string[] = ['Enter', 'y', 'n', '^C', 'Escape', 'Up', 'Down', 'Left', 'Right', 'Tab'];

/** A main row of at most this many keys (each at least ~28 px wide on a 360 px phone). */
export const MAX_MAIN = 12;

const BY_ID = new Map(KEYS.map((k) => [k.id, k]));

export function keyById(id: string): KeySpec | undefined {
  return BY_ID.get(id);
}

/** A stored main row → known ids, each once, at most MAX_MAIN; nothing usable → the default. */
export function mainRow(stored: readonly string[] | null): string[] {
  const seen = new Set<string>();
  for (const id of stored ?? []) if (BY_ID.has(id) && seen.size < MAX_MAIN) seen.add(id);
  return seen.size > 0 ? [...seen] : [...DEFAULT_MAIN];
}

/** The keys of the "more" row: all the main row does not hold, in catalogue order. */
export function moreRow(main: readonly string[]): KeySpec[] {
  return KEYS.filter((k) => !main.includes(k.id));
}

/** `id` moved by `delta` places in `row` (clamped); a new array. */
export function moveKey(row: readonly string[], id: string, delta: number): string[] {
  const i = row.indexOf(id);
  if (i < 0) return [...row];
  const j = Math.max(0, Math.min(row.length - 1, i + delta));
  const out = [...row];
  out.splice(i, 1);
  out.splice(j, 0, id);
  return out;
}
