/**
 * scripts/run-child.mjs, which runs the job behind `npm start` and `npm test`:
 * a SIGTERM or SIGHUP sent to the wrapper alone reaches the job, the wrapper
 * exits with the job's status, and no job outlives it; a named job's end
 * (the daemon's, however it died) is said with its status. Real processes only.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/cli.js';
import { pidAlive, waitFor } from '../helpers/tmux.js';

/**
 * The job: reports the signals it gets; on SIGTERM it stops after a short
 * cleanup. It says its pid only once its handlers are in place: the test
 * signals as soon as it reads that line, and a SIGTERM before the handler
 * would kill the job outright (exit 143 instead of 0).
 */
const JOB = `
process.on('SIGINT', () => process.stdout.write('job got SIGINT\\n'));
process.on('SIGTERM', () => { process.stdout.write('job got SIGTERM\\n'); setTimeout(() => process.exit(0), 100); });
setInterval(() => {}, 1000);
process.stdout.write('job ' + process.pid + '\\n');
`;

interface Wrapper {
  proc: ChildProcess;
  output: () => string;
  stderr: () => string;
  jobPid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startWrapper(name?: string): Promise<Wrapper> {
  const url = pathToFileURL(join(ROOT, 'scripts', 'run-child.mjs')).href;
  const main = `import { runChild } from ${JSON.stringify(url)}; runChild(process.execPath, ['-e', ${JSON.stringify(JOB)}], {}, ${JSON.stringify(name)});`;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', main], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => proc.on('exit', (code, signal) => ok({ code, signal })));
  const jobPid = Number((await waitFor(() => /^job (\d+)$/m.exec(out), 10_000, 'the job to start'))[1]);
  // Should the wrapper fail to stop it, the job must not outlive the test (nor keep this file running on its pipe).
  after(() => {
    if (pidAlive(jobPid)) process.kill(jobPid, 'SIGKILL');
    proc.stdout!.destroy();
    proc.stderr!.destroy();
  });
  return { proc, output: () => out, stderr: () => err, jobPid, exited };
}

test('a SIGTERM to the wrapper alone reaches the job; the wrapper exits with the job\'s status', async () => {
  const w = await startWrapper();
  // SIGINT first: the terminal gives Ctrl-C to the job itself, so the wrapper neither dies of it nor passes it on.
  w.proc.kill('SIGINT');
  w.proc.kill('SIGTERM');
  const end = await w.exited;
  assert.deepEqual(end, { code: 0, signal: null });
  assert.equal(w.stderr(), '', 'a job without a name ends without a word');
  assert.match(w.output(), /job got SIGTERM/);
  assert.doesNotMatch(w.output(), /SIGINT/);
  await waitFor(() => !pidAlive(w.jobPid), 5000, 'the job gone');
});

test('a job killed by a signal: the wrapper exits 128 + its number, and the job is gone', async () => {
  const w = await startWrapper();
  w.proc.kill('SIGHUP'); // the job has no SIGHUP handler: it dies of it
  const end = await w.exited;
  assert.deepEqual(end, { code: 129, signal: null });
  await waitFor(() => !pidAlive(w.jobPid), 5000, 'the job gone');
});

test('a named job that dies is reported with its status: killed outright, or stopped', async () => {
  const killed = await startWrapper('the daemon (roost serve)');
  process.kill(killed.jobPid, 'SIGKILL'); // the daemon dies on its own: kill -9, the OOM killer
  assert.deepEqual(await killed.exited, { code: 137, signal: null });
  assert.equal(killed.stderr(), 'roost setup: the daemon (roost serve) was killed by SIGKILL (exit status 137)\n');

  const stopped = await startWrapper('the daemon (roost serve)');
  stopped.proc.kill('SIGTERM');
  assert.deepEqual(await stopped.exited, { code: 0, signal: null });
  assert.equal(stopped.stderr(), 'roost setup: the daemon (roost serve) exited with status 0\n');
});
