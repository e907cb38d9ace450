/**
 * Opens Roost's SQLite database (<stateDir>/roost.db) and brings its schema up
 * to date. WAL mode, so the daemon and CLI commands (token create/revoke,
 * passwd) can use it at the same time and a kill -9 never corrupts it. The file
 * is created 0600 in a 0700 folder before SQLite touches it; SQLite gives the
 * -wal and -shm files the same mode as the database file.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir } from '../config/files.js';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Db = Database.Database;

export const DB_FILE = 'roost.db';

/** A lock held by another process is waited for this long (ms) before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

export class StoreError extends Error {
  override name = 'StoreError';
}

/** Open (creating if needed) and migrate the database in `stateDir`. */
export function openDb(stateDir: string, migrations: readonly Migration[] = MIGRATIONS): Db {
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
    migrate(db, migrations);
    for (const extra of ['-wal', '-shm']) if (existsSync(path + extra)) chmodSync(path + extra, 0o600);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** Run the migrations the database has not seen yet, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new StoreError(`the database is at schema version ${current}, newer than this roost (${migrations.length}); update roost`);
  }
  for (let v = current; v < migrations.length; v++) {
    const m = migrations[v]!;
    db.transaction(() => {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
