/**
 * Security headers on every response. The CSP allows nothing but this
 * origin: no inline or eval'd script or style, no framing, no foreign
 * connections. (xterm.js writes its run-time CSS through CSSOM in the web
 * app, which this policy allows.)
 */
import type { HttpApp } from './http/app.js';

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

/** The headers every response carries, whoever writes it (the onSend hook below, framework-errors.ts for what Node answers itself). */
export function securityHeaders(tls: boolean, url: string): Record<string, string> {
  const h: Record<string, string> = {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  if (url.startsWith('/api/')) h['Cache-Control'] = 'no-store';
  if (tls) h['Strict-Transport-Security'] = HSTS;
  return h;
}

export function installSecurityHeaders(app: HttpApp, tls: boolean): void {
  app.addHook('onSend', (req, reply) => {
    reply.headers(securityHeaders(tls, req.url));
  });
}
