/**
 * How tables get into Roost's database. Each feature owns its tables: a
 * `schema.ts` in its folder exports a Schema (a name and an ordered list of
 * migrations), and the composition root (src/daemon/schemas.ts) lists the
 * schemas. The store knows no feature; it only runs what it is handed.
 *
 * Versions are kept per schema in the schema_versions table, so features
 * evolve independently: migration N of schema S runs once, in the same
 * transaction as the row that records it. APPEND migrations; never edit or reorder one
 * that has shipped, because databases in the field already ran it.
 *
 * PRAGMA user_version says which layout the file has:
 *   0          a new, empty file
 *   1..99      the first release's single global list (see LegacyVersions)
 *   STORE_LAYOUT  per-schema versions in schema_versions (this layout)
 * A first release reading a file of this layout refuses it as "newer" (its
 * own check is user_version > its list's length), which is what we want.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** Short description, for error messages. */
  name: string;
  /** SQL run with db.exec(), or a function for changes SQL alone cannot express. */
  up: string | ((db: Database) => void);
}

export interface Schema {
  /** Stable key in schema_versions, e.g. "auth"; never renamed. */
  name: string;
  migrations: readonly Migration[];
}

/**
 * The first release's global list, as [schema name, version] reached at each
 * user_version: entry i is what user_version i+1 had applied.
 */
export type LegacyVersions = readonly (readonly [schema: string, version: number])[];

export const STORE_LAYOUT = 100;

export class StoreError extends Error {
  override name = 'StoreError';
}

/**
 * Bring every schema up to date; throws StoreError for a database from a newer Roost.
 *
 * Other Roost processes may open the same file at the same moment (the daemon, a job's runner, the CLI),
 * so what is to be done is read again under the write lock (BEGIN IMMEDIATE) before it is done: a
 * version read before another process migrated would run its migrations twice. A file that is up to
 * date takes no write lock at all.
 */
export function migrate(db: Database, schemas: readonly Schema[], legacy: LegacyVersions = []): void {
  if (upToDate(db, schemas)) return;
  db.transaction(() => {
    adoptLayout(db, legacy);
    const versionOf = db.prepare('SELECT version FROM schema_versions WHERE name = ?');
    const record = db.prepare('INSERT INTO schema_versions (name, version) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version');
    for (const s of schemas) {
      const current = (versionOf.get(s.name) as { version: number } | undefined)?.version ?? 0;
      if (current > s.migrations.length) {
        throw new StoreError(`the database's ${s.name} tables are at version ${current}, newer than this roost (${s.migrations.length}); update roost`);
      }
      for (let v = current; v < s.migrations.length; v++) {
        const m = s.migrations[v]!;
        if (typeof m.up === 'string') db.exec(m.up);
        else m.up(db);
        record.run(s.name, v + 1);
      }
    }
  }).immediate();
}

/** Whether the file is at this layout with every schema at its last migration (a read, no lock kept). */
function upToDate(db: Database, schemas: readonly Schema[]): boolean {
  if (db.pragma('user_version', { simple: true }) !== STORE_LAYOUT) return false;
  const versionOf = db.prepare('SELECT version FROM schema_versions WHERE name = ?');
  return schemas.every((s) => (versionOf.get(s.name) as { version: number } | undefined)?.version === s.migrations.length);
}

/** Move a new or first-release file to STORE_LAYOUT (inside migrate's transaction). */
function adoptLayout(db: Database, legacy: LegacyVersions): void {
  const layout = db.pragma('user_version', { simple: true }) as number;
  if (layout === STORE_LAYOUT) return;
  if (layout > STORE_LAYOUT || layout > legacy.length) {
    throw new StoreError(`the database is at schema version ${layout}, newer than this roost understands; update roost`);
  }
  db.exec('CREATE TABLE schema_versions (name TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const insert = db.prepare('INSERT INTO schema_versions (name, version) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version');
  for (const [name, version] of legacy.slice(0, layout)) insert.run(name, version);
  db.pragma(`user_version = ${STORE_LAYOUT}`);
}
