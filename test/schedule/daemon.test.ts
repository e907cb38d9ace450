/**
 * Schedules run by a real daemon (`roost serve` on a private tmux server):
 * a schedule every 2 s runs as jobs with logs; overlap skip and queue; a
 * timeout stops a run (TERM, then KILL for one that ignores TERM); a lock
 * keeps two schedules apart; pause and resume; after kill -9 of the daemon
 * the history is readable, a run alive then is found again and its end
 * recorded, run times missed meanwhile are caught up once or recorded as
 * missed; a run whose tmux server died is lost. Deadlines only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schedUser } from '../helpers/schedule.js';
import { waitFor } from '../helpers/tmux.js';
import type { RunInfo } from '../../src/shared/schedules.js';
import type { JobInfo } from '../../src/shared/jobs.js';

const u = schedUser();
let daemon = await u.serve();
const every2 = ['--cron', '*/2 * * * * *', '--guard', 'none'];
const finished = (r: RunInfo) => r.outcome !== 'running' && r.outcome !== 'starting';

test('a schedule every 2 s runs as jobs, each with its log, at its run times', async () => {
  await u.ok('schedule', 'add', 'tick', ...every2, '--env', 'MARK=from-env', '--', 'sh', '-c', 'echo "tick $MARK"');
  await u.waitRun('tick', (r) => r.outcome === 'succeeded' && r.id > 2, 'three runs');
  const runs = (await u.history('tick')).filter((r) => r.outcome === 'succeeded');
  assert.ok(runs.length >= 2);
  for (const r of runs) {
    assert.equal(r.trigger, 'cron');
    assert.equal(r.exitCode, 0);
    assert.equal(new Date(r.due!).getSeconds() % 2, 0, 'an even second');
    assert.equal(r.due! % 1000, 0);
    assert.ok(r.started! >= r.due!, 'never before its time');
    assert.equal(r.cwd, u.dir);
    assert.equal(r.job, `tick-${r.id}`);
    assert.equal((await u.ok('logs', r.job!)).trim(), 'tick from-env');
  }
  assert.equal(new Set(runs.map((r) => r.due)).size, runs.length, 'one run per run time');
  // Only the newest ended run keeps its session (its last screen); the older ones' logs stay (read above).
  await u.ok('schedule', 'pause', 'tick');
  await waitFor(async () => (await u.history('tick')).every(finished), 20_000, 'every run of tick ended');
  const ended = (await u.history('tick')).filter((r) => r.job !== null).sort((a, b) => b.id - a.id);
  assert.ok(ended.length >= 3, JSON.stringify(ended));
  const kept = async () => (await u.tmux.run('list-sessions', '-F', '#{session_name}')).split('\n').filter((n) => n.startsWith('tick-'));
  await waitFor(async () => JSON.stringify(await kept()) === JSON.stringify([ended[0]!.job]), 10_000, `only ${ended[0]!.job} keeps its session`)
    .catch(async () => assert.deepEqual(await kept(), [ended[0]!.job]));
  await u.ok('schedule', 'resume', 'tick');
  const ls = await u.ok('schedule', 'ls');
  assert.match(ls, /^tick\s+\*\/2 \* \* \* \* \*\s+\S+ \S+ \S+\s+\S+ \S+ \S+\s+(succeeded|running)\s+(active|running)$/m);
  await u.ok('schedule', 'rm', 'tick');
});

test('overlap skip records a skip; overlap queue runs once after the previous run', async () => {
  await u.ok('schedule', 'add', 'olap', ...every2, '--', 'sleep', '3');
  const skip = await u.waitRun('olap', (r) => r.outcome === 'skipped', 'a skip');
  assert.match(skip.reason!, /^the previous run \(job olap-\d+\) is still running \(overlap skip\)$/);
  assert.equal(skip.job, null);
  await u.ok('schedule', 'rm', 'olap');

  await u.ok('schedule', 'add', 'q', ...every2, '--overlap', 'queue', '--', 'sleep', '3');
  const queued = await u.waitRun('q', (r) => r.trigger === 'queued' && r.outcome === 'succeeded', 'a queued run that ran');
  const runs = (await u.history('q')).filter((r) => r.job !== null && finished(r)).sort((a, b) => a.started! - b.started!);
  const before = runs[runs.findIndex((r) => r.id === queued.id) - 1];
  assert.ok(before && before.ended! <= queued.started!, 'it started after the previous one ended');
  await u.waitRun('q', (r) => r.outcome === 'skipped' && /a run already waits for it \(overlap queue\)/.test(r.reason ?? ''), 'at most one waits');
  await u.ok('schedule', 'rm', 'q');

  // Paused while a run waits: that run does not start once the running one ends (a paused schedule starts nothing).
  await u.ok('schedule', 'add', 'qp', ...every2, '--overlap', 'queue', '--', 'sleep', '60');
  const running = await u.waitRun('qp', (r) => r.outcome === 'running', 'a running run');
  // By hand meanwhile: --force passes guards, not the overlap rule, so the hint is the run to stop.
  const byHand = await u.cli('schedule', 'run', 'qp', '--force');
  assert.equal(byHand.code, 1);
  assert.equal(byHand.stderr, `roost schedule: qp skipped: the previous run (job ${running.job}) is still running (overlap skip) (roost stop ${running.job} first, or wait for it)\n`);
  await u.waitRun('qp', (r) => r.outcome === 'skipped' && /a run already waits for it/.test(r.reason ?? ''), 'a run waiting behind it');
  await u.ok('schedule', 'pause', 'qp');
  const pausedAt = Date.now();
  await u.ok('stop', running.job!, '--grace', '0');
  const dropped = await u.waitRun('qp', (r) => r.outcome === 'skipped' && /paused while this run waited/.test(r.reason ?? ''), 'the waiting run dropped', 15_000);
  assert.equal(dropped.trigger, 'queued');
  await new Promise((r) => setTimeout(r, 1500));
  const late = (await u.history('qp')).filter((r) => r.started !== null && r.started > pausedAt);
  assert.deepEqual(late, [], 'nothing started after the pause');
  await u.ok('schedule', 'rm', 'qp');
});

test('a timeout stops a run: TERM, and KILL for one that ignores TERM', async () => {
  // 3 s: on a loaded machine the job's runner may take a second to start the program, and a TERM sent before
  // sh has run its trap would end it as if it had not ignored TERM.
  await u.ok('schedule', 'add', 'slow', ...every2, '--timeout', '3s', '--', 'sh', '-c', 'trap "" TERM; while :; do sleep 0.2; done');
  const r = await u.waitRun('slow', (x) => x.outcome === 'timed-out', 'a timed-out run', 40_000);
  assert.equal(r.signal, 'SIGKILL', 'TERM was ignored');
  assert.ok(r.ended! - r.started! >= 3000);
  await stopped('slow');
  await u.ok('schedule', 'add', 'slow2', ...every2, '--timeout', '1s', '--', 'sleep', '100');
  const t = await u.waitRun('slow2', (x) => x.outcome === 'timed-out', 'a timed-out run');
  assert.equal(t.signal, 'SIGTERM');
  await stopped('slow2');
});

/** Pause `name` and wait until its timeout has ended every run it started (one may have begun since), then remove it: nothing outlives the test. */
async function stopped(name: string): Promise<void> {
  await u.ok('schedule', 'pause', name);
  await waitFor(async () => (await u.history(name)).every(finished), 40_000, `every run of ${name} ended`);
  await u.ok('schedule', 'rm', name);
}

test('a lock keeps two schedules from running at once, and they take turns', async () => {
  await u.ok('schedule', 'add', 'la', '--cron', '*/2 * * * * *', '--guard', 'lock:data', '--', 'sleep', '3');
  await u.ok('schedule', 'add', 'lb', '--cron', '*/2 * * * * *', '--guard', 'lock:data', '--', 'sleep', '3');
  const lockSkip = (r: RunInfo) => r.outcome === 'skipped' && /^schedule l[ab] holds lock data \(guard lock:data\)$/.test(r.reason ?? '');
  await waitFor(async () => (await u.history('la')).some(lockSkip) || (await u.history('lb')).some(lockSkip), 30_000, 'a lock skip');
  // Due at the same times, they take turns: neither wins every time.
  const ran = async (n: string) => (await u.history(n)).some((r) => r.job !== null);
  await waitFor(async () => (await ran('la')) && (await ran('lb')), 30_000, 'both schedules to have run')
    .catch(async (e: Error) => assert.fail(`${e.message}: ${JSON.stringify({ la: await u.history('la'), lb: await u.history('lb') })}`));
  await u.ok('schedule', 'rm', 'la');
  await u.ok('schedule', 'rm', 'lb');
  const all = [...await u.ok('jobs', '--json').then((o) => JSON.parse(o) as JobInfo[])].filter((j) => /^l[ab]-\d+$/.test(j.name));
  for (const a of all) {
    for (const b of all) {
      if (a === b || a.name[1] === b.name[1]) continue;
      const overlap = a.started < (b.ended ?? Infinity) && b.started < (a.ended ?? Infinity);
      const span = (j: JobInfo) => `${j.name} ${j.state} ${j.started}–${j.ended ?? 'running'}`;
      assert.ok(!overlap, `${a.name} and ${b.name} ran at the same time: ${all.map(span).join(', ')}`);
    }
  }
});

test('pause starts and records nothing; resume goes on', async () => {
  await u.ok('schedule', 'add', 'pz', ...every2, '--', 'true');
  await u.ok('schedule', 'add', 'ref', ...every2, '--', 'true');
  await u.waitRun('pz', (r) => r.outcome === 'succeeded', 'a run');
  await u.ok('schedule', 'pause', 'pz');
  const frozen = (await u.history('pz')).length;
  const refStart = (await u.history('ref'))[0]?.id ?? 0;
  // Two run times of the reference schedule pass while pz is paused.
  await u.waitRun('ref', (r) => r.outcome === 'succeeded' && r.id > refStart + 1 && r.due! > Date.now() - 60_000, 'two later reference runs');
  const paused = await u.history('pz');
  assert.equal(paused.length, frozen, 'nothing recorded while paused');
  assert.equal((await u.show('pz')).paused, true);
  await u.ok('schedule', 'resume', 'pz');
  const after = await u.waitRun('pz', (r) => r.id > paused[0]!.id && r.outcome === 'succeeded', 'a run after resume');
  assert.equal(after.trigger, 'cron', 'no catch-up of the paused time');
  await u.ok('schedule', 'rm', 'pz');
  await u.ok('schedule', 'rm', 'ref');
});

test('kill -9 of the daemon: history readable, a live run found again and its end recorded, missed runs caught up or recorded', async () => {
  await u.ok('schedule', 'add', 'long', ...every2, '--', 'sh', '-c', 'sleep 4; exit 7');
  await u.ok('schedule', 'add', 'cn', ...every2, '--catch-up', 'none', '--', 'true');
  await u.ok('schedule', 'add', 'co', ...every2, '--catch-up', 'once', '--', 'true');
  const live = await u.waitRun('long', (r) => r.outcome === 'running', 'a running run');
  daemon.child.kill('SIGKILL');
  await daemon.exited;
  const during = (await u.history('long')).find((r) => r.id === live.id);
  assert.equal(during?.outcome, 'running', 'the history without the daemon');
  // The run ends while no daemon runs; run times of cn and co pass meanwhile.
  await waitFor(async () => (JSON.parse(await u.ok('jobs', '--json')) as JobInfo[]).find((j) => j.name === live.job)?.state === 'exited', 20_000, 'the job to end');
  const downSince = Date.now();
  await waitFor(() => Date.now() - downSince > 2500, 10_000, 'a run time to pass');
  daemon = await u.serve();
  const ended = await u.waitRun('long', (r) => r.id === live.id && finished(r), 'the run found again');
  assert.equal(ended.outcome, 'failed');
  assert.equal(ended.exitCode, 7);
  const missed = await u.waitRun('cn', (r) => r.outcome === 'missed', 'a missed entry');
  assert.ok(missed.missed! >= 1);
  assert.match(missed.reason!, /^missed \d+ runs? while the daemon was down \(catch-up none\)$/);
  const caught = await u.waitRun('co', (r) => r.trigger === 'catch-up', 'a catch-up run');
  assert.notEqual(caught.outcome, 'skipped');
  assert.equal((await u.history('co')).filter((r) => r.trigger === 'catch-up').length, 1, 'once');
  for (const n of ['long', 'cn', 'co']) await u.ok('schedule', 'rm', n);
});

test('a run whose session is killed is failed by SIGHUP, not lost', async () => {
  // A session of its own keeps the tmux server up when the run's goes (a server that stops is not listed, so nothing is judged).
  await u.tmux.run('new-session', '-d', '-s', 'keep-sl');
  await u.ok('schedule', 'add', 'sl', '--cron', '0 3 * * *', '--guard', 'none', '--', 'sleep', '100');
  const run = JSON.parse(await u.ok('schedule', 'run', 'sl', '--json')) as RunInfo;
  await waitFor(async () => (JSON.parse(await u.ok('jobs', '--json')) as JobInfo[]).find((j) => j.name === run.job)?.pid != null, 10_000, 'the run to start');
  await u.ok('kill', run.job!);
  const ended = await u.waitRun('sl', (r) => r.id === run.id && finished(r), 'the run ended');
  assert.equal(ended.outcome, 'failed');
  assert.equal(ended.signal, 'SIGHUP');
  assert.equal(ended.reason, null);
  await u.ok('schedule', 'rm', 'sl');
  await u.tmux.run('kill-session', '-t', '=keep-sl');
});

test('a run whose NAME-RUN is in use gets NAME-RUN-1 (then -2): the schedule\'s name, not the program\'s automatic one', async () => {
  await u.ok('schedule', 'add', 'gs', '--cron', '0 3 * * *', '--guard', 'none', '--', 'sh', '-c', 'echo gs-ran');
  const first = JSON.parse(await u.ok('schedule', 'run', 'gs', '--json')) as RunInfo;
  assert.equal(first.job, `gs-${first.id}`);
  await u.waitRun('gs', (r) => r.id === first.id && finished(r), 'the first run ended');
  // The next run numbers are taken by sessions (as jobs kept from an earlier "gs" would take them), and so is each one's -1.
  const taken = [1, 2, 3, 4, 5].map((n) => first.id + n);
  for (const id of taken) {
    await u.tmux.run('new-session', '-d', '-s', `gs-${id}`);
    await u.tmux.run('new-session', '-d', '-s', `gs-${id}-1`);
  }
  const run = JSON.parse(await u.ok('schedule', 'run', 'gs', '--json')) as RunInfo;
  assert.ok(taken.includes(run.id), `run ${run.id} is past the taken names`);
  assert.equal(run.job, `gs-${run.id}-2`);
  const ended = await u.waitRun('gs', (r) => r.id === run.id && finished(r), 'the run ended');
  assert.equal(ended.outcome, 'succeeded');
  assert.equal((await u.ok('logs', run.job!)).trim(), 'gs-ran');
  for (const id of taken) {
    await u.tmux.run('kill-session', '-t', `=gs-${id}`);
    await u.tmux.run('kill-session', '-t', `=gs-${id}-1`);
  }
  await u.ok('schedule', 'rm', 'gs');
});

test('a skip of schedule run is shown with when it was asked (history DUE, ls LAST)', async () => {
  await u.ok('schedule', 'add', 'hand', '--cron', '0 3 * * *', '--guard', 'none', '--', 'sleep', '100');
  const run = JSON.parse(await u.ok('schedule', 'run', 'hand', '--json')) as RunInfo;
  const before = Date.now();
  const again = await u.cli('schedule', 'run', 'hand', '--json');
  assert.equal(again.code, 1, again.stderr);
  const skip = JSON.parse(again.stdout) as RunInfo;
  assert.equal(skip.outcome, 'skipped');
  assert.equal(skip.due, null);
  assert.equal(skip.started, null);
  assert.ok(skip.created >= before - 1000 && skip.created <= Date.now(), `created ${skip.created}`);
  const time = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d [+-]\\d\\d:\\d\\d';
  assert.match(await u.ok('schedule', 'history', 'hand'), new RegExp(`^${skip.id}\\s+${time}\\s+-\\s+manual\\s+-\\s+-\\s+skipped: `, 'm'));
  assert.match(await u.ok('schedule', 'ls'), new RegExp(`^hand\\s+0 3 \\* \\* \\*\\s+\\S+ \\S+ \\S+\\s+${time}\\s+skipped: `, 'm'));
  await u.ok('stop', run.job!);
  await u.ok('schedule', 'rm', 'hand');
});

test('a run whose tmux server died while the daemon was down is lost', async () => {
  await u.ok('schedule', 'add', 'doomed', ...every2, '--', 'sleep', '100');
  const live = await u.waitRun('doomed', (r) => r.outcome === 'running', 'a running run');
  await u.ok('schedule', 'pause', 'doomed');
  // A reboot: the daemon, the job's runner (so nobody records the end) and the tmux server all go at once.
  const pid = (JSON.parse(await u.ok('jobs', '--json')) as JobInfo[]).find((j) => j.name === live.job)?.pid ?? null;
  const runner = Number((await u.tmux.run('display-message', '-p', '-t', `=${live.job}:`, '#{pane_pid}')).trim());
  daemon.child.kill('SIGKILL');
  await daemon.exited;
  process.kill(runner, 'SIGKILL');
  await u.tmux.kill();
  daemon = await u.serve();
  const lost = await u.waitRun('doomed', (r) => r.id === live.id && finished(r), 'the run judged');
  assert.equal(lost.outcome, 'lost');
  assert.match(lost.reason ?? '', /nobody saw its job end/);
  if (pid !== null) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already: nothing to stop.
    }
  }
});
