/**
 * What the server adds to fastify's request, and the shape of a route area:
 * one file per area in src/server/routes/ exports a RouteArea, and
 * src/server/routes/index.ts lists them.
 */
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../auth/roles.js';
import type { ServerDeps } from './deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking; null when no credential was presented (only public routes see that). */
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every route registered, as the router has it (tests enumerate these to check auth on each). */
    routeList: RouteInfo[];
  }
}

export interface RouteInfo {
  method: string;
  url: string;
  websocket: boolean;
}

/** Which listener an app instance serves: TCP (browsers, scripts) or the unix socket (the owner's CLI and hooks). */
export type Transport = 'tcp' | 'unix';

export interface RouteArea {
  name: string;
  /** Register only on the unix-socket app (owner-only plumbing such as CLI pokes and agent hooks). */
  unixOnly?: boolean;
  register(app: FastifyInstance, deps: ServerDeps, transport: Transport): void;
}
