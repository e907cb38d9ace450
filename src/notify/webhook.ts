/**
 * Generic webhook: a JSON POST signed with HMAC-SHA256 over the raw body,
 * keyed by the channel's secret:
 *   X-Roost-Signature: sha256=<hex of HMAC-SHA256(secret, body)>
 *   X-Roost-Timestamp: <epoch seconds of this attempt>
 *   X-Roost-Delivery:  <id, the same on every retry of one notification>
 * The body carries `sentAt` too, so the signature covers the time: a
 * receiver verifies the signature, then refuses a sentAt far from its clock
 * (replays). docs/notifications.md has the body's fields and a verifier.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { WebhookConfig } from './channels.js';
import type { Notification } from './message.js';
import { postGuarded } from './http.js';

export const SIGNATURE_HEADER = 'X-Roost-Signature';
export const TIMESTAMP_HEADER = 'X-Roost-Timestamp';
export const DELIVERY_HEADER = 'X-Roost-Delivery';

/** A new webhook secret: 256 random bits, hex. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('hex');
}

export function sign(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check of a signature header against a body (what a receiver does). */
export function verifySignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const want = Buffer.from(sign(secret, body));
  const got = Buffer.from(header);
  return got.length === want.length && timingSafeEqual(got, want);
}

export interface WebhookBody {
  type: 'roost.notification';
  version: 1;
  id: string;
  /** Epoch ms of this attempt. */
  sentAt: number;
  test: boolean;
  title: string;
  body: string;
  url: string;
  state: string;
  session: string;
  /** null for an event about no window (job-*, schedule-*, node-*, restored). */
  window: { index: number; name: string } | null;
  /** Epoch ms of the state change. */
  at: number;
}

export function webhookBody(n: Notification, id: string, sentAt: number): WebhookBody {
  return {
    type: 'roost.notification', version: 1, id, sentAt, test: n.test === true,
    title: n.title, body: n.body, url: n.url, state: n.state, session: n.session, window: n.window, at: n.at,
  };
}

export async function sendWebhook(c: WebhookConfig, allowPrivate: boolean, n: Notification, id: string, now: number): Promise<void> {
  const body = JSON.stringify(webhookBody(n, id, now));
  await postGuarded(new URL(c.url), {
    headers: {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      'User-Agent': 'roost',
      [SIGNATURE_HEADER]: sign(c.secret, body),
      [TIMESTAMP_HEADER]: String(Math.floor(now / 1000)),
      [DELIVERY_HEADER]: id,
    },
    body,
    allowPrivate,
  });
}
