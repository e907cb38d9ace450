/**
 * Jobs over HTTP, on both listeners, with the same auth as every route:
 *   GET    /api/jobs                      every job of this daemon's tmux server (JobInfo[])
 *   GET    /api/jobs/:name                one job
 *   GET    /api/jobs/:name/log            raw bytes of its output by offset (see below)
 *   GET    /api/jobs/:name/log/download   the whole log as a file (text, or ?raw=1)
 *   POST   /api/jobs/:name/stop           {signal?, grace?}: stop it (owner); 202, ends in the background
 *   DELETE /api/jobs/:name                forget a finished job and its log (owner)
 *
 * Log ranges: `?from=N` reads forward from offset N (a phone resumes where
 * it stopped), `?to=N` reads the bytes before N (paging back), neither
 * reads the tail; `max` bytes at most. Pages that do not start at the
 * beginning of the log start at a line's start. The headers of
 * LOG_HEADERS (src/shared/jobs.ts) say where the bytes sit. Offsets count
 * every byte the job printed, so they survive cuts. A job is named, never
 * a path: the folder comes from the job's id.
 */
import { Readable } from 'node:stream';
import type { Reply } from '../server/http/reply.js';
import { checkName } from '../shared/names.js';
import { cutMarker, LOG_HEADERS, type JobInfo } from '../shared/jobs.js';
import { LogLineReader, type LogLine } from '../shared/log-text.js';
import type { RouteArea } from '../server/types.js';
import { HttpError } from '../server/errors.js';
import { requireOwner } from '../server/access.js';
import type { SessionsFeed } from '../sessions/feed.js';
import type { SessionInfo } from '../shared/api.js';
import { afterCut, chunks, lineStartFrom, readRange } from './log-reader.js';
import { jobDir } from './paths.js';
import { JobInputError } from './spec.js';
import { parseSignal, DEFAULT_GRACE_MS } from './stop.js';
import type { Jobs, PanesBySocket } from './jobs.js';
import type { PaneFacts } from './state.js';

/** Bytes per log range: default (a phone screenful many times over) and most. */
export const LOG_RANGE_DEFAULT = 256 * 1024;
export const LOG_RANGE_MAX = 4 * 1024 * 1024;
const OFFSET_RE = /^\d{1,15}$/;

function jobName(value: unknown): string {
  const c = checkName(value, 'job name');
  if (!c.ok) throw new HttpError(400, 'bad-name', c.error);
  return c.name;
}

function offset(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !OFFSET_RE.test(value)) throw new HttpError(400, 'bad-range', `${what} must be a byte offset (a whole number)`);
  return Number(value);
}

/** The panes of a listing, as the jobs judge them. */
export function panesOf(sessions: readonly SessionInfo[]): PaneFacts[] {
  return sessions.flatMap((s) => s.windows.flatMap((w) => w.panes.map((p) => ({ sessionId: s.id, sessionName: s.name, panePid: p.pid, dead: p.dead }))));
}

export const jobRoutes = (jobs: Jobs, feed: SessionsFeed): RouteArea => {
  /** A listing made after this call: a job started just before cannot be missing from it. */
  const fresh = async (): Promise<PanesBySocket> => new Map([[jobs.socket, panesOf(await feed.refresh())]]);
  const find = async (name: string): Promise<JobInfo> => {
    const j = await jobs.get(jobName(name), await fresh());
    if (!j) throw new HttpError(404, 'no-job', `no job named ${name}`);
    return j;
  };
  return {
    name: 'jobs',
    register(app) {
      app.get('/api/jobs', async () => jobs.list({ panes: await fresh() }));

      app.get<{ Params: { name: string } }>('/api/jobs/:name', async (req) => find(req.params.name));

      app.get<{ Params: { name: string }; Querystring: Record<string, unknown> }>('/api/jobs/:name/log', async (req, reply) => {
        const job = await find(req.params.name);
        const from = offset(req.query['from'], 'from');
        const to = offset(req.query['to'], 'to');
        const max = offset(req.query['max'], 'max') ?? LOG_RANGE_DEFAULT;
        if (from !== undefined && to !== undefined) throw new HttpError(400, 'bad-range', 'give from or to, not both');
        if (max < 1 || max > LOG_RANGE_MAX) throw new HttpError(400, 'bad-range', `max must be 1 to ${LOG_RANGE_MAX}`);
        const dir = jobDir(jobs.stateDir, job.id);
        let r;
        if (from !== undefined) {
          r = readRange(dir, from, Number.MAX_SAFE_INTEGER, max);
        } else {
          // Backwards (or the tail): end at `to`, start at a line's start unless that is the log's beginning.
          const end = Math.min(to ?? job.log.end, job.log.end);
          const start = Math.max(job.log.start, end - max);
          const aligned = start <= job.log.start ? start : lineStartFrom(dir, start, end);
          r = readRange(dir, aligned < end ? aligned : start, end, max);
        }
        return reply
          .header('content-type', 'application/octet-stream')
          .header('cache-control', 'no-store')
          .header(LOG_HEADERS.start, String(r.extent.start))
          .header(LOG_HEADERS.end, String(r.extent.end))
          .header(LOG_HEADERS.from, String(r.from))
          .header(LOG_HEADERS.to, String(r.to))
          .header(LOG_HEADERS.complete, job.state === 'running' ? '0' : '1')
          .send(r.data);
      });

      app.get<{ Params: { name: string }; Querystring: Record<string, unknown> }>('/api/jobs/:name/log/download', async (req, reply) => {
        const job = await find(req.params.name);
        const raw = req.query['raw'] === '1';
        const dir = jobDir(jobs.stateDir, job.id);
        return download(reply, job, dir, raw);
      });

      app.post<{ Params: { name: string } }>('/api/jobs/:name/stop', async (req, reply) => {
        requireOwner(req);
        const job = await find(req.params.name);
        const body = (req.body ?? {}) as { signal?: unknown; grace?: unknown };
        let signal: NodeJS.Signals = 'SIGTERM';
        try {
          if (body.signal !== undefined) signal = parseSignal(String(body.signal));
        } catch (e) {
          throw new HttpError(400, 'bad-signal', (e as Error).message);
        }
        const grace = body.grace === undefined ? DEFAULT_GRACE_MS / 1000 : body.grace;
        if (typeof grace !== 'number' || !(grace >= 0 && grace <= 86_400)) throw new HttpError(400, 'bad-grace', 'grace must be seconds, 0 to 86400');
        if (job.state !== 'running') throw new HttpError(409, 'not-running', `job ${job.name} is not running`);
        // The stop waits out the grace period; the caller sees the end in the listing.
        jobs.stop(job.name, { signal, graceMs: grace * 1000 }).catch((e: unknown) => req.log.warn({ err: e as Error }, `stopping job ${job.name} failed`));
        return reply.code(202).send({ name: job.name, signal });
      });

      app.delete<{ Params: { name: string } }>('/api/jobs/:name', async (req, reply) => {
        requireOwner(req);
        const job = await find(req.params.name);
        if (job.state === 'running') throw new HttpError(409, 'running', `job ${job.name} is running; stop it first`);
        try {
          await jobs.remove(job.name);
        } catch (e) {
          if (e instanceof JobInputError) throw new HttpError(409, 'refused', e.message);
          throw e;
        }
        return reply.code(204).send();
      });
    },
  };
};

/** The whole log as an attachment: text (as `roost logs`) or the raw bytes. */
function download(reply: Reply, job: JobInfo, dir: string, raw: boolean): Reply {
  async function* body(): AsyncGenerator<string | Buffer> {
    // Text starts at the first whole line after a cut (as roost logs); raw keeps the bytes as they are.
    const from = raw ? job.log.start : afterCut(dir, job.log.start);
    if (from > 0 && !raw) yield `${cutMarker(from)}\n`;
    const reader = new LogLineReader();
    const text = (lines: LogLine[]) => lines.map((l) => `${l.text}\n`).join('');
    for (const r of chunks(dir, from)) yield raw ? r.data : text(reader.push(r.from, r.data));
    if (!raw) yield text(reader.end());
  }
  return reply
    .header('content-type', raw ? 'application/octet-stream' : 'text/plain; charset=utf-8')
    .header('content-disposition', `attachment; filename="${job.name}${raw ? '.raw' : ''}.log"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(body()));
}
