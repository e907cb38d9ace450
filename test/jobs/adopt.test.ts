/**
 * roost adopt: a program started under `script` outside tmux (its own
 * terminal, as in an SSH session) moved into a job with reptyr: its output
 * then reaches the job's log and the pane's keys reach it. Refusals say why
 * and change nothing: another user's process, one sharing its process group,
 * one without a terminal, a shell running a program in the foreground (the
 * pid people grab is often the shell's: moving it would hang the program
 * up). A program in a tmux window's shell, running or stopped (Ctrl-Z), is
 * adopted and its shell and window stay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor, waitForCommand } from '../helpers/tmux.js';
import { jobsUser } from '../helpers/jobs.js';
import { findProgram } from '../../src/process/programs.js';
import { allProcesses, isSameProcess, procStat, type ProcStat } from '../../src/jobs/procfs.js';

const u = jobsUser();
/** How many job folders the state folder holds (a refused adopt makes none). */
const folders = () => (existsSync(join(u.stateDir, 'jobs')) ? readdirSync(join(u.stateDir, 'jobs')).length : 0);

/** `script` runs `command` on a terminal of its own; the test holds script's stdin open. Returns the program's pid. */
async function underScript(command: string): Promise<{ script: ChildProcess; pid: number; out: () => string }> {
  // `exec`: script hands the command to $SHELL, and whether that shell
  // replaces itself with the last command depends on which shell CI has.
  const script = spawn('script', ['-qfec', `exec ${command}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  after(() => {
    if (script.exitCode === null) script.kill('SIGKILL');
  });
  let out = '';
  script.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const pid = await waitFor(() => allProcesses().find((p) => p.ppid === script.pid && p.comm === 'sh')?.pid, 10_000, 'the program under script');
  await waitFor(() => out.length > 0, 10_000, 'its first output');
  return { script, pid, out: () => out };
}

test('adopt moves a program from its own terminal into a job: output to the log, keys to the program', async () => {
  const p = await underScript(`sh -c 'echo started; while read l; do echo "got:$l"; done'`);
  const ttyBefore = procStat(p.pid)!.ttyNr;
  const r = await u.cli('adopt', String(p.pid), '--name', 'rescued');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'rescued\n');
  assert.notEqual(procStat(p.pid)!.ttyNr, ttyBefore, 'it has a new terminal');
  const j = await u.job('rescued');
  assert.equal(j?.state, 'running');
  assert.equal(j?.adopted, true);
  assert.equal(j?.pid, p.pid);
  assert.deepEqual(j?.command.slice(0, 2), ['sh', '-c']);

  await u.tmux.run('send-keys', '-t', '=rescued:', '-l', 'hello from tmux');
  await u.tmux.run('send-keys', '-t', '=rescued:', 'Enter');
  await waitFor(async () => (await u.cli('logs', 'rescued')).stdout.includes('got:hello from tmux'), 10_000, 'the answer in the job\'s log');
  assert.ok(!p.out().includes('got:hello'), 'nothing goes to the old terminal any more');

  // Adopted once: a second adopt is refused and changes nothing (it would take the program from this job).
  const again = await u.cli('adopt', String(p.pid));
  assert.equal(again.code, 1);
  assert.equal(again.stderr, `roost adopt: process ${p.pid} is already job rescued: roost attach rescued reaches it\n`);
  assert.deepEqual((await u.jobs()).map((x) => [x.name, x.state]), [['rescued', 'running']]);

  // The old terminal can go now: the program lives on in the job.
  p.script.kill('SIGKILL');
  await u.tmux.run('send-keys', '-t', '=rescued:', '-l', 'still here');
  await u.tmux.run('send-keys', '-t', '=rescued:', 'Enter');
  await waitFor(async () => (await u.cli('logs', 'rescued')).stdout.includes('got:still here'), 10_000, 'an answer after the old terminal closed');

  assert.equal((await u.cli('stop', 'rescued', '--grace', '2')).code, 0);
  const ended = await u.waitJob('rescued', (x) => x.state !== 'running');
  assert.equal(ended.state, 'exited', 'an adopted program ends without a known status');
  assert.equal(ended.exitCode, null);
});

test('adopt refuses, saying why, and changes nothing: group mates, another user, no terminal', async () => {
  const before = { jobs: (await u.jobs()).length, folders: folders() };

  const family = await underScript(`sh -c 'echo started; sleep 300 & sleep 301 & wait'`);
  const familyTty = procStat(family.pid)!.ttyNr;
  const r = await u.cli('adopt', String(family.pid));
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^roost adopt: process ${family.pid} shares its process group with 2 other processes \\(\\d+ sleep, \\d+ sleep\\): reptyr can move only a lone process; .* roost run\\n$`));

  const alone = spawn('sleep', ['300'], { stdio: 'ignore' });
  after(() => alone.kill('SIGKILL'));
  const n = await u.cli('adopt', String(alone.pid));
  assert.equal(n.code, 1);
  assert.match(n.stderr, /has no terminal \(started with nohup or as a daemon\)/);

  if (process.getuid?.() === 0) {
    // Root here: a process of another user is easy to make.
    const other = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sleep', '300'], { stdio: 'ignore' });
    after(() => other.kill('SIGKILL'));
    await waitFor(() => procStat(other.pid!)?.comm === 'sleep', 5000, 'the other user\'s sleep');
    const o = await u.cli('adopt', String(other.pid));
    assert.equal(o.code, 1);
    assert.match(o.stderr, /belongs to another user \(uid 65534, you are uid 0\): you can only adopt your own processes/);
  }
  assert.equal((await u.jobs()).length, before.jobs, 'no job was made');
  assert.equal(folders(), before.folders);
  assert.equal(procStat(family.pid)?.ttyNr, familyTty, 'the refused process keeps its terminal');
});

/**
 * A tmux window whose interactive bash runs a perl program counting steps in
 * its foreground (as a person types it). Returns the shell and the program.
 */
async function shellRunning(session: string): Promise<{ shell: number; prog: ProcStat; steps: () => Promise<number> }> {
  await u.tmux.run('new-session', '-d', '-s', session, '-x', '100', '-y', '30', 'bash', '--norc', '--noprofile');
  const shell = Number((await u.tmux.run('list-panes', '-t', `=${session}:`, '-F', '#{pane_pid}')).trim());
  await u.tmux.run('send-keys', '-t', `=${session}:`, '-l', `perl -e '$|=1; for (1..1000) { print "step $_\n"; sleep 1 }'`);
  await u.tmux.run('send-keys', '-t', `=${session}:`, 'Enter');
  const prog = await waitFor(() => allProcesses().find((p) => p.ppid === shell && p.comm === 'perl'), 10_000, 'perl started by the shell');
  await waitForCommand(u.tmux, `=${session}:`, 'perl'); // tmux names the terminal's foreground process
  // The highest step the window shows.
  const steps = async () => Math.max(0, ...[...(await u.tmux.run('capture-pane', '-p', '-t', `=${session}:`)).matchAll(/^step (\d+)$/gm)].map((m) => Number(m[1])));
  await waitFor(async () => (await steps()) > 0, 10_000, 'the first step in the window');
  return { shell, prog, steps };
}

test('adopt refuses a shell running a program in the foreground, naming the program, and changes nothing; adopting the program works', async () => {
  const before = { jobs: (await u.jobs()).length, folders: folders() };
  const { shell, prog, steps } = await shellRunning('plain');
  const tty = procStat(shell)!.ttyNr;

  const r = await u.cli('adopt', String(shell), '--name', 'wrongpid');
  assert.equal(r.code, 1, `exit 1, not ${r.code} (stdout ${JSON.stringify(r.stdout)})`);
  assert.equal(r.stderr, `roost adopt: process ${shell} is a shell (bash) running ${prog.pid} (perl) in the foreground of its terminal: roost adopt ${prog.pid}\n`);
  assert.equal((await u.jobs()).length, before.jobs, 'no job was made');
  assert.equal(folders(), before.folders);
  assert.equal(procStat(shell)?.ttyNr, tty, 'the shell keeps its terminal');
  assert.equal(procStat(prog.pid)?.ttyNr, tty, 'the program keeps its terminal');
  // It goes on printing in its window.
  const seen = await steps();
  await waitFor(async () => (await steps()) > seen, 10_000, 'the program printing on in its window');
  assert.ok(isSameProcess(prog.pid, prog.startTime), 'the program runs');

  // What the refusal says to do: the program moves; its shell and window stay.
  const a = await u.cli('adopt', String(prog.pid), '--name', 'rightpid');
  assert.equal(a.code, 0, a.stderr);
  await waitFor(async () => /^step \d+$/m.test((await u.cli('logs', 'rightpid')).stdout), 10_000, 'steps in the job\'s log');
  assert.equal(procStat(shell)?.ttyNr, tty, 'the shell stays on its terminal');
  assert.equal((await u.tmux.run('list-windows', '-t', '=plain:', '-F', '#{window_id}')).trim().split('\n').length, 1, 'the old window is still there');
  assert.equal((await u.cli('stop', 'rightpid', '--grace', '2')).code, 0);
});

test('a program stopped with Ctrl-Z is adopted and runs on; its shell is refused for it', async () => {
  const { shell, prog } = await shellRunning('stopped');
  await u.tmux.run('send-keys', '-t', '=stopped:', 'C-z');
  await waitFor(() => procStat(prog.pid)?.state === 'T', 10_000, 'perl stopped');
  await waitForCommand(u.tmux, '=stopped:', 'bash');

  const r = await u.cli('adopt', String(shell));
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `roost adopt: process ${shell} (bash) has 1 child process on its terminal (${prog.pid} perl), which would stay behind: reptyr can move only a lone process; adopt the program itself when it has no children, or stop it and start it again with roost run\n`);

  const a = await u.cli('adopt', String(prog.pid), '--name', 'wasstopped');
  assert.equal(a.code, 0, a.stderr);
  await waitFor(async () => /^step \d+$/m.test((await u.cli('logs', 'wasstopped')).stdout), 10_000, 'steps in the job\'s log: it runs again');
  assert.equal((await u.cli('stop', 'wasstopped', '--grace', '2')).code, 0);
});

test('reptyr failing after it started is a failure: exit 1, its reason, no job, the program runs on', async (t) => {
  if (findProgram('strace', process.env['PATH'], '/') === null) return t.skip('strace is not installed (it holds the program so that reptyr cannot attach)');
  const before = { jobs: (await u.jobs()).length, folders: folders() };
  const p = await underScript(`sh -c 'echo started; while read l; do echo "got:$l"; done'`);
  // A process can have one tracer: reptyr's attach is refused by the kernel once it has sent its stop.
  const tracer = spawn('strace', ['-o', '/dev/null', '-p', String(p.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  after(() => tracer.kill('SIGKILL'));
  await waitFor(() => /TracerPid:\s+[1-9]/.test(readFileSync(`/proc/${p.pid}/status`, 'utf8')), 10_000, 'strace attached');

  const r = await u.cli('adopt', String(p.pid), '--name', 'traced');
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, new RegExp(`^roost adopt: could not adopt process ${p.pid}: .*Operation not permitted\n$`));
  assert.equal((await u.jobs()).length, before.jobs, 'no job is left');
  assert.equal(folders(), before.folders);
  // reptyr continued it: it still answers on its own terminal.
  p.script.stdin!.write('after\n');
  await waitFor(() => p.out().includes('got:after'), 10_000, 'an answer on its old terminal');
});
