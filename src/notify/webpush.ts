/**
 * Web Push: encrypt the payload for one browser subscription (RFC 8291,
 * aes128gcm), sign with the server's VAPID key (RFC 8292), POST it to the
 * subscription's push service. web-push builds the request; the guarded
 * POST in http.ts sends it. The payload is {title, body, url, tag, state}
 * and never terminal content; the service worker shows it and opens `url`.
 * Endpoints must be https on a public address, unless the channel carries
 * the test-only allowInsecureEndpoint flag.
 */
import type { WebPushConfig } from './channels.js';
import type { Notification } from './message.js';
import type { VapidKeys } from './vapid.js';
import { checkUrl, PUSH_SERVICE_HINT } from './url-guard.js';
import { postGuarded } from './http.js';

/** How long (s) a push service keeps a notification for an offline device: older news is stale. */
export const PUSH_TTL_SECONDS = 3600;
/**
 * VAPID `sub` claim: how a push service can reach the sender. Some services
 * refuse a localhost address, so the default is a syntactically real one.
 */
export const DEFAULT_VAPID_SUBJECT = 'mailto:roost@example.com';

export interface PushPayload {
  title: string;
  body: string;
  url: string;
  tag: string;
  state: string;
  at: number;
}

export function pushPayload(n: Notification): PushPayload {
  return { title: n.title, body: n.body, url: n.url, tag: n.tag, state: n.state, at: n.at };
}

/** Check an endpoint's form (https, and a public literal address) unless insecure endpoints are allowed. */
export function checkEndpoint(endpoint: string, allowInsecureEndpoint: boolean): URL {
  return checkUrl(endpoint, { allowPrivate: allowInsecureEndpoint, allowHttp: allowInsecureEndpoint, privateHint: PUSH_SERVICE_HINT });
}

export async function sendWebPush(c: WebPushConfig, n: Notification, vapid: VapidKeys, subject = DEFAULT_VAPID_SUBJECT): Promise<void> {
  const url = checkEndpoint(c.endpoint, c.allowInsecureEndpoint);
  // Loaded at the first push, not with the daemon: most daemons idle far more than they push.
  const { default: webPush } = await import('web-push');
  const details = webPush.generateRequestDetails({ endpoint: c.endpoint, keys: c.keys }, JSON.stringify(pushPayload(n)), {
    vapidDetails: { subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
    TTL: PUSH_TTL_SECONDS,
    urgency: n.urgent ? 'high' : 'normal',
    contentEncoding: 'aes128gcm',
  });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(details.headers)) headers[k] = String(v);
  await postGuarded(url, { headers, body: details.body ?? Buffer.alloc(0), allowPrivate: c.allowInsecureEndpoint, privateHint: PUSH_SERVICE_HINT });
}
