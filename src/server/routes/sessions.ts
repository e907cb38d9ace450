/**
 * Sessions: GET /api/sessions (the feed's listing), POST (create),
 * PATCH /:name (rename), DELETE /:name (kill). Names pass the one name rule
 * before tmux sees them; changes need the owner role and refresh the feed at
 * once so every dashboard sees them.
 */
import * as z from 'zod';
import { createSession, InvalidDirectoryError } from '../../sessions/create.js';
import { missingSessionProgram } from '../../process/programs.js';
import { expandHome } from '../../config/config.js';
import { findSession, killSession, renameSession, TmuxError } from '../../tmux/index.js';
import { HttpError } from '../errors.js';
import { EXIT_REASON } from '../../shared/terminal-exit.js';
import { requireOwner } from '../access.js';
import { parseBody, sessionName } from '../validate.js';
import type { ServerDeps } from '../deps.js';
import type { RouteArea } from '../types.js';

const createBody = z.strictObject({
  name: z.unknown(),
  cwd: z.string().min(1).max(4096).optional(),
  command: z.array(z.string().max(16_384)).min(1).max(256).optional(),
});
const renameBody = z.strictObject({ name: z.unknown() });

async function idOf(deps: ServerDeps, name: string): Promise<string> {
  const id = await findSession(deps.tmux, name);
  if (!id) throw new HttpError(404, 'no-session', `no session named ${name}`);
  return id;
}

function refresh(deps: ServerDeps): void {
  // The change is done; a failed listing is logged by the feed and retried by its timer.
  deps.feed.refresh().catch(() => undefined);
}

export const sessionRoutes: RouteArea = {
  name: 'sessions',
  register(app, deps) {
    app.get('/api/sessions', async () => deps.feed.refresh());

    app.post('/api/sessions', async (req, reply) => {
      requireOwner(req);
      const body = parseBody(createBody, req.body);
      const name = sessionName(body.name);
      if (body.command?.some((a) => a.includes('\0'))) throw new HttpError(400, 'bad-command', 'command arguments must not contain NUL');
      const template = body.command ? undefined : deps.config().sessions[name];
      // As `roost new NAME -- CMD` refuses it: a typo would leave a dead window and no reason (the PATH is the
      // daemon's, which tmux's new panes get too when the daemon started the server).
      if (body.command) {
        const missing = missingSessionProgram(body.command, deps.tmux.env['PATH'], body.cwd ? expandHome(body.cwd, deps.paths.home) : deps.paths.home);
        if (missing) throw new HttpError(400, 'no-program', `${missing}; nothing was created`);
      }
      let id: string;
      try {
        id = await createSession(deps.tmux, {
          name,
          // Without a cwd anywhere, start in the home folder rather than wherever the daemon runs.
          cwd: body.cwd ?? (template?.cwd === undefined ? deps.paths.home : undefined),
          command: body.command,
          template,
          home: deps.paths.home,
        });
      } catch (e) {
        if (e instanceof TmuxError && e.kind === 'duplicate') throw new HttpError(409, 'exists', `session ${name} already exists`);
        if (e instanceof InvalidDirectoryError) throw new HttpError(400, 'bad-cwd', e.message);
        throw e;
      }
      refresh(deps);
      return reply.code(201).send({ id, name });
    });

    app.patch<{ Params: { name: string } }>('/api/sessions/:name', async (req) => {
      requireOwner(req);
      const from = sessionName(req.params.name);
      const to = sessionName(parseBody(renameBody, req.body).name);
      const id = await idOf(deps, from);
      if (from !== to) {
        try {
          await renameSession(deps.tmux, id, to);
        } catch (e) {
          if (e instanceof TmuxError && e.kind === 'duplicate') throw new HttpError(409, 'exists', `session ${to} already exists`);
          throw e;
        }
      }
      refresh(deps);
      return { id, name: to };
    });

    app.delete<{ Params: { name: string } }>('/api/sessions/:name', async (req, reply) => {
      requireOwner(req);
      const id = await idOf(deps, sessionName(req.params.name));
      await killSession(deps.tmux, id);
      deps.terminals.endSession(id, EXIT_REASON.killed);
      refresh(deps);
      return reply.code(204).send();
    });
  },
};
