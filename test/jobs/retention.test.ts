/**
 * Retention: finished jobs go with their logs and sessions once they are
 * older than config [jobs] retention_days; running and recent ones stay.
 * The jobs object in this process, on a private tmux server; one job's end
 * is moved back in the database (its runner writes the real time).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { runCli, tempUser } from '../helpers/server.js';
import { openRoostDb } from '../../src/daemon/schemas.js';
import { Jobs } from '../../src/jobs/jobs.js';
import { configSchema } from '../../src/config/config.js';
import { resolvePaths } from '../../src/config/paths.js';

test('finished jobs older than the retention period are removed with their logs and sessions; running and recent ones stay', async () => {
  const { dir, env } = tempUser();
  const t = privateTmux(env);
  const paths = resolvePaths(env);
  const db = openRoostDb(paths.stateDir);
  const jobs = new Jobs({ db, stateDir: paths.stateDir, config: () => configSchema.parse({ jobs: { retention_days: 14 } }), tmux: t.client, env });
  const endedDaysAgo = (name: string, days: number) => db.prepare('UPDATE jobs SET ended = ? WHERE name = ?').run(Date.now() - days * 86_400_000, name);
  try {
    const old = await jobs.start({ name: 'old', command: ['true'], cwd: dir });
    await jobs.start({ name: 'recent', command: ['true'], cwd: dir });
    await jobs.start({ name: 'busy', command: ['sleep', '300'], cwd: dir });
    await waitFor(async () => (await jobs.list()).filter((j) => j.state === 'exited').length === 2, 15_000, 'old and recent to end');
    endedDaysAgo('old', 13.9);
    endedDaysAgo('recent', 1);
    assert.deepEqual(await jobs.sweep(), [], 'nothing is 14 days old yet');
    endedDaysAgo('old', 14.1);
    assert.deepEqual(await jobs.sweep(), ['old']);
    assert.deepEqual((await jobs.list()).map((j) => j.name).sort(), ['busy', 'recent']);
    assert.equal(existsSync(join(paths.stateDir, 'jobs', String(old.id))), false, 'its log is gone');
    assert.ok(!(await t.run('list-sessions', '-F', '#{session_name}')).split('\n').includes('old'), 'its session is gone');
    // Its name is unknown now: roost logs says how it may have gone, not only that it is not there.
    const logs = await runCli(['-L', t.socket, 'logs', 'old'], env);
    assert.equal(logs.code, 1);
    assert.equal(logs.stderr, 'roost logs: no job named "old" (see roost jobs; it may have been removed: a finished job goes 14 days after its end, [jobs] retention_days, or with roost rm)\n');
    // Its runner records the program's pid once it has started it: stop what is surely running.
    await waitFor(async () => (await jobs.list()).find((j) => j.name === 'busy')?.pid != null, 15_000, 'busy to be running');
    assert.equal((await jobs.stop('busy', { graceMs: 2000 })), 'ended');
  } finally {
    db.close();
  }
});
