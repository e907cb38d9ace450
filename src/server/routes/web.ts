/**
 * The web app's files, from the build folder (dist/web):
 *   /assets/FILE             dist/web/FILE (public: the login page needs them)
 *   /manifest.webmanifest, /sw.js   the same folder (public)
 *   /login                   index.html (public)
 *   /, /s/NAME[/WINDOW], /jobs[/NAME], /schedules[/NAME]   index.html for a logged-in browser (else 302 /login, see access.ts)
 * Paths are checked segment by segment and resolved inside the folder (no
 * "..", no symlink leading out); anything else is a 404. Without a build,
 * the pages say so in plain text.
 */
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import type { Reply } from '../http/reply.js';
import type { Request } from '../http/request.js';
import { HttpError } from '../errors.js';
import type { RouteArea } from '../types.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

const SEGMENT_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const MAX_SEGMENTS = 8;

export const NOT_BUILT = 'The Roost web app is not built yet: run "npm run build" in the Roost folder, then reload.\n';

function notFound(): HttpError {
  return new HttpError(404, 'not-found', 'no such file');
}

/** Resolve `rel` inside `root`, or throw 404. */
function resolveInside(root: string, rel: string): string {
  const parts = rel.split('/');
  if (parts.length > MAX_SEGMENTS || !parts.every((p) => SEGMENT_RE.test(p) && !p.includes('..'))) throw notFound();
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(join(root, ...parts));
  } catch {
    throw notFound();
  }
  if (!real.startsWith(realRoot + sep)) throw notFound();
  return real;
}

function sendFile(req: Request, reply: Reply, path: string): Reply {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw notFound();
  }
  if (!st.isFile()) throw notFound();
  const etag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  // no-cache: always revalidate, so a rebuilt app is picked up on the next load (file names carry no hash).
  void reply.header('Cache-Control', 'no-cache').header('ETag', etag);
  if (req.headers['if-none-match'] === etag) return reply.code(304).send();
  void reply.type(TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream').header('Content-Length', st.size);
  return reply.send(createReadStream(path));
}

export const webRoutes: RouteArea = {
  name: 'web',
  register(app, deps) {
    const index = (req: Request, reply: Reply) => {
      let path: string;
      try {
        path = resolveInside(deps.webRoot, 'index.html');
      } catch {
        return reply.code(503).type('text/plain; charset=utf-8').header('Cache-Control', 'no-store').send(NOT_BUILT);
      }
      return sendFile(req, reply, path);
    };
    app.get('/login', index);
    app.get('/', index);
    app.get('/s/*', index);
    app.get('/jobs', index);
    app.get('/jobs/*', index);
    app.get('/schedules', index);
    app.get('/schedules/*', index);
    app.get<{ Params: { '*': string } }>('/assets/*', (req, reply) => sendFile(req, reply, resolveInside(deps.webRoot, req.params['*'])));
    app.get('/manifest.webmanifest', (req, reply) => sendFile(req, reply, resolveInside(deps.webRoot, 'manifest.webmanifest')));
    app.get('/sw.js', (req, reply) => sendFile(req, reply, resolveInside(deps.webRoot, 'sw.js')));
  },
};
