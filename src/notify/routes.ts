/**
 * Notify routes, on both listeners:
 *   GET    /api/push/key            the VAPID public key for PushManager.subscribe()
 *   POST   /api/push/subscriptions  {subscription, name?}: this browser wants pushes (owner)
 *   DELETE /api/push/subscriptions  {endpoint}: it no longer does (owner)
 *   GET    /api/notify/channels     channels without secrets (an ntfy topic for owners only), with delivery status
 *   POST   /api/notify/channels/:id/enable, …/disable   switch a channel on or off (owner)
 */
import type { RouteArea } from '../server/types.js';
import type { Request } from '../server/http/request.js';
import { isOwner, requireOwner } from '../server/access.js';
import { HttpError } from '../server/errors.js';
import { webPushChannel } from './create.js';
import { ChannelError, publicChannel, type ChannelViewer } from './channels.js';
import { UrlRefused } from './url-guard.js';
import type { Notifier } from './notifier.js';

/** A channel ID as the CLI takes it: a positive integer, no sign or leading zero. */
function channelId(raw: string): number {
  if (!/^[1-9]\d{0,9}$/.test(raw)) throw new HttpError(400, 'bad-id', `invalid channel ID ${JSON.stringify(raw)}: IDs are numbers`);
  return Number(raw);
}

/** An ntfy topic is shown to owners only (channels.ts, ChannelViewer). */
const viewer = (req: Request): ChannelViewer => (isOwner(req) ? 'owner' : 'read-only');

export const notifyRoutes = (notifier: Notifier): RouteArea => ({
  name: 'push',
  register(app) {
    app.get('/api/push/key', async () => ({ key: notifier.vapidPublicKey() }));

    app.post('/api/push/subscriptions', async (req, reply) => {
      requireOwner(req);
      const body = (req.body ?? {}) as { subscription?: unknown; name?: unknown };
      try {
        const c = notifier.channels.upsertPush(webPushChannel({
          subscription: body.subscription,
          name: typeof body.name === 'string' ? body.name : null,
        }));
        return reply.code(201).send({ id: c.id });
      } catch (e) {
        if (e instanceof ChannelError || e instanceof UrlRefused) throw new HttpError(400, 'bad-subscription', e.message);
        throw e;
      }
    });

    app.delete('/api/push/subscriptions', async (req, reply) => {
      requireOwner(req);
      const endpoint = (req.body as { endpoint?: unknown } | undefined)?.endpoint;
      if (typeof endpoint !== 'string' || endpoint.length > 2048) throw new HttpError(400, 'bad-request', 'send {"endpoint": "..."}');
      notifier.channels.removePushEndpoint(endpoint);
      return reply.code(204).send();
    });

    app.get('/api/notify/channels', async (req) =>
      notifier.channels.list().map((c) => ({ ...publicChannel(c, viewer(req)), status: notifier.dispatcher.status(c.id) })));

    for (const action of ['enable', 'disable'] as const) {
      app.post<{ Params: { id: string } }>(`/api/notify/channels/:id/${action}`, async (req) => {
        requireOwner(req);
        const id = channelId(req.params.id);
        if (!notifier.channels.setEnabled(id, action === 'enable')) throw new HttpError(404, 'no-channel', `no channel ${id}`);
        const c = notifier.channels.get(id)!;
        return { ...publicChannel(c, viewer(req)), status: notifier.dispatcher.status(c.id) };
      });
    }
  },
});
