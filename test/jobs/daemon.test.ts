/**
 * Jobs and the daemon: a job that ends is pushed through the configured
 * channels when it asked (--notify), in words that tell success from
 * failure, and only once (attention leaves a job's exit to jobs); `roost
 * jobs` works after kill -9 of the daemon, a job that ended meanwhile is
 * told when the daemon is back; killing a job's session or its tmux server
 * ends its program (the hangup), and a job whose runner died is `lost`,
 * with their logs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, spawnServe, tempUser, type ServeProcess } from '../helpers/server.js';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { sink } from '../notify/sink.js';
import { jobsUser, runJob } from '../helpers/jobs.js';
import type { JobInfo } from '../../src/shared/jobs.js';
import { processExists } from '../../src/process/exists.js';
import type { WebhookBody } from '../../src/notify/webhook.js';

test('ended jobs are pushed once, when asked; roost jobs works after kill -9 of the daemon; what ended meanwhile is told later', async (tc) => {
  // Hooks of a test run in the order they were added: this one, first, stops the daemons before the
  // temporary HOME goes (a daemon still writing snapshots there would make its removal fail, and a
  // failed hook leaves the later ones, and the daemon, running).
  const daemons: ServeProcess[] = [];
  tc.after(async () => {
    for (const d of daemons) {
      if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGTERM');
      await d.exited;
    }
  });
  const { dir, env } = tempUser();
  const t = privateTmux(env);
  const cli = async (...argv: string[]) => {
    const r = await runCli(['-L', t.socket, ...argv], env);
    assert.equal(r.code, 0, `roost ${argv.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const jobs = async () => JSON.parse(await cli('jobs', '--json')) as JobInfo[];
  const hooks = await sink();
  await cli('notify', 'add', 'webhook', '--url', `${hooks.url}/hook`, '--allow-private');
  const told = () => hooks.received.map((r) => JSON.parse(r.body.toString()) as WebhookBody).filter((b) => !b.test);

  let serve = spawnServe(['-L', t.socket, 'serve', '--port', '0'], env);
  daemons.push(serve);
  await serve.ready();
  await cli('run', '--notify', '--name', 'fails', '--', 'sh', '-c', 'exit 1');
  await waitFor(() => told().length >= 1, 20_000, 'the failure pushed');
  await cli('run', '--name', 'quiet', '--', 'sh', '-c', 'exit 2');
  await cli('run', '--notify', '--name', 'fine', '--', 'true');
  await waitFor(() => told().length >= 2, 20_000, 'the success pushed');
  const [fail, fine] = told();
  assert.match(fail!.title, /^fails exited 1 after \d+ s$/);
  assert.equal(fail!.state, 'job-failed');
  assert.equal(fail!.session, 'fails');
  assert.equal(fail!.window, null, 'a job is about no window: no window 0 a receiver could mistake for one');
  assert.equal(fail!.url.endsWith('/jobs/fails'), true, fail!.url);
  assert.match(fine!.title, /^fine exited 0 after \d+ s$/);
  assert.equal(fine!.state, 'job-finished');
  assert.equal(fine!.body, 'Finished successfully.');
  assert.equal(told().length, 2, 'one push per job that asked: none for "quiet", none from attention');

  // A job that spans the daemon's death.
  const go = join(dir, 'GO');
  await cli('run', '--notify', '--name', 'spans', '--', 'sh', '-c', `while [ ! -e ${go} ]; do sleep 0.1; done; exit 5`);
  serve.child.kill('SIGKILL');
  await serve.exited;
  const during = await jobs();
  assert.equal(during.find((j) => j.name === 'spans')?.state, 'running', 'roost jobs without the daemon');
  assert.equal(during.find((j) => j.name === 'fails')?.exitCode, 1);
  writeFileSync(go, '');
  await waitFor(async () => (await jobs()).find((j) => j.name === 'spans')?.state === 'exited', 15_000, 'spans to end while the daemon is down');
  assert.equal((await jobs()).find((j) => j.name === 'spans')?.exitCode, 5);

  serve = spawnServe(['-L', t.socket, 'serve', '--port', '0'], env);
  daemons.push(serve);
  await serve.ready();
  await waitFor(() => told().length >= 3, 20_000, 'the end that happened while the daemon was down');
  assert.match(told()[2]!.title, /^spans exited 5 after \d+ s$/);
  assert.equal(told().length, 3, 'the others are not told again');
});

test('a job whose session is killed while the daemon watches is told killed by SIGHUP, not lost', async (tc) => {
  const daemons: ServeProcess[] = [];
  tc.after(async () => {
    for (const d of daemons) {
      if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGTERM');
      await d.exited;
    }
  });
  const { env } = tempUser();
  const t = privateTmux(env);
  const cli = async (...argv: string[]) => {
    const r = await runCli(['-L', t.socket, ...argv], env);
    assert.equal(r.code, 0, `roost ${argv.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const hooks = await sink();
  await cli('notify', 'add', 'webhook', '--url', `${hooks.url}/hook`, '--allow-private');
  const told = () => hooks.received.map((r) => JSON.parse(r.body.toString()) as WebhookBody).filter((b) => !b.test);
  // Another session keeps the tmux server up when nk's goes (a server that stops is not listed, so nothing is judged).
  await t.run('new-session', '-d', '-s', 'keep');
  const serve = spawnServe(['-L', t.socket, 'serve', '--port', '0'], env);
  daemons.push(serve);
  await serve.ready();
  await cli('run', '--notify', '--name', 'nk', '--', 'sleep', '100');
  await waitFor(async () => (JSON.parse(await cli('jobs', '--json')) as JobInfo[]).find((j) => j.name === 'nk')?.pid != null, 10_000, 'nk to start');
  // The pane goes at once; the runner records the end only after draining its log: until then the job is
  // not lost (its runner lives), and its runner's record decides.
  await cli('kill', 'nk');
  await waitFor(() => told().length >= 1, 20_000, 'the end pushed');
  assert.match(told()[0]!.title, /^nk was killed by SIGHUP after \d+ s$/);
  assert.equal(told()[0]!.state, 'job-failed');
  const nk = (JSON.parse(await cli('jobs', '--json')) as JobInfo[]).find((j) => j.name === 'nk');
  assert.equal(nk?.state, 'killed');
  assert.equal(nk?.signal, 'SIGHUP');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(told().length, 1, 'told once');
});

test('roost kill of a job\'s session and a killed tmux server end its program (killed by SIGHUP), logs kept; a runner killed leaves it lost', async () => {
  const u = jobsUser();
  const gone = (pid: number) => !processExists(pid);
  const started = async (name: string) => {
    await runJob(u, '--name', name, '--', 'sh', '-c', `echo before the end of ${name}; sleep 300`);
    return u.waitJob(name, (j) => j.log.bytes > 0 && j.pid !== null);
  };

  // roost kill: as in any window, the program gets the hangup (docs/cli.md#kill).
  const killed = await started('killed');
  assert.equal((await u.cli('kill', 'killed')).code, 0);
  const k = await u.waitJob('killed', 'killed');
  assert.equal(k.signal, 'SIGHUP');
  assert.ok(gone(k.pid!), 'the program ended');
  assert.match((await u.cli('jobs')).stdout, /^killed\s+killed by SIGHUP\s/m);
  assert.equal((await u.cli('logs', 'killed')).stdout, 'before the end of killed\n', 'the log is kept');

  // Its runner gone (what a crash would do): nobody recorded the end, so the job is lost.
  const lost = await started('doomed');
  const runner = Number((await u.tmux.run('display-message', '-p', '-t', '=doomed:', '#{pane_pid}')).trim());
  assert.notEqual(runner, killed.pid);
  process.kill(runner, 'SIGKILL');
  const l = await u.waitJob('doomed', 'lost');
  assert.ok(l.ended !== null);
  await waitFor(() => gone(lost.pid!), 10_000, 'the program to get the hangup of its session leader\'s end');
  assert.match((await u.cli('jobs')).stdout, /^doomed\s+lost\s/m);
  assert.equal((await u.cli('logs', 'doomed')).stdout, 'before the end of doomed\n', 'the log is kept');
  assert.equal((await u.cli('logs', 'doomed', '-f')).code, 125, 'following a lost job ends with 125');

  // The tmux server killed: every job's program gets the hangup, its end recorded.
  const crashed = await started('crashed');
  await u.tmux.kill();
  const c = await u.waitJob('crashed', 'killed');
  assert.equal(c.signal, 'SIGHUP');
  assert.equal(c.session, null);
  assert.ok(gone(crashed.pid!), 'the program ended');
  assert.equal((await u.cli('logs', 'crashed')).stdout, 'before the end of crashed\n', 'the log is kept');
  for (const name of ['killed', 'doomed', 'crashed']) assert.equal((await u.cli('rm', name)).code, 0, name);
  assert.deepEqual(await u.jobs(), []);
});
