/**
 * Restore's route. Unix socket only — GET /api/restore: what `roost service
 * status` shows of the running daemon: its address and the newest snapshot.
 */
import type { RouteArea } from '../server/types.js';

export const RESTORE_STATUS_ROUTE = '/api/restore';

export interface RestoreStatus {
  /** The dashboard's address as browsers reach it. */
  url: string;
  /** Snapshots this daemon has written since it started. */
  snapshots: number;
  /** The newest readable generation, or null. */
  latest: { generation: number; createdAt: number; sessions: number } | null;
}

export const restoreRoutes = (status: () => RestoreStatus): RouteArea => ({
  name: 'restore',
  unixOnly: true,
  register(app) {
    app.get(RESTORE_STATUS_ROUTE, async () => status());
  },
});
