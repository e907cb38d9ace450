// The database file of the first release (test/fixtures/roost-0.1.0.db, made by
// that release's openDb: one global migration list at user_version 3, with a
// token, the password setting, an ntfy channel and a pane agent in it) opens
// under the per-feature schemas with every row kept.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRoostDb, SCHEMAS } from '../../src/daemon/schemas.js';
import { DB_FILE } from '../../src/store/db.js';
import { STORE_LAYOUT } from '../../src/store/schema.js';
import { ChannelRepository } from '../../src/notify/repository.js';
import { SqlitePaneAgentStore } from '../../src/attention/pane-agents.js';
import { Auth } from '../../src/auth/auth.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/roost-0.1.0.db', import.meta.url));

function stateDirWithFixture(): string {
  const d = mkdtempSync(join(tmpdir(), 'roost-first-release-'));
  after(() => rmSync(d, { recursive: true, force: true }));
  const state = join(d, 'state');
  mkdirSync(state, { mode: 0o700 });
  copyFileSync(FIXTURE, join(state, DB_FILE));
  return state;
}

test("a first-release database opens with its rows, and each feature's version recorded", () => {
  const state = stateDirWithFixture();
  const db = openRoostDb(state);
  assert.equal(db.pragma('user_version', { simple: true }), STORE_LAYOUT);
  const versions = db.prepare('SELECT name, version FROM schema_versions ORDER BY name').all();
  assert.deepEqual(versions, SCHEMAS.map((s) => ({ name: s.name, version: s.migrations.length })).sort((a, b) => a.name.localeCompare(b.name)));
  assert.equal(new Auth(db).listApiTokens().length, 1);
  assert.equal(new ChannelRepository(db).list()[0]?.name, 'phone');
  assert.equal(new SqlitePaneAgentStore(db).get('%3')?.sessionId, 'abc-123');
  db.close();
  // And again: nothing runs twice.
  openRoostDb(state).close();
});
