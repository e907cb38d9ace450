/**
 * Who may reach what. One onRequest hook, run before every route and every
 * WebSocket upgrade (so a refused upgrade never reaches a handler and never
 * starts a process), checks in this order:
 *
 *   1. Host in the allowlist (TCP only; see hosts.ts)            else 403
 *   2. Origin equal to the request's own origin when the request
 *      changes state (POST/PUT/PATCH/DELETE) or upgrades         else 403
 *   3. A path that parses (http/router.ts)                   else 400/414
 *   4. Content-Type application/json on state-changing requests  else 415
 *   5. The credential: unix socket = owner; else Bearer token, else the
 *      session cookie. A cookie is sent by the browser on its own, so a
 *      cookie-authenticated state change or upgrade must also carry the
 *      Origin header (scripts with a Bearer token need not).     else 403
 *   6. The route is in PUBLIC_ROUTES, or a credential was found.
 *      LOGIN_REDIRECT_ROUTES send a browser to /login instead of a 401.
 *
 * Roles are checked by the routes (requireOwner).
 */
import type { HttpApp } from './http/app.js';
import { isUpgrade, type Request } from './http/request.js';
import type { Principal } from '../auth/roles.js';
import { UNIX_PRINCIPAL } from '../auth/roles.js';
import { HttpError } from './errors.js';
import type { ServerDeps } from './deps.js';
import type { Transport } from './types.js';

/** Routes anyone may call, as "METHOD /route-pattern" (HEAD counts as GET). THE allowlist. */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  'GET /healthz',
  'GET /login',
  'GET /assets/*',
  'GET /manifest.webmanifest',
  'GET /sw.js',
  'POST /api/login',
]);

/** HTML pages that redirect to /login (302) rather than answer 401. */
export const LOGIN_REDIRECT_ROUTES: ReadonlySet<string> = new Set(['GET /', 'GET /s/*', 'GET /jobs', 'GET /jobs/*', 'GET /schedules', 'GET /schedules/*']);

export const SESSION_COOKIE = 'roost_session';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** "METHOD /pattern" of the matched route; unmatched requests (404s) have no pattern and need auth. */
export function routeKey(req: Request): string | null {
  const url = req.route;
  if (url === undefined) return null;
  return `${req.method === 'HEAD' ? 'GET' : req.method} ${url}`;
}

/** The answer to a Host outside the allowlist. */
const hostRefused = (): HttpError => new HttpError(403, 'bad-host', 'this Host is not served here (see roost serve --allow-host)');

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** Whether the caller may change things (and see what a read-only login may not, such as secrets). */
export function isOwner(req: Request): boolean {
  return req.principal?.role === 'owner';
}

/** 403 unless the caller may change things. */
export function requireOwner(req: Request): void {
  if (!isOwner(req)) throw new HttpError(403, 'read-only', 'this login is read-only');
}

function credential(req: Request, deps: ServerDeps): Principal | null {
  const authz = req.headers.authorization;
  if (authz !== undefined) {
    const m = /^Bearer ([\x21-\x7e]{1,256})$/i.exec(authz);
    const p = m ? deps.auth.verifyBearer(m[1]!) : null;
    // A wrong token never falls back to the cookie: the caller meant the token.
    if (!p) throw new HttpError(401, 'unauthorized', 'that API token is not valid (revoked, or mistyped)');
    return p;
  }
  const cookie = req.cookies[SESSION_COOKIE];
  return cookie ? deps.auth.fromCookie(cookie) : null;
}

/**
 * /login, with `?next=` the page asked for so the login comes back to it.
 * Only a path on this site (one leading slash, not /login itself); the query
 * is dropped.
 */
export function loginRedirect(url: string): string {
  const path = url.split('?')[0]!;
  if (path === '/' || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\') || path.startsWith('/login')) return '/login';
  return `/login?next=${encodeURIComponent(path).replace(/%2F/gi, '/')}`;
}

export function installAccess(app: HttpApp, deps: ServerDeps, transport: Transport): void {
  app.addHook('onRequest', (req, reply) => {
    const changing = STATE_CHANGING.has(req.method);
    const upgrade = isUpgrade(req);
    const origin = req.headers.origin;
    if (transport === 'tcp') {
      const host = req.headers.host;
      if (!deps.hosts.allowed(host)) throw hostRefused();
      if ((changing || upgrade) && origin !== undefined && origin !== deps.hosts.originFor(host!)) {
        throw new HttpError(403, 'bad-origin', 'cross-origin request refused');
      }
    }
    // A path that does not parse reaches no route, public or not: its 400 or 414 needs no credential.
    if (req.urlError) throw req.urlError;
    if (changing && !isJson(req.headers['content-type'])) {
      throw new HttpError(415, 'content-type', 'send Content-Type: application/json');
    }
    const principal = transport === 'unix' ? UNIX_PRINCIPAL : credential(req, deps);
    if (principal?.kind === 'login' && (changing || upgrade) && origin === undefined) {
      throw new HttpError(403, 'bad-origin', 'a browser request that changes state must carry its Origin');
    }
    req.principal = principal;
    if (principal) return;
    const key = routeKey(req);
    if (key !== null && PUBLIC_ROUTES.has(key)) return;
    if (key !== null && LOGIN_REDIRECT_ROUTES.has(key) && !upgrade) return void reply.redirect(loginRedirect(req.url), 302);
    throw new HttpError(401, 'unauthorized', 'log in first');
  });
}
