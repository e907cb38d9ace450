import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, StoreError, DB_FILE } from './db.js';
import { MIGRATIONS, type Migration } from './migrations.js';

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'roost-db-'));
  after(() => rmSync(d, { recursive: true, force: true }));
  return join(d, 'state');
}

test('a new database: WAL, 0600 files in a 0700 folder, every migration applied', () => {
  const d = dir();
  const db = openDb(d);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('k', 'v');
  assert.equal(statSync(d).mode & 0o777, 0o700);
  for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) assert.equal(statSync(join(d, f)).mode & 0o777, 0o600, f);
  db.close();
});

test('appending a migration runs only the new one; a newer database is refused', () => {
  const d = dir();
  openDb(d).close();
  let ran = 0;
  const next: Migration[] = [...MIGRATIONS, { name: 'test table', up: 'CREATE TABLE extra (x INTEGER)' }, { name: 'by code', up: () => void ran++ }];
  const db = openDb(d, next);
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length + 2);
  db.prepare('INSERT INTO extra VALUES (1)').run();
  assert.equal(db.prepare('SELECT count(*) AS n FROM settings').get() !== undefined, true, 'old tables kept');
  db.close();
  openDb(d, next).close();
  assert.equal(ran, 1, 'a migration runs once');
  assert.throws(() => openDb(d), StoreError);
});

test('a failing migration leaves the database as it was', () => {
  const d = dir();
  openDb(d).close();
  const bad: Migration[] = [...MIGRATIONS, { name: 'half', up: 'CREATE TABLE half (x); CREATE TABLE half (y);' }];
  assert.throws(() => openDb(d, bad));
  const db = openDb(d);
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all(), []);
  db.close();
});
