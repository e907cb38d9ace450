// Several Roost processes share one database: the daemon, each job's runner,
// the CLI. A read followed by a write must not fail because another process
// wrote in between: SQLite fails a deferred transaction that read a snapshot
// and then writes after another process committed, at once (its busy timeout
// is not used). The other process here is a real one: a Node child holding
// the write lock for a moment, then committing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { openRoostDb } from '../../src/daemon/schemas.js';
import { DB_FILE } from '../../src/store/db.js';
import { STORE_LAYOUT } from '../../src/store/schema.js';
import { JobStore } from '../../src/jobs/store.js';

const SQLITE = pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3')).href;
const SCHEMAS_JS = new URL('../../src/daemon/schemas.js', import.meta.url).href;
const MIGRATE_JS = new URL('../../src/store/schema.js', import.meta.url).href;

function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'roost-writers-'));
  after(() => rmSync(d, { recursive: true, force: true }));
  const state = join(d, 'state');
  mkdirSync(state, { mode: 0o700 });
  return state;
}

/**
 * Another process opens `file`, takes the write lock (BEGIN IMMEDIATE), runs `body` (JavaScript, `db` in
 * scope) in it, and commits 300 ms after it said it holds the lock. Resolves once it holds the lock, with
 * its exit code to come.
 */
async function otherProcessWriting(file: string, body: string): Promise<{ exited: Promise<number | null> }> {
  const script = `import Database from ${JSON.stringify(SQLITE)};
import { SCHEMAS, FIRST_RELEASE_VERSIONS } from ${JSON.stringify(SCHEMAS_JS)};
import { migrate } from ${JSON.stringify(MIGRATE_JS)};
const db = new Database(${JSON.stringify(file)});
db.pragma('busy_timeout = 5000');
db.pragma('journal_mode = WAL');
db.exec('BEGIN IMMEDIATE');
${body}
process.stdout.write('locked\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, 300);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  after(() => { if (child.exitCode === null) child.kill(); });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  // Not for-await: leaving that loop waits for the stream to close, which is when the child has committed.
  const out = await new Promise<string>((resolve) => {
    let text = '';
    child.stdout!.on('data', (chunk) => {
      text += String(chunk);
      if (text.includes('locked')) resolve(text);
    });
    void exited.then(() => resolve(text));
  });
  assert.match(out, /locked/, 'the other process took the lock');
  // In an object: an async function returning the promise itself would wait for it.
  return { exited };
}

test("a job's launch is taken while another process writes to the database", async () => {
  const state = stateDir();
  const db = openRoostDb(state);
  after(() => db.close());
  const store = new JobStore(db);
  const id = store.insert({
    name: 'busy', command: ['sleep', '1'], cwd: state, tmuxSocket: null, adopted: false, notify: null,
    logMax: 1024, launch: '{"env":{}}', endMarker: 'm', created: Date.now(),
  });
  // Another job's runner recording itself while this one takes its launch.
  const other = await otherProcessWriting(join(state, DB_FILE), `db.prepare('UPDATE jobs SET runner_pid = 1 WHERE id = ?').run(${id});`);
  assert.equal(store.takeLaunch(id), '{"env":{}}');
  assert.equal(store.takeLaunch(id), null, 'taken once');
  assert.equal(await other.exited, 0);
});

test('two processes making a new database at once both open it with every table', async () => {
  const state = stateDir();
  // The other process is a Roost process making the tables: written, not yet committed, when this one
  // reads the new file's layout.
  const other = await otherProcessWriting(join(state, DB_FILE), 'migrate(db, SCHEMAS, FIRST_RELEASE_VERSIONS);');
  const db = openRoostDb(state);
  after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), STORE_LAYOUT);
  assert.ok(db.prepare("SELECT name FROM sqlite_master WHERE name = 'jobs'").get(), 'the tables are there');
  assert.equal(await other.exited, 0);
});
