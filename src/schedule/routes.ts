/**
 * Schedules over HTTP, on both listeners, behind the same auth hook as
 * every route (src/server/access.ts: a state change needs JSON, its Origin,
 * and here an owner; read-only logins read):
 *   GET    /api/schedules                       ScheduleInfo[]
 *   POST   /api/schedules                       {name, cron, command, cwd?, tz?, env?, guards?, overlap?, catch_up?, timeout?, notify?}: 201 ScheduleInfo & {warnings}
 *   GET    /api/schedules/:name                 ScheduleInfo
 *   DELETE /api/schedules/:name                 204
 *   POST   /api/schedules/:name/pause           ScheduleInfo
 *   POST   /api/schedules/:name/resume          ScheduleInfo
 *   POST   /api/schedules/:name/run             {force?}: RunInfo (started, or skipped with the reason)
 *   GET    /api/schedules/:name/history?limit=N RunInfo[], newest first (N: 1-1000, default 50)
 *   POST   /api/schedules/:name/runs/:id/open   {session, created}: `claude --resume ID` in a session
 * A schedule's `env` holds secrets (API keys): owners get `KEY=VALUE`,
 * read-only logins the keys alone (seenBy).
 * Errors: 400 bad input ({error: code, message: one line}), 404 no such
 * schedule, 409 refused (removing a schedule declared in config.toml).
 */
import type { Request } from '../server/http/request.js';
import type { ScheduleInfo } from '../shared/schedules.js';
import type { RouteArea } from '../server/types.js';
import { HttpError } from '../server/errors.js';
import { isOwner, requireOwner } from '../server/access.js';
import type { TmuxClient } from '../tmux/index.js';
import { apiKeys, missingProgramWarning, ScheduleInputError, UnknownScheduleError, type Schedules } from './schedules.js';
import type { Scheduler } from './scheduler.js';
import { openConversation } from './open.js';

const LIMIT_RE = /^\d{1,4}$/;

/** A refused request as the HTTP error it is. */
async function answer<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UnknownScheduleError) throw new HttpError(404, 'no-schedule', e.message);
    if (e instanceof ScheduleInputError) throw new HttpError(/declared in config/.test(e.message) ? 409 : 400, 'refused', e.message);
    throw e;
  }
}

const body = (req: Request): Record<string, unknown> => {
  const b = req.body ?? {};
  if (typeof b !== 'object' || Array.isArray(b)) throw new HttpError(400, 'bad-body', 'send a JSON object');
  return b as Record<string, unknown>;
};

/** `info` as the caller may see it: the values of its `env` only for an owner, the keys alone ("API_KEY") for anyone else. */
function seenBy(req: Request, info: ScheduleInfo): ScheduleInfo {
  if (isOwner(req)) return info;
  return { ...info, env: info.env.map((e) => e.split('=', 1)[0]!) };
}

/** `daemonPath`: the daemon's PATH, which scheduled runs inherit (the warning of a program not on it). */
export const scheduleRoutes = (schedules: Schedules, scheduler: Scheduler, tmux: TmuxClient, daemonPath: string | undefined): RouteArea => ({
  name: 'schedules',
  register(app) {
    app.get('/api/schedules', async (req) => schedules.list().map((info) => seenBy(req, info)));

    app.post('/api/schedules', async (req, reply) => {
      requireOwner(req);
      const { name, ...spec } = body(req);
      const info = await answer(() => schedules.add(name, spec, apiKeys));
      // Added all the same (see missingProgramWarning); the caller is told, as `roost schedule add` tells on stderr.
      const missing = missingProgramWarning(info, daemonPath);
      return reply.code(201).send({ ...seenBy(req, info), warnings: missing === null ? [] : [missing] });
    });

    app.get<{ Params: { name: string } }>('/api/schedules/:name', async (req) => seenBy(req, await answer(() => schedules.show(req.params.name))));

    app.delete<{ Params: { name: string } }>('/api/schedules/:name', async (req, reply) => {
      requireOwner(req);
      await answer(() => schedules.remove(req.params.name));
      return reply.code(204).send();
    });

    app.post<{ Params: { name: string } }>('/api/schedules/:name/pause', async (req) => {
      requireOwner(req);
      return seenBy(req, await answer(() => schedules.setPaused(req.params.name, true)));
    });

    app.post<{ Params: { name: string } }>('/api/schedules/:name/resume', async (req) => {
      requireOwner(req);
      return seenBy(req, await answer(() => schedules.setPaused(req.params.name, false)));
    });

    app.post<{ Params: { name: string } }>('/api/schedules/:name/run', async (req) => {
      requireOwner(req);
      const force = body(req)['force'];
      if (force !== undefined && typeof force !== 'boolean') throw new HttpError(400, 'bad-force', 'force must be true or false');
      return answer(() => scheduler.runNow(req.params.name, force === true));
    });

    app.get<{ Params: { name: string }; Querystring: Record<string, unknown> }>('/api/schedules/:name/history', async (req) => {
      const raw = req.query['limit'];
      if (raw !== undefined && (typeof raw !== 'string' || !LIMIT_RE.test(raw) || Number(raw) < 1 || Number(raw) > 1000)) {
        throw new HttpError(400, 'bad-limit', 'limit must be 1 to 1000');
      }
      return answer(() => schedules.history(req.params.name, raw === undefined ? 50 : Number(raw)));
    });

    app.post<{ Params: { name: string; id: string } }>('/api/schedules/:name/runs/:id/open', async (req) => {
      requireOwner(req);
      if (!/^\d{1,15}$/.test(req.params.id)) throw new HttpError(400, 'bad-run', 'a run is named by its number');
      return answer(() => openConversation(tmux, schedules, req.params.name, Number(req.params.id)));
    });
  },
});
