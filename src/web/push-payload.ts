/**
 * Web Push, the pure parts shared by the page and the service worker: the
 * notification a push payload (docs/notifications.md) becomes, which tap
 * targets may be opened, the VAPID key as bytes, and a device's name for its
 * subscription. No DOM or worker globals: unit-tested in Node.
 */

export interface PushNotice {
  title: string;
  body: string;
  /** Per window, so a newer notification replaces an older one for the same window. */
  tag: string;
  /** Where a tap goes: a terminal path /s/SESSION/WINDOW or a job's log /jobs/NAME, else the dashboard. */
  url: string;
}

/** Longest title/body shown (characters): the daemon's are short; anything longer is not ours. */
const MAX_TEXT = 200;

/** Only terminal pages and job logs of this origin: a path starting "/s/" or "/jobs/", never "//host" or a scheme. */
export function safeTarget(url: unknown): string {
  if (typeof url !== 'string' || !(url.startsWith('/s/') || url.startsWith('/jobs/')) || url.includes('\\') || /[\u0000-\u001f]/.test(url)) return '/';
  return url;
}

const text = (v: unknown, fallback: string) => (typeof v === 'string' && v.trim() ? v.slice(0, MAX_TEXT) : fallback);

/** A push's JSON text → what to show; a payload that is not ours still shows something (pushes must be visible). */
export function parsePushPayload(raw: string | null): PushNotice {
  let p: Record<string, unknown> = {};
  try {
    const v: unknown = raw ? JSON.parse(raw) : {};
    if (v && typeof v === 'object' && !Array.isArray(v)) p = v as Record<string, unknown>;
  } catch {
    // Not JSON: the generic notice below.
  }
  const url = safeTarget(p['url']);
  return {
    title: text(p['title'], 'Roost'),
    body: text(p['body'], 'A session wants your attention.'),
    tag: text(p['tag'], `roost:${url}`),
    url,
  };
}

/** base64url (the VAPID public key from /api/push/key) → bytes for applicationServerKey. */
export function base64UrlBytes(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** "Firefox on Android", "Chrome on Linux": how the subscription is listed in `roost notify ls`. */
export function deviceName(userAgent: string): string {
  const browser = /Edg\//.test(userAgent) ? 'Edge'
    : /Firefox\//.test(userAgent) ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome'
        : /Safari\//.test(userAgent) ? 'Safari' : 'Browser';
  const platform = /Android/.test(userAgent) ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent) ? 'iOS'
      : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS'
        : /Windows/.test(userAgent) ? 'Windows'
          : /CrOS/.test(userAgent) ? 'ChromeOS'
            : /Linux/.test(userAgent) ? 'Linux' : 'this device';
  return `${browser} on ${platform}`;
}
