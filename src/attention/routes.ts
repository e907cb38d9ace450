/**
 * Attention routes.
 *
 * Unix socket only — POST /api/hooks/claude: a Claude Code hook's report
 *   (src/attention/hook-report.ts validates it; docs/attention.md).
 * Both listeners:
 *   GET    /api/push/key            the VAPID public key for PushManager.subscribe()
 *   POST   /api/push/subscriptions  {subscription, name?}: this browser wants pushes (owner)
 *   DELETE /api/push/subscriptions  {endpoint}: it no longer does (owner)
 *   GET    /api/notify/channels     channels without secrets, with delivery status
 */
import type { RouteArea } from '../server/types.js';
import { requireOwner } from '../server/access.js';
import { HttpError } from '../server/errors.js';
import { CLAUDE_HOOK_ROUTE, HOOK_REPORT_MAX_BYTES } from './hook-report.js';
import { webPushChannel } from '../notify/create.js';
import { ChannelError, publicChannel } from '../notify/channels.js';
import { UrlRefused } from '../notify/url-guard.js';
import type { AttentionService } from './service.js';

/** The routes of a started attention service (`attention()` is called per request, after start). */
export function attentionRoutes(attention: () => AttentionService): RouteArea[] {
  return [hookRoutes(attention), pushRoutes(attention)];
}

const hookRoutes = (attention: () => AttentionService): RouteArea => ({
  name: 'agent hooks',
  unixOnly: true,
  register(app) {
    app.post(CLAUDE_HOOK_ROUTE, { bodyLimit: HOOK_REPORT_MAX_BYTES }, async (req, reply) => {
      const r = attention().handleClaudeHook(req.body);
      return reply.code(r.status).send(r.body);
    });
  },
});

const pushRoutes = (attention: () => AttentionService): RouteArea => ({
  name: 'push',
  register(app) {
    app.get('/api/push/key', async () => ({ key: attention().vapidPublicKey() }));

    app.post('/api/push/subscriptions', async (req, reply) => {
      requireOwner(req);
      const body = (req.body ?? {}) as { subscription?: unknown; name?: unknown };
      try {
        const c = attention().channels.upsertPush(webPushChannel({
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
      attention().channels.removePushEndpoint(endpoint);
      return reply.code(204).send();
    });

    app.get('/api/notify/channels', async () =>
      attention().channels.list().map((c) => ({ ...publicChannel(c), status: attention().dispatcher.status(c.id) })));
  },
});
