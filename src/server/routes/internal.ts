/**
 * Unix-socket-only plumbing for the owner's CLI:
 * POST /api/internal/auth-changed — the database's credentials changed
 * (token revoke, passwd): check open WebSockets now rather than within a second.
 * GET /api/internal/url — the dashboard's address as browsers reach it
 * (`roost token create` prints a token's login link with it).
 */
import type { RouteArea } from '../types.js';

export const internalRoutes: RouteArea = {
  name: 'internal',
  unixOnly: true,
  register(app, deps) {
    app.post('/api/internal/auth-changed', async (_req, reply) => {
      deps.sockets.recheck();
      return reply.code(204).send();
    });
    app.get('/api/internal/url', async () => ({ url: deps.publicUrl() }));
  },
};
