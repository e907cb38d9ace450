/**
 * The daemon's services, in the order they are created and started (and
 * stopped in reverse). A service may use one listed before it
 * (ctx.get(factory)). To add a capability: write `<feature>/daemon-service.ts`
 * exporting a ServiceFactory (service.ts) and add it here, one line.
 */
import type { ServiceFactory } from './service.js';
import { notifyService } from '../notify/daemon-service.js';
import { attentionService } from '../attention/daemon-service.js';
import { jobsService } from '../jobs/daemon-service.js';
import { healthService } from '../health/daemon-service.js';
import { slurmService } from '../slurm/daemon-service.js';
import { restoreService } from '../restore/daemon-service.js';
import { scheduleService } from '../schedule/daemon-service.js';

export const SERVICES: readonly ServiceFactory[] = [notifyService, attentionService, jobsService, healthService, slurmService, restoreService, scheduleService];
