/**
 * Every feature's tables, in the order their migrations run: to give a
 * feature tables, write `<feature>/schema.ts` exporting a Schema and add it
 * here (one line). The daemon and the CLI commands that use the database
 * (token, passwd, notify) open it through openRoostDb, so they agree.
 */
import { openDb, type Db } from '../store/db.js';
import type { LegacyVersions, Schema } from '../store/schema.js';
import { AUTH_SCHEMA } from '../auth/schema.js';
import { NOTIFY_SCHEMA } from '../notify/schema.js';
import { ATTENTION_SCHEMA } from '../attention/schema.js';
import { JOBS_SCHEMA } from '../jobs/schema.js';
import { SCHEDULE_SCHEMA } from '../schedule/schema.js';

export const SCHEMAS: readonly Schema[] = [AUTH_SCHEMA, NOTIFY_SCHEMA, ATTENTION_SCHEMA, JOBS_SCHEMA, SCHEDULE_SCHEMA];

/** The first release kept one global list: its user_version 1, 2, 3 had applied these. Never changes. */
export const FIRST_RELEASE_VERSIONS: LegacyVersions = [['auth', 1], ['notify', 1], ['attention', 1]];

/** Open Roost's database in `stateDir` with every feature's tables up to date. */
export function openRoostDb(stateDir: string): Db {
  return openDb(stateDir, SCHEMAS, FIRST_RELEASE_VERSIONS);
}
