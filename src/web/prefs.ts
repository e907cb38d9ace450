/**
 * Settings this device remembers for itself (localStorage): the terminal's
 * font size, whether the key bar shows and its main keys, how a window sized for a bigger
 * screen is shown (pan or zoom), and the device's own id (which tells the
 * daemon that a reconnecting page is the same device). Another device keeps
 * its own. A browser that refuses storage (private modes, quotas) just
 * forgets: its id then lasts as long as the page.
 */

/** Font sizes (CSS px) the terminal allows: below 8 is unreadable, above 32 leaves a phone a dozen columns. */
export const FONT_MIN_PX = 8;
export const FONT_MAX_PX = 32;
export const FONT_DEFAULT_PX = 14;

const KEYS = { fontSize: 'roost.fontSize', keybar: 'roost.keybar', keybarKeys: 'roost.keybarKeys', device: 'roost.device', wide: 'roost.wideView' } as const;

/** A window wider than this screen: scroll sideways through it at the chosen text size, or shrink the text until it fits. */
export type WideView = 'pan' | 'zoom';

/** What a stored device id must look like (the daemon's rule, DEVICE_ID_RE in src/shared/protocol.ts). */
const DEVICE_ID = /^[A-Za-z0-9_-]{8,64}$/;

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
  /** The key bar's main keys (ids, in order) as this device chose them, or null for the default. */
  keybarKeys(): string[] | null;
  setKeybarKeys(ids: readonly string[] | null): void;
  /** This device's id: the stored one, else `fresh()` (stored for next time). */
  deviceId(fresh: () => string): string;
  wideView(): WideView;
  setWideView(v: WideView): void;
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
    keybarKeys: () => {
      const v = get(KEYS.keybarKeys);
      return v === null || v === '' ? null : v.split(' ');
    },
    setKeybarKeys: (ids) => set(KEYS.keybarKeys, ids ? ids.join(' ') : ''),
    deviceId: (fresh) => {
      const v = get(KEYS.device);
      if (v !== null && DEVICE_ID.test(v)) return v;
      const id = fresh();
      set(KEYS.device, id);
      return id;
    },
    wideView: () => (get(KEYS.wide) === 'zoom' ? 'zoom' : 'pan'),
    setWideView: (v) => set(KEYS.wide, v),
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

/** A new device id: 16 random bytes as base64url (22 characters). */
export function newDeviceId(crypto: { getRandomValues(a: Uint8Array): Uint8Array }): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
