/**
 * The core route areas, in registration order (services add theirs: see
 * src/daemon/service.ts). To add core routes: write
 * src/server/routes/<area>.ts exporting a RouteArea (see types.ts; it gets
 * the app, ServerDeps and the transport) and append it here. Routes need auth
 * unless listed in PUBLIC_ROUTES (access.ts); use requireOwner(req) for
 * anything that changes state; throw HttpError for expected failures.
 */
import type { RouteArea } from '../types.js';
import { healthRoutes } from './health.js';
import { authRoutes } from './auth.js';
import { sessionRoutes } from './sessions.js';
import { eventRoutes } from './events.js';
import { terminalRoutes } from './terminal.js';
import { webRoutes } from './web.js';
import { internalRoutes } from './internal.js';
import { historyRoutes } from './history.js';

export const ROUTE_AREAS: readonly RouteArea[] = [healthRoutes, authRoutes, sessionRoutes, eventRoutes, terminalRoutes, webRoutes, internalRoutes, historyRoutes];
