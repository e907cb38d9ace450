/**
 * The shape of a route area: one file per area in src/server/routes/
 * exports a RouteArea, and src/server/routes/index.ts lists them.
 */
import type { HttpApp } from './http/app.js';
import type { ServerDeps } from './deps.js';

export type { RouteInfo } from './http/app.js';

/** Which listener an app instance serves: TCP (browsers, scripts) or the unix socket (the owner's CLI and hooks). */
export type Transport = 'tcp' | 'unix';

export interface RouteArea {
  name: string;
  /** Register only on the unix-socket app (owner-only plumbing such as CLI pokes and agent hooks). */
  unixOnly?: boolean;
  register(app: HttpApp, deps: ServerDeps, transport: Transport): void;
}
