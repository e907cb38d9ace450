/**
 * Logging in and out: POST /api/login (a one-time login token, an API token or
 * the password → a session cookie), POST /api/logout, GET /api/me, and
 * POST /api/login-links (a one-time login URL for another device).
 */
import * as z from 'zod';
import { HttpError } from '../errors.js';
import { requireOwner, SESSION_COOKIE } from '../access.js';
import { parseBody } from '../validate.js';
import { CLOSE } from '../../shared/close-codes.js';
import { loginPath } from '../../shared/login-link.js';
import type { RouteArea } from '../types.js';

const loginBody = z.union([
  z.strictObject({ token: z.string().min(1).max(256) }),
  z.strictObject({ password: z.string().min(1).max(1024) }),
], { error: 'send {"token": "..."} or {"password": "..."}' });

export const authRoutes: RouteArea = {
  name: 'auth',
  register(app, deps, transport) {
    app.post('/api/login', async (req, reply) => {
      const creds = parseBody(loginBody, req.body);
      // The limit guards the password, the one secret that can be guessed.
      // A valid token (256 random bits) is never refused by it: on a shared
      // host every local user is 127.0.0.1, and another user's stream of bad
      // logins must not lock the owner's tokens out. So a token is tried
      // first and only a failure counts; a password attempt counts before it
      // is checked, so a right password among many wrong ones is refused too.
      // Keyed on the socket address: X-Forwarded-For and friends are not trusted.
      const key = req.socket.remoteAddress ?? transport;
      const byToken = 'token' in creds;
      let login = byToken ? await deps.auth.login(creds) : null;
      if (!login) {
        const wait = deps.loginLimiter.hit(key);
        if (wait > 0) throw new HttpError(429, 'rate-limited', 'too many login attempts; wait a minute', { 'Retry-After': String(Math.ceil(wait / 1000)) });
        if (!byToken) login = await deps.auth.login(creds);
      }
      if (!login) throw new HttpError(401, 'bad-credentials', 'that token or password is not valid (a one-time login link works only once; a token works until it is revoked)');
      void reply.setCookie(SESSION_COOKIE, login.cookie, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: deps.tls,
        maxAge: Math.floor(deps.auth.absoluteMs / 1000),
      });
      return reply.code(204).send();
    });

    app.post('/api/logout', async (req, reply) => {
      const p = req.principal;
      if (p?.kind === 'login') {
        deps.auth.logout(p.loginId);
        deps.sockets.closeWhere((x) => x.kind === 'login' && x.loginId === p.loginId, CLOSE.AUTH_ENDED, 'logged out');
      }
      void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: deps.tls });
      return reply.code(204).send();
    });

    app.get('/api/me', async (req) => ({ role: req.principal!.role, name: req.principal!.name }));

    app.post('/api/login-links', async (req, reply) => {
      requireOwner(req);
      const base = transport === 'tcp' ? deps.hosts.originFor(req.headers.host!) : deps.publicUrl();
      const { token, expiresAt } = deps.auth.createLoginToken('owner');
      return reply.code(201).send({ url: `${base}${loginPath(token)}`, expiresAt });
    });
  },
};
