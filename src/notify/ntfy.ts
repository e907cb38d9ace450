/**
 * ntfy (https://ntfy.sh or a self-hosted server): POST SERVER/TOPIC with the
 * body as the message and Title, Tags (the event's icon), Priority (and
 * Click, when the dashboard's address is known) as headers; an access
 * token as Bearer.
 * Non-ASCII header values go as RFC 2047 encoded words, which ntfy decodes.
 */
import type { NtfyConfig } from './channels.js';
import type { Notification } from './message.js';
import { postGuarded } from './http.js';

/** ntfy priorities: 3 default, 4 high (urgent: e.g. a permission prompt blocks the agent). */
const PRIORITY_DEFAULT = '3';
const PRIORITY_HIGH = '4';

/** A header value as ASCII: as is when it is, else an RFC 2047 encoded word. */
export function headerText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

export function ntfyUrl(c: NtfyConfig): URL {
  return new URL(`${c.url.replace(/\/+$/, '')}/${encodeURIComponent(c.topic)}`);
}

export interface NtfyRequest {
  url: URL;
  headers: Record<string, string>;
  body: string;
}

/** The request, built apart from sending so its shape is easy to see and test. */
export function ntfyRequest(c: NtfyConfig, n: Notification, publicUrl?: string | null): NtfyRequest {
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain; charset=utf-8',
    Title: headerText(n.title),
    // ntfy shows the emoji short code in front of the title.
    ...(n.icon ? { Tags: n.icon } : {}),
    Priority: n.urgent ? PRIORITY_HIGH : PRIORITY_DEFAULT,
  };
  if (publicUrl) headers['Click'] = new URL(n.url, publicUrl).toString();
  if (c.token) headers['Authorization'] = `Bearer ${c.token}`;
  return { url: ntfyUrl(c), headers, body: n.body };
}

export async function sendNtfy(c: NtfyConfig, allowPrivate: boolean, n: Notification, publicUrl?: string | null): Promise<void> {
  const r = ntfyRequest(c, n, publicUrl);
  await postGuarded(r.url, { headers: { ...r.headers, 'Content-Length': String(Buffer.byteLength(r.body)) }, body: r.body, allowPrivate });
}
