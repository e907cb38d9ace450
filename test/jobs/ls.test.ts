/**
 * `roost ls` shows a job's window with the job's command, as `roost jobs`
 * does: not its runner's (node), which tmux reports once the program has
 * ended and the dead pane stays with the last screen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobsUser, runJob } from '../helpers/jobs.js';

const u = jobsUser();

test('roost ls shows the job command in a job window, running or ended; other windows keep theirs', async () => {
  const done = await runJob(u, '--name', 'done', '--', 'echo', 'finished now');
  const runs = await runJob(u, '--name', 'runs', '--', 'sleep', '300');
  assert.equal((await u.cli('new', 'plain')).code, 0);
  await u.waitJob(done, 'exited');
  await u.waitJob(runs, (j) => j.state === 'running' && j.pid !== null);

  const r = await u.cli('ls');
  assert.equal(r.code, 0, r.stderr);
  const windowOf = (session: string) => {
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`${session}  (`));
    assert.ok(at >= 0, `${session} listed:\n${r.stdout}`);
    return lines[at + 1]!;
  };
  assert.match(windowOf('done'), /^\s+\*\s*\d+ \S+\s+echo 'finished now'\s+exited \(0\)$/);
  assert.match(windowOf('runs'), /^\s+\*\s*\d+ \S+\s+sleep 300\s+\S/);
  assert.match(windowOf('plain'), /^\s+\*\s*\d+ \S+\s+bash\s+/);
  assert.doesNotMatch(r.stdout, / node /, 'the runner is never shown');

  assert.equal((await u.cli('stop', runs, '--grace', '1')).code, 0);
});
