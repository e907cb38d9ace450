/**
 * One SendFn for every kind of channel, for the dispatcher: picks the
 * sender by kind and hands it what it needs (VAPID keys, the dashboard's
 * public address for ntfy's Click header).
 */
import type { SendFn } from './dispatcher.js';
import type { VapidKeys } from './vapid.js';
import { sendNtfy } from './ntfy.js';
import { sendWebhook } from './webhook.js';
import { sendWebPush, DEFAULT_VAPID_SUBJECT } from './webpush.js';

export interface SenderOptions {
  /** The VAPID key pair (loaded lazily: only Web Push needs it). */
  vapid: () => VapidKeys;
  vapidSubject?: string;
  /** The dashboard's address as phones reach it, e.g. https://host:7373; null if unknown. */
  publicUrl?: () => string | null;
}

export function createSender(o: SenderOptions): SendFn {
  return async (channel, n, attempt) => {
    switch (channel.kind) {
      case 'ntfy':
        return sendNtfy(channel.config, channel.allowPrivate, n, o.publicUrl?.() ?? null);
      case 'webhook':
        return sendWebhook(channel.config, channel.allowPrivate, n, attempt.id, attempt.now);
      case 'webpush':
        return sendWebPush(channel.config, n, o.vapid(), o.vapidSubject ?? DEFAULT_VAPID_SUBJECT);
    }
  };
}
