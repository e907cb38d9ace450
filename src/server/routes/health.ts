/** GET /healthz: public liveness check. Says nothing about the server beyond "up". */
import type { RouteArea } from '../types.js';

export const healthRoutes: RouteArea = {
  name: 'health',
  register(app) {
    app.get('/healthz', async () => ({ ok: true }));
  },
};
