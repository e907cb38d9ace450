/**
 * `roost jobs --all` lists the jobs of every tmux server, each with its
 * server (the -L name, or default): a job's name alone does not say where
 * its session is. Without --all the table is as it always was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux, testEnv } from '../helpers/tmux.js';
import { jobsUser, runJob } from '../helpers/jobs.js';
import type { JobInfo } from '../../src/shared/jobs.js';

const u = jobsUser();

test('jobs --all shows the server of each job; jobs alone keeps its columns', async () => {
  // A second private server, made by `roost -L NAME run` itself; privateTmux only kills it afterwards.
  const other = privateTmux(testEnv({ HOME: u.home }));
  const here = await runJob(u, '--name', 'here', '--', 'sleep', '300');
  const r = await u.cli('-L', other.socket, 'run', '--name', 'there', '--', 'sleep', '300');
  assert.equal(r.code, 0, r.stderr);
  await u.waitJob(here, 'running');

  const all = await u.cli('jobs', '--all');
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^NAME\s+SERVER\s+STATE\s+PID\s+STARTED\s+ENDED\s+RAN\s+LOG\s+DIRECTORY\s+COMMAND$/m);
  assert.match(all.stdout, new RegExp(`^here\\s+${u.tmux.socket}\\s+running\\s`, 'm'));
  assert.match(all.stdout, new RegExp(`^there\\s+${other.socket}\\s+running\\s`, 'm'));

  const json = await u.cli('jobs', '--all', '--json');
  const servers = Object.fromEntries((JSON.parse(json.stdout) as JobInfo[]).map((j) => [j.name, j.tmuxSocket]));
  assert.deepEqual(servers, { here: u.tmux.socket, there: other.socket });

  // This server's jobs only, in the columns scripts and eyes know.
  const mine = await u.cli('jobs');
  assert.match(mine.stdout, /^NAME\s+STATE\s+PID\s+STARTED\s+ENDED\s+RAN\s+LOG\s+DIRECTORY\s+COMMAND$/m);
  assert.match(mine.stdout, /^here\s+running\s/m);
  assert.doesNotMatch(mine.stdout, /^there\s/m);
  // Names are one set for all servers: a name taken on another says where, since roost jobs does not list it.
  const dup = await u.cli('run', '--name', 'there', '--', 'true');
  assert.equal(dup.code, 1);
  assert.equal(dup.stderr, `roost run: the name "there" is in use by a job (on tmux server ${other.socket}: see roost jobs --all); pick another with --name\n`);
  const dupHere = await u.cli('run', '--name', 'here', '--', 'true');
  assert.match(dupHere.stderr, /the name "here" is in use by a job \(see roost jobs\); pick another/);

  for (const name of ['here', 'there']) assert.equal((await u.cli('stop', name, '--grace', '1')).code, 0);
});
