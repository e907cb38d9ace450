/**
 * Every kind of notify event a source sends, which channels may filter on
 * (`roost notify add --states`). Notify imports no source, so the list is
 * composed here: a new source (jobs, schedules, node sessions, restore)
 * adds its kinds, one line.
 */
import { ATTENTION_KINDS } from '../attention/notify-events.js';
import { HEALTH_KINDS } from '../health/daemon-service.js';
import { SLURM_KINDS } from '../slurm/notify-events.js';
import { JOB_KINDS } from '../jobs/notify-events.js';
import { RESTORE_KINDS } from '../restore/notify-events.js';
import { SCHEDULE_KINDS } from '../schedule/notify-events.js';

export const NOTIFY_KINDS: readonly string[] = [...ATTENTION_KINDS, ...HEALTH_KINDS, ...SLURM_KINDS, ...JOB_KINDS, ...RESTORE_KINDS, ...SCHEDULE_KINDS];
