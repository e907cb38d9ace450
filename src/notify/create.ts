/**
 * Turning what a user typed (CLI flags, an API body) into a channel to
 * store: every field validated here, the destination URL checked for form
 * and resolved once against the private-address rule. One clear error
 * (ChannelError or UrlRefused), nothing half-made.
 */
import { ChannelError, ntfyTopic, parseQuiet, parseSessions, parseStates, pushSubscriptionSchema, type NewChannel } from './channels.js';
import { checkUrl, resolveAndCheck } from './url-guard.js';
import { checkEndpoint } from './webpush.js';
import { newWebhookSecret } from './webhook.js';

export interface CommonInput {
  name?: string | null;
  /** Event kinds to notify (--states); checked against `kinds`. */
  states?: readonly string[] | null;
  /** The kinds the sources send (the composition lists them); needed when `states` is given. */
  kinds?: readonly string[];
  sessions?: readonly string[] | null;
  quiet?: string | null;
  allowPrivate?: boolean;
}

function common(i: CommonInput): { name: string | null; enabled: true; states: string[] | null; sessions: string[] | null; quiet: string | null; allowPrivate: boolean } {
  const name = i.name?.trim() || null;
  if (name !== null && (name.length > 64 || /[\u0000-\u001f\u007f]/.test(name))) throw new ChannelError('a channel name is one line of at most 64 characters');
  let states: string[] | null = null;
  if (i.states?.length) {
    // A caller that takes a state filter must say which kinds exist: a programming error, not the user's.
    if (!i.kinds) throw new Error('a state filter needs the known kinds');
    states = parseStates(i.states, i.kinds);
  }
  return {
    name,
    enabled: true,
    states,
    sessions: i.sessions?.length ? parseSessions(i.sessions) : null,
    quiet: i.quiet ? parseQuiet(i.quiet) : null,
    allowPrivate: i.allowPrivate === true,
  };
}

/** The longest secret we take (bytes): a token or secret is a line, not a file's worth. */
const MAX_SECRET = 1024;

function secretText(v: string, what: string): string {
  const s = v.trim();
  if (s.length === 0) throw new ChannelError(`the ${what} is empty`);
  if (s.length > MAX_SECRET || /[\s\u0000-\u001f]/.test(s)) throw new ChannelError(`the ${what} must be one word of at most ${MAX_SECRET} characters`);
  return s;
}

export async function ntfyChannel(i: CommonInput & { url: string; topic: string; token?: string | null }): Promise<NewChannel> {
  const c = common(i);
  const u = checkUrl(i.url, { allowPrivate: c.allowPrivate });
  if (u.search || u.hash) throw new ChannelError('the ntfy server URL takes no query or fragment');
  const topic = ntfyTopic.safeParse(i.topic);
  if (!topic.success) throw new ChannelError(`invalid ntfy topic ${JSON.stringify(i.topic)}: ${topic.error.issues[0]!.message}`);
  await resolveAndCheck(u, { allowPrivate: c.allowPrivate });
  return { ...c, kind: 'ntfy', config: { url: u.toString().replace(/\/+$/, ''), topic: topic.data, token: i.token ? secretText(i.token, 'token') : null } };
}

/** A webhook channel; without a secret one is made (the caller shows it once). */
export async function webhookChannel(i: CommonInput & { url: string; secret?: string | null }): Promise<NewChannel & { kind: 'webhook' }> {
  const c = common(i);
  const u = checkUrl(i.url, { allowPrivate: c.allowPrivate });
  await resolveAndCheck(u, { allowPrivate: c.allowPrivate });
  return { ...c, kind: 'webhook', config: { url: u.toString(), secret: i.secret ? secretText(i.secret, 'secret') : newWebhookSecret() } };
}

/** A browser's push subscription (PushSubscription.toJSON()). */
export function webPushChannel(i: CommonInput & { subscription: unknown; allowInsecureEndpoint?: boolean }): NewChannel & { kind: 'webpush' } {
  const c = common({ ...i, allowPrivate: false });
  const sub = pushSubscriptionSchema.safeParse(i.subscription);
  if (!sub.success) {
    const issue = sub.error.issues[0]!;
    throw new ChannelError(`invalid push subscription: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const allowInsecureEndpoint = i.allowInsecureEndpoint === true;
  checkEndpoint(sub.data.endpoint, allowInsecureEndpoint);
  return { ...c, kind: 'webpush', config: { endpoint: sub.data.endpoint, keys: sub.data.keys, allowInsecureEndpoint } };
}
