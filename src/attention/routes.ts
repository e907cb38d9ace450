/**
 * Attention routes. Unix socket only — POST /api/hooks/claude: a Claude
 * Code hook's report (hook-report.ts validates it; docs/attention.md);
 * GET /api/attention/sessions: the listing with attention states, for
 * `roost ls` (listing.ts).
 */
import type { RouteArea } from '../server/types.js';
import { HOOK_REPORT_MAX_BYTES } from './hook-report.js';
import { CLAUDE_HOOK_ROUTE } from './hook-client.js';
import type { AttentionService } from './service.js';
import { LISTING_ROUTE, type DaemonListing } from './listing.js';

/** The routes of a started attention service (`attention()` is called per request, after start). */
export const hookRoutes = (attention: () => AttentionService): RouteArea => ({
  name: 'agent hooks',
  unixOnly: true,
  register(app) {
    app.post(CLAUDE_HOOK_ROUTE, { bodyLimit: HOOK_REPORT_MAX_BYTES }, async (req, reply) => {
      const r = attention().handleClaudeHook(req.body);
      return reply.code(r.status).send(r.body);
    });
    app.get(LISTING_ROUTE, async (): Promise<DaemonListing> => attention().listing());
  },
});
