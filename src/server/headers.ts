/**
 * Security headers on every response. The CSP allows nothing but this
 * origin: no inline or eval'd script or style, no framing, no foreign
 * connections. (xterm.js writes its run-time CSS through CSSOM in the web
 * app, which this policy allows.)
 */
import type { FastifyInstance } from 'fastify';

export const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** One year, as browsers' preload lists ask. */
const HSTS = 'max-age=31536000';

export function installSecurityHeaders(app: FastifyInstance, tls: boolean): void {
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Resource-Policy', 'same-origin');
    if (req.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    if (tls) reply.header('Strict-Transport-Security', HSTS);
    return payload;
  });
}
