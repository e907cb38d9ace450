import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, StoreError, DB_FILE } from './db.js';
import { STORE_LAYOUT, type Schema } from './schema.js';

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'roost-db-'));
  after(() => rmSync(d, { recursive: true, force: true }));
  return join(d, 'state');
}

const A: Schema = { name: 'a', migrations: [{ name: 'a1', up: 'CREATE TABLE a (x INTEGER)' }] };
const B: Schema = { name: 'b', migrations: [{ name: 'b1', up: 'CREATE TABLE b (y INTEGER)' }] };
const versions = (db: ReturnType<typeof openDb>) => Object.fromEntries((db.prepare('SELECT name, version FROM schema_versions').all() as { name: string; version: number }[]).map((r) => [r.name, r.version]));

test('a new database: WAL, 0600 files in a 0700 folder, every schema applied', () => {
  const d = dir();
  const db = openDb(d, [A, B]);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('user_version', { simple: true }), STORE_LAYOUT);
  assert.deepEqual(versions(db), { a: 1, b: 1 });
  db.prepare('INSERT INTO a VALUES (1)').run();
  assert.equal(statSync(d).mode & 0o777, 0o700);
  for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) assert.equal(statSync(join(d, f)).mode & 0o777, 0o600, f);
  db.close();
});

test('appending a migration runs only the new one; a new schema is one more entry; a newer database is refused', () => {
  const d = dir();
  openDb(d, [A]).close();
  let ran = 0;
  const A2: Schema = { name: 'a', migrations: [...A.migrations, { name: 'test table', up: 'CREATE TABLE extra (x INTEGER)' }, { name: 'by code', up: () => void ran++ }] };
  const db = openDb(d, [A2, B]);
  assert.deepEqual(versions(db), { a: 3, b: 1 });
  db.prepare('INSERT INTO extra VALUES (1)').run();
  db.prepare('INSERT INTO b VALUES (1)').run();
  db.close();
  openDb(d, [A2, B]).close();
  assert.equal(ran, 1, 'a migration runs once');
  assert.throws(() => openDb(d, [A, B]), (e: unknown) => e instanceof StoreError && /newer than this roost/.test(e.message));
});

test('a failing migration leaves the database as it was', () => {
  const d = dir();
  openDb(d, [A]).close();
  const bad: Schema = { name: 'a', migrations: [...A.migrations, { name: 'half', up: 'CREATE TABLE half (x); CREATE TABLE half (y);' }] };
  assert.throws(() => openDb(d, [bad]));
  const db = openDb(d, [A]);
  assert.deepEqual(versions(db), { a: 1 });
  assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all(), []);
  db.close();
});

test('a file of an unknown layout is refused and left as it was', () => {
  const d = dir();
  const db = openDb(d, [A]);
  db.pragma(`user_version = ${STORE_LAYOUT + 1}`);
  db.close();
  assert.throws(() => openDb(d, [A]), StoreError);
});
