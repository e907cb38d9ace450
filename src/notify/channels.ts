/**
 * What a notification channel is: its kind and destination, its secrets,
 * and what it wants to hear (event kinds, sessions, quiet hours). Validation of
 * a channel's settings lives here too, in one place for the CLI and the API;
 * publicChannel() is the only view that leaves the daemon (secrets out).
 */
import * as z from 'zod';
import { isValidName } from '../shared/names.js';

export type ChannelKind = 'ntfy' | 'webhook' | 'webpush';

export interface NtfyConfig {
  /** Server base URL, e.g. https://ntfy.sh */
  url: string;
  topic: string;
  /** Access token (secret), or null. */
  token: string | null;
}

export interface WebhookConfig {
  url: string;
  /** HMAC-SHA256 key for X-Roost-Signature (secret). */
  secret: string;
}

export interface WebPushConfig {
  /** The push service URL of one browser's subscription (a capability: treat as secret). */
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** Test-only: allow an http:// or private endpoint. Refused unless set explicitly. */
  allowInsecureEndpoint: boolean;
}

interface ChannelBase {
  id: number;
  /** A label: a device name for Web Push, free text otherwise. */
  name: string | null;
  enabled: boolean;
  /**
   * Event kinds that notify (event.ts); null = every kind. The name is the
   * stored and public one: attention states were the first kinds.
   */
  states: string[] | null;
  /** Session names that notify; null = all. */
  sessions: string[] | null;
  /** Local time range "HH:MM-HH:MM" with no notifications, or null. */
  quiet: string | null;
  /** Allow a URL that reaches loopback, private or link-local addresses. */
  allowPrivate: boolean;
  /** Epoch ms. */
  createdAt: number;
}

export type Channel =
  | (ChannelBase & { kind: 'ntfy'; config: NtfyConfig })
  | (ChannelBase & { kind: 'webhook'; config: WebhookConfig })
  | (ChannelBase & { kind: 'webpush'; config: WebPushConfig });

/** A channel as it is created: everything but the id and creation time. */
export type NewChannel = Channel extends infer C ? (C extends Channel ? Omit<C, 'id' | 'createdAt'> : never) : never;

/** Delivery outcome per channel, for `roost notify ls` and the dashboard. */
export interface DeliveryStatus {
  lastOkAt: number | null;
  lastErrorAt: number | null;
  lastError: string | null;
  /** Notifications waiting (incl. retries) and dropped because the queue was full. */
  pending: number;
  dropped: number;
}

export class ChannelError extends Error {
  override name = 'ChannelError';
}

const QUIET_RE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** Validate "HH:MM-HH:MM" (24-hour, may wrap midnight); returns it normalised. */
export function parseQuiet(raw: string): string {
  const s = raw.replace(/\s+/g, '').replace('–', '-');
  const m = QUIET_RE.exec(s);
  if (!m || s.slice(0, 5) === s.slice(6)) throw new ChannelError(`invalid quiet hours ${JSON.stringify(raw)}: use HH:MM-HH:MM, e.g. 22:00-07:00`);
  return s;
}

/**
 * States a channel may have stored under a name that is gone, and what they
 * are now: a scheduled run's permission prompt was `schedule-waiting` and is
 * attention's `needs-permission` (told once, with its window). Read, never
 * written back: the channel hears what it asked for, and `notify ls` says it.
 */
const RENAMED_STATES: Readonly<Record<string, string>> = { 'schedule-waiting': 'needs-permission' };

/** A channel's stored --states as they read today (RENAMED_STATES), without repeats. */
export function currentStates(stored: readonly string[]): string[] {
  return [...new Set(stored.map((s) => RENAMED_STATES[s] ?? s))];
}

/** Whether channel `c` wants an event of `kind` about `session` (its --states and --sessions filters). */
export function channelTakes(c: Pick<Channel, 'states' | 'sessions'>, kind: string, session: string | null): boolean {
  return (!c.states || c.states.includes(kind)) && (!c.sessions || (session !== null && c.sessions.includes(session)));
}

/** Whether a local time falls in a quiet range (start inclusive, end exclusive; wraps midnight). */
export function inQuietHours(quiet: string | null, at: Date): boolean {
  if (!quiet) return false;
  const m = QUIET_RE.exec(quiet);
  if (!m) return false;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  const now = at.getHours() * 60 + at.getMinutes();
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/**
 * Validate a state filter list ("waiting,needs-permission") against the
 * kinds the sources send: `known` comes from the composition (the CLI),
 * so notify names no source's kinds itself.
 */
export function parseStates(list: readonly string[], known: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of list.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    if (!known.includes(s)) throw new ChannelError(`unknown state "${s}": use ${known.join(', ')}`);
    if (!out.includes(s)) out.push(s);
  }
  if (out.length === 0) throw new ChannelError('empty state list');
  return out;
}

/** Validate a session filter list ("main,work"). */
export function parseSessions(list: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of list.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    if (!isValidName(s)) throw new ChannelError(`invalid session name ${JSON.stringify(s)}`);
    if (!out.includes(s)) out.push(s);
  }
  if (out.length === 0) throw new ChannelError('empty session list');
  return out;
}

/** ntfy topic names: what ntfy itself accepts. */
export const ntfyTopic = z.string().regex(/^[-_A-Za-z0-9]{1,64}$/, 'use 1-64 letters, digits, "-" or "_"');

/** A Web Push subscription as the browser's PushSubscription.toJSON() gives it. */
export const pushSubscriptionSchema = z.object({
  endpoint: z.string().min(1).max(2048),
  keys: z.object({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, 'not a P-256 public key (base64url)'),
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,24}$/, 'not a 16-byte auth secret (base64url)'),
  }),
});

/**
 * Who a channel is shown to. An ntfy topic is the channel's secret (whoever
 * knows it reads and publishes), but its owner needs it to subscribe on the
 * phone: the owner (the CLI, an owner's login) sees the whole URL, anyone
 * else (a read-only login) the server's origin alone, like a webhook: a
 * self-hosted ntfy behind a path (`http://host/ntfy/SECRET/`) keeps a secret
 * there too.
 */
export type ChannelViewer = 'owner' | 'read-only';

/** Where the channel sends, for lists: the destination without secrets or capability paths. */
export function destination(c: Channel, viewer: ChannelViewer): string {
  switch (c.kind) {
    case 'ntfy': {
      if (viewer !== 'owner') return `${new URL(c.config.url).origin}/…`;
      return `${c.config.url.replace(/\/+$/, '')}/${c.config.topic}`;
    }
    case 'webhook':
    case 'webpush': {
      // Webhook paths often hold a secret (chat webhooks), push endpoints are capabilities.
      const u = new URL(c.kind === 'webhook' ? c.config.url : c.config.endpoint);
      return `${u.origin}/…`;
    }
  }
}

export interface PublicChannel {
  id: number;
  kind: ChannelKind;
  name: string | null;
  enabled: boolean;
  destination: string;
  states: string[] | null;
  sessions: string[] | null;
  quiet: string | null;
  allowPrivate: boolean;
  /**
   * Whether the channel holds a secret the view leaves out; never the value.
   * ntfy: its topic (whoever knows it reads and publishes; read-only logins
   * do not see it) or a token; webhook: its signing secret.
   */
  hasSecret: boolean;
  createdAt: number;
}

export function publicChannel(c: Channel, viewer: ChannelViewer): PublicChannel {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    enabled: c.enabled,
    destination: destination(c, viewer),
    states: c.states,
    sessions: c.sessions,
    quiet: c.quiet,
    allowPrivate: c.allowPrivate,
    hasSecret: c.kind === 'ntfy' ? c.config.topic !== '' || c.config.token !== null : c.kind === 'webhook',
    createdAt: c.createdAt,
  };
}
