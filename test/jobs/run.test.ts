/**
 * roost run, jobs, logs through the real CLI on a private tmux server: a job
 * that prints and exits 3 (status kept, log complete, logs -n), one killed
 * by a signal, a progress bar redrawn with \r, the environment and the
 * terminal a job gets, automatic names, and every refusal changing nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, type CliResult } from '../helpers/cli.js';
import { waitFor } from '../helpers/tmux.js';
import { jobsUser, runJob } from '../helpers/jobs.js';

const u = jobsUser({ ROOST_TEST_INHERITED: 'from-the-caller' });

function oneLineError(r: CliResult, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr.trimEnd(), pattern);
}

test('a job that prints 60,000 lines at once and exits 3: its name, the status kept, the whole log, logs -n, its last screen', async () => {
  // A burst just before the end: the status is recorded only after the last byte reached the log.
  const name = await runJob(u, '--', 'sh', '-c', 'seq -f "line %g" 1 60000; exit 3');
  assert.equal(name, 'sh-1', 'named after the program');
  const j = await u.waitJob(name, 'exited');
  assert.equal(j.exitCode, 3);
  assert.equal(j.signal, null);
  assert.deepEqual(j.command.slice(0, 2), ['sh', '-c']);
  assert.equal(j.cwd, realpathSync(u.home), 'the current directory by default');
  assert.ok(typeof j.pid === 'number' && j.pid > 1);
  assert.ok(j.ended! >= j.started && j.durationMs === j.ended! - j.started);
  assert.equal(j.session, name, 'its session stays with the last screen');
  assert.equal(j.log.start, 0);
  assert.ok(j.log.bytes > 60_000 * 6, `log size ${j.log.bytes}`);

  const all = await u.cli('logs', name);
  assert.equal(all.code, 0, all.stderr);
  const lines = all.stdout.split('\n').filter(Boolean);
  assert.equal(lines.length, 60_000, 'every line, none lost before the end was recorded');
  assert.equal(lines[0], 'line 1');
  assert.equal(lines.at(-1), 'line 60000');
  assert.equal((await u.cli('logs', name, '-n', '3')).stdout, 'line 59998\nline 59999\nline 60000\n');
  assert.match((await u.cli('logs', name, '--raw', '-n', '1')).stdout, /^line 60000\r\n$/, 'raw: as the terminal got it');
  // `roost logs NAME | head`: a reader that had enough ends it quietly (docs/cli.md#logs).
  for (const argv of [['logs', name], ['logs', name, '--raw'], ['logs', name, '-f']]) {
    assert.deepEqual(await u.cliClosedStdout(...argv), { code: 0, stderr: '' }, argv.join(' '));
  }

  // tmux keeps the dead pane: the status and the last screen stay readable, and the session is a job's.
  const pane = (await u.tmux.run('display-message', '-p', '-t', `=${name}:`, '#{pane_dead} #{@roost_kind}')).trim();
  assert.equal(pane, '1 job');
  assert.match(await u.tmux.run('capture-pane', '-p', '-t', `=${name}:`), /line 60000/);

  // Private files: the folder 0700, the log 0600.
  const dir = join(u.stateDir, 'jobs', String(j.id));
  assert.equal(statSync(join(u.stateDir, 'jobs')).mode & 0o777, 0o700);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  for (const f of readdirSync(dir)) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);

  const table = await u.cli('jobs');
  assert.match(table.stdout, /^NAME\s+STATE\s+PID\s+STARTED\s+ENDED\s+RAN\s+LOG\s+DIRECTORY\s+COMMAND$/m);
  assert.match(table.stdout, new RegExp(`^${name}\\s+exited 3\\s+${j.pid}\\s`, 'm'));
});

test('a job killed by a signal is "killed" with the signal', async () => {
  const name = await runJob(u, '--name', 'victim', '--', 'sleep', '300');
  assert.equal(name, 'victim');
  const j = await u.waitJob(name, (x) => x.state === 'running' && x.pid !== null);
  process.kill(j.pid!, 'SIGKILL');
  const k = await u.waitJob(name, 'killed');
  assert.equal(k.signal, 'SIGKILL');
  assert.equal(k.exitCode, null);
  oneLineError(await u.cli('stop', name), 1, /^roost stop: job "victim" is not running \(killed by SIGKILL\)$/);
});

test('a progress bar redrawn with \\r shows its last state in the text view, and --timestamps dates lines', async () => {
  const name = await runJob(u, '--name', 'bar', '--', 'printf', 'start\\nprogress 10%%\\rprogress 50%%\\rprogress 100%%\\n\\033[1mbold\\033[0m done\\n');
  await u.waitJob(name, 'exited');
  const text = await u.cli('logs', name);
  assert.equal(text.stdout, 'start\nprogress 100%\nbold done\n');
  const raw = await u.cli('logs', name, '--raw');
  assert.match(raw.stdout, /progress 10%\rprogress 50%\rprogress 100%/, 'raw keeps every redraw');
  const stamped = await u.cli('logs', name, '--timestamps', '-n', '1');
  assert.match(stamped.stdout, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}bold done\n$/);
});

test('a job runs on a terminal, in its directory, with the caller\'s environment, --env and PYTHONUNBUFFERED=1', async () => {
  const dir = realpathSync(tempDir());
  const script = 'pwd; echo "A=$A"; echo "INHERITED=$ROOST_TEST_INHERITED"; echo "PY=$PYTHONUNBUFFERED"; [ -t 0 ] && [ -t 1 ] && echo on-a-tty; echo "TMUX=${TMUX:+set}"';
  const name = await runJob(u, '-c', dir, '--env', 'A=1=2', '--name', 'envjob', '--', 'sh', '-c', script);
  await u.waitJob(name, 'exited');
  assert.equal((await u.cli('logs', name)).stdout, `${dir}\nA=1=2\nINHERITED=from-the-caller\nPY=1\non-a-tty\nTMUX=set\n`);
  const own = await runJob(u, '--env', 'PYTHONUNBUFFERED=0', '--', 'sh', '-c', 'echo "PY=$PYTHONUNBUFFERED"');
  await u.waitJob(own, 'exited');
  assert.equal((await u.cli('logs', own)).stdout, 'PY=0\n', 'the user\'s own value wins');
});

test('run --json prints the job as roost jobs --json shows it running: its session and the program\'s pid', async () => {
  const r = await u.cli('run', '--json', '--name', 'jsonjob', '--', 'sleep', '30');
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { name: string; state: string; session: string | null; pid: number | null };
  assert.equal(j.name, 'jsonjob');
  assert.equal(j.state, 'running');
  assert.equal(j.session, 'jsonjob');
  assert.ok(typeof j.pid === 'number' && j.pid > 1, r.stdout);
  assert.equal((await u.cli('stop', 'jsonjob', '--grace', '0')).code, 0);
});

test('automatic names count up; a name in use (by a job or a session) is refused', async () => {
  const a = await runJob(u, '--', 'true');
  const b = await runJob(u, '--', 'true');
  assert.deepEqual([a, b], ['true-1', 'true-2']);
  oneLineError(await u.cli('run', '--name', 'true-1', '--', 'true'), 1, /^roost run: the name "true-1" is in use by a job/);
  assert.equal((await u.cli('new', 'taken')).code, 0);
  oneLineError(await u.cli('run', '--name', 'taken', '--', 'true'), 1, /^roost run: the name "taken" is in use by a session/);
});

test('refusals: one line, the right exit code, nothing started or written', async () => {
  const before = (await u.jobs()).map((j) => j.name).sort();
  const sessions = async () => (await u.tmux.run('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean).sort();
  const sessionsBefore = await sessions();
  const folders = () => readdirSync(join(u.stateDir, 'jobs')).sort();
  const foldersBefore = folders();

  oneLineError(await u.cli('run', '--name', 'a#(touch x)', '--', 'true'), 1, /^roost run: invalid job name "a#\(touch x\)"/);
  oneLineError(await u.cli('run', '--name=-x', '--', 'true'), 1, /invalid job name "-x"/);
  oneLineError(await u.cli('run', '--env', 'NOEQUALS', '--', 'true'), 1, /^roost run: --env needs KEY=VALUE, got "NOEQUALS"$/);
  oneLineError(await u.cli('run', '--env', '1A=b', '--', 'true'), 1, /invalid environment variable name "1A"/);
  oneLineError(await u.cli('run', '-c', '/no/such/dir', '--', 'true'), 1, /^roost run: no such directory: \/no\/such\/dir$/);
  oneLineError(await u.cli('run', '-c', '/etc/passwd', '--', 'true'), 1, /^roost run: not a directory: \/etc\/passwd$/);
  oneLineError(await u.cli('run', '--', 'roost-no-such-program'), 1, /^roost run: no program "roost-no-such-program" on PATH$/);
  oneLineError(await u.cli('run', '--', './not-here.sh'), 1, /no program "\.\/not-here\.sh" there/);
  oneLineError(await u.cli('run'), 2, /^roost run: missing command: .*\(see roost run --help\)$/);
  oneLineError(await u.cli('run', 'python', 'x.py'), 2, /unexpected argument "python" \(the command to run goes last, after --: -- python \.\.\.\)/);
  oneLineError(await u.cli('logs', 'nope'), 1, /^roost logs: no job named "nope" \(see roost jobs\)$/);
  oneLineError(await u.cli('logs', 'bad name'), 1, /invalid job name/);
  oneLineError(await u.cli('logs', 'sh-1', '-n', 'ten'), 2, /-n needs a number of lines/);
  oneLineError(await u.cli('logs', 'sh-1', '--raw', '--timestamps'), 2, /--timestamps does not apply to --raw/);
  oneLineError(await u.cli('stop', 'nope'), 1, /^roost stop: no job named "nope"/);
  oneLineError(await u.cli('stop', 'sh-1', '--signal', 'NOPE'), 2, /^roost stop: unknown signal "NOPE".* \(see roost stop --help\)$/);
  oneLineError(await u.cli('stop', 'sh-1', '--grace', 'soon'), 2, /--grace needs a number of seconds/);
  oneLineError(await u.cli('rm', 'nope'), 1, /^roost rm: no job named "nope"/);
  await u.tmux.run('new-session', '-d', '-s', 'plainwork');
  oneLineError(await u.cli('rm', 'plainwork'), 1, /^roost rm: "plainwork" is a session, not a job: roost (-L \S+ )?kill plainwork ends it and the programs in it$/);
  await u.tmux.run('kill-session', '-t', 'plainwork');
  oneLineError(await u.cli('rm', 'sh-1', '--all-finished'), 2, /not both/);
  oneLineError(await u.cli('adopt', '999999999'), 1, /^roost adopt: no process 999999999/);
  oneLineError(await u.cli('adopt', 'abc'), 2, /PID must be a process id/);

  const running = await runJob(u, '--name', 'busy', '--', 'sleep', '300');
  oneLineError(await u.cli('rm', running), 1, /^roost rm: job "busy" is running; stop it first \(roost stop busy\)$/);
  assert.equal((await u.job('busy'))?.state, 'running', 'rm of a running job changed nothing');

  assert.deepEqual((await u.jobs()).map((j) => j.name).filter((n) => n !== 'busy').sort(), before);
  assert.deepEqual((await sessions()).filter((n) => n !== 'busy'), sessionsBefore);
  assert.deepEqual(folders().length, foldersBefore.length + 1, 'only busy made a folder');
  assert.equal((await u.cli('stop', 'busy', '--grace', '5')).code, 0);
});

test('rm forgets a finished job: its session, its log folder, its row', async () => {
  const name = await runJob(u, '--name', 'gone', '--', 'echo', 'bye');
  const j = await u.waitJob(name, 'exited');
  const r = await u.cli('rm', name);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'removed job gone\n');
  assert.equal(await u.job(name), undefined);
  assert.ok(!readdirSync(join(u.stateDir, 'jobs')).includes(String(j.id)));
  await waitFor(async () => !(await u.tmux.run('list-sessions', '-F', '#{session_name}')).split('\n').includes(name), 5000, 'the session closed');
  const again = await runJob(u, '--name', 'gone', '--', 'true');
  assert.equal(again, 'gone', 'the name is free again');
  assert.notEqual((await u.waitJob('gone', 'exited')).id, j.id, 'a new id: never the old log');
  const all = await u.cli('rm', '--all-finished');
  assert.match(all.stdout, /^removed .*gone/);
});
