/**
 * Opens Roost's SQLite database (<stateDir>/roost.db) and brings the schemas
 * it is handed up to date (schema.ts; the daemon's list is src/daemon/schemas.ts). WAL mode, so the daemon and CLI commands (token create/revoke,
 * passwd) can use it at the same time and a kill -9 never corrupts it. The file
 * is created 0600 in a 0700 folder before SQLite touches it; SQLite gives the
 * -wal and -shm files the same mode as the database file.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir } from '../config/files.js';
import { migrate, type LegacyVersions, type Schema } from './schema.js';
import { stateDirError } from './state-errors.js';

export { StoreError } from './schema.js';

export type Db = Database.Database;

export const DB_FILE = 'roost.db';

/** A lock held by another process is waited for this long (ms) before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Open (creating if needed) the database in `stateDir` and migrate `schemas` (first-release files: `legacy`).
 * A folder that cannot be written (a file in its path, read-only, full) is a StateDirError saying so.
 */
export function openDb(stateDir: string, schemas: readonly Schema[], legacy: LegacyVersions = []): Db {
  try {
    return open(stateDir, schemas, legacy);
  } catch (e) {
    throw stateDirError(e, stateDir) ?? e;
  }
}

function open(stateDir: string, schemas: readonly Schema[], legacy: LegacyVersions): Db {
  ensurePrivateDir(stateDir);
  const path = join(stateDir, DB_FILE);
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, schemas, legacy);
    for (const extra of ['-wal', '-shm']) if (existsSync(path + extra)) chmodSync(path + extra, 0o600);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
