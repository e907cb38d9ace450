/**
 * Settings this device remembers for itself (localStorage): the terminal's
 * font size and whether the key bar shows. Another device keeps its own. A
 * browser that refuses storage (private modes, quotas) just forgets.
 */

/** Font sizes (CSS px) the terminal allows: below 8 is unreadable, above 32 leaves a phone a dozen columns. */
export const FONT_MIN_PX = 8;
export const FONT_MAX_PX = 32;
export const FONT_DEFAULT_PX = 14;

const KEYS = { fontSize: 'roost.fontSize', keybar: 'roost.keybar' } as const;

/** The smallest part of Storage this needs (tests pass a Map-backed one). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function clampFont(px: number): number {
  if (!Number.isFinite(px)) return FONT_DEFAULT_PX;
  return Math.min(FONT_MAX_PX, Math.max(FONT_MIN_PX, Math.round(px)));
}

export interface DevicePrefs {
  fontSize(): number;
  setFontSize(px: number): number;
  /** Stored choice, else `fallback` (shown on touch screens, hidden with a mouse and keyboard). */
  keybarShown(fallback: boolean): boolean;
  setKeybarShown(shown: boolean): void;
}

export function devicePrefs(store: KeyValueStore | null): DevicePrefs {
  const get = (k: string): string | null => {
    try {
      return store?.getItem(k) ?? null;
    } catch {
      return null;
    }
  };
  const set = (k: string, v: string) => {
    try {
      store?.setItem(k, v);
    } catch {
      // Storage refused: the setting lasts until the page closes.
    }
  };
  return {
    fontSize: () => {
      const v = get(KEYS.fontSize);
      return v === null ? FONT_DEFAULT_PX : clampFont(Number(v));
    },
    setFontSize: (px) => {
      const v = clampFont(px);
      set(KEYS.fontSize, String(v));
      return v;
    },
    keybarShown: (fallback) => {
      const v = get(KEYS.keybar);
      return v === null ? fallback : v === 'shown';
    },
    setKeybarShown: (shown) => set(KEYS.keybar, shown ? 'shown' : 'hidden'),
  };
}

/** The page's localStorage, or null where reading it throws. */
export function browserStore(win: { readonly localStorage: KeyValueStore }): KeyValueStore | null {
  try {
    return win.localStorage;
  } catch {
    return null;
  }
}
