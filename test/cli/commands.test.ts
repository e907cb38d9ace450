/**
 * new, ls, kill, rename, --help and --version through the real CLI on a
 * private tmux server: outcomes, exit codes, and one-line errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { runCli, runCliClosedStdout, tempDir, ROOT, type CliResult } from '../helpers/cli.js';
import { loadAllCommands } from '../../src/cli/commands/index.js';
import type { Command } from '../../src/cli/command.js';
import { listSessions } from '../../src/tmux/index.js';
import type { SessionInfo } from '../../src/shared/api.js';

function oneLineError(r: CliResult, code: number, pattern?: RegExp): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr, /^roost( \w+)?: /);
  if (pattern) assert.match(r.stderr, pattern);
}

test('new, duplicate, ls, rename, kill', async () => {
  const t = privateTmux();
  const home = tempDir();
  const cli = (...argv: string[]) => runCli(argv, { home, socket: t.socket });

  let r = await cli('ls');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /no sessions/);
  assert.equal((await cli('ls', '--json')).stdout.trim(), '[]');

  r = await cli('new', 'work');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'created session work\n');
  oneLineError(await cli('new', 'work'), 1, /already exists/);

  const dir = realpathSync(tempDir());
  r = await cli('new', 'job', '-c', dir, '--json', '--', 'sleep', '300');
  assert.equal(r.code, 0, r.stderr);
  const created = JSON.parse(r.stdout) as { id: string; name: string };
  assert.equal(created.name, 'job');
  assert.match(created.id, /^\$\d+$/);
  await waitForCommand(t, '=job:', 'sleep');

  r = await cli('ls');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^job {2}\(1 window, detached\)$/m);
  assert.match(r.stdout, /^work {2}\(1 window, detached\)$/m);
  assert.match(r.stdout, /sleep\s+working/);

  const list = JSON.parse((await cli('ls', '--json')).stdout) as SessionInfo[];
  assert.deepEqual(list.map((s) => s.name), ['job', 'work']);
  const job = list[0]!;
  assert.equal(job.id, created.id);
  assert.equal(job.attached, 0);
  assert.equal(job.kind, 'plain', 'a session made by roost new is plain');
  const w = job.windows[0]!;
  assert.equal(typeof w.index, 'number');
  assert.equal(typeof w.name, 'string');
  assert.equal(w.active, true);
  assert.equal(w.command, 'sleep');
  assert.ok(['working', 'waiting', 'bell', 'exited'].includes(w.status));
  const p = w.panes[0]!;
  assert.match(p.id, /^%\d+$/);
  assert.ok(p.pid > 0);
  assert.equal(p.cwd, dir);
  assert.equal(p.command, 'sleep');
  assert.equal(p.dead, false);
  assert.equal(p.exitStatus, null);

  oneLineError(await cli('rename', 'work', 'job'), 1, /already exists/);
  oneLineError(await cli('rename', 'work', 'work'), 1, /^roost rename: session "work" is already named so\n$/);
  oneLineError(await cli('rename', 'nope', 'other'), 1, /no session named "nope"/);
  r = await cli('rename', 'work', 'play');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await listSessions(t.client)).map((s) => s.name), ['job', 'play']);

  oneLineError(await cli('kill', 'work'), 1, /no session named "work"/);
  oneLineError(await cli('kill', 'pla'), 1, /no session named "pla"/); // a prefix is not a match
  r = await cli('kill', 'play');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await listSessions(t.client)).map((s) => s.name), ['job']);
});

test('new -c refuses a directory tmux cannot start in, creating nothing; a relative one is the shell\'s', async () => {
  const t = privateTmux();
  const home = tempDir();
  const cli = (...argv: string[]) => runCli(argv, { home, socket: t.socket });
  oneLineError(await cli('new', 'x', '-c', '/nonexistent'), 1, /^roost new: no such directory: \/nonexistent\n$/);
  oneLineError(await cli('new', 'x', '--cwd=/etc/passwd'), 1, /^roost new: not a directory: \/etc\/passwd\n$/);
  oneLineError(await cli('new', 'x', '-c', 'not-here'), 1, new RegExp(`^roost new: no such directory: ${realpathSync(home)}/not-here\n$`));
  // A program that is not there is said now, as roost run does, not left as a dead window.
  oneLineError(await cli('new', 'x', '--', 'no-such-program-zz', '-v'), 1, /^roost new: no program "no-such-program-zz" on PATH; nothing was created\n$/);
  oneLineError(await cli('new', 'x', '--', './not-here.sh'), 1, /^roost new: no program "\.\/not-here\.sh" there \(or it is not executable\); nothing was created\n$/);
  assert.deepEqual(await listSessions(t.client), [], 'nothing created');
  // runCli's shell is in HOME: "-c ." is that folder, not the tmux server's.
  assert.equal((await cli('new', 'x', '-c', '.')).code, 0);
  // Read once the pane's shell runs: between fork and exec tmux can report an empty path.
  const cwd = async () => (await listSessions(t.client))[0]?.windows[0]?.panes[0]?.cwd;
  await waitFor(async () => (await cwd()) !== '', 10_000, 'the pane reports its folder');
  assert.equal(await cwd(), realpathSync(home));
});

test('new -- with one word: a shell line runs in the shell; a plain program name is still checked', async () => {
  const t = privateTmux();
  const home = tempDir();
  const cli = (...argv: string[]) => runCli(argv, { home, socket: t.socket });
  const r = await cli('new', 'line', '--', 'echo one-$((1+1)); exec sleep 100');
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  await waitFor(async () => (await t.run('capture-pane', '-p', '-t', '=line:')).includes('one-2'), 10_000, 'the shell to run the line');
  oneLineError(await cli('new', 'x', '--', 'no-such-program-zz'), 1, /^roost new: no program "no-such-program-zz" on PATH; nothing was created\n$/);
  assert.deepEqual((await listSessions(t.client)).map((s) => s.name), ['line']);
});

test('missing sessions and no server are one-line errors', async () => {
  const t = privateTmux();
  const home = tempDir();
  oneLineError(await runCli(['kill', 'ghost'], { home, socket: t.socket }), 1, /no session named "ghost"/);
  oneLineError(await runCli(['rename', 'ghost', 'spirit'], { home, socket: t.socket }), 1, /no session named "ghost"/);
});

test('usage errors exit 2 with a pointer to --help', async () => {
  const t = privateTmux();
  const home = tempDir();
  const cases = [['new'], ['new', 'a', 'b'], ['ls', 'extra'], ['kill'], ['rename', 'a'], ['bogus'], ['new', '--nope', 'x'], ['--nope'], ['-L'], ['doctor', 'x'], ['init', 'x'], ['init', '--uninstall', '--ssh']];
  for (const argv of cases) {
    const r = await runCli(argv, { home, socket: t.socket });
    oneLineError(r, 2, /--help\)$/m);
  }
  assert.deepEqual(await listSessions(t.client), []);
});

test('a bad socket name is refused; -LNAME stuck together works before the command as after it, as in tmux', async () => {
  const home = tempDir();
  oneLineError(await runCli(['-L', 'a/b', 'ls'], { home }), 1, /invalid socket name/);
  oneLineError(await runCli(['-La/b', 'ls'], { home }), 1, /invalid socket name/);
  const t = privateTmux();
  // Hints name the server the user gave, so following them reaches it.
  const empty = await runCli(['-L', `${t.socket}`, 'ls'], { home });
  assert.equal(empty.stdout, `no sessions (start one with: roost -L ${t.socket})\n`);
  await t.run('new-session', '-d', '-s', 'stuck');
  const dup = await runCli([`-L${t.socket}`, 'new', 'stuck'], { home });
  assert.equal(dup.stderr, `roost new: session "stuck" already exists (attach with: roost -L ${t.socket} attach stuck)\n`);
  for (const argv of [[`-L${t.socket}`, 'ls'], ['ls', `-L${t.socket}`]]) {
    const r = await runCli([...argv, '--json'], { home });
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
    assert.deepEqual((JSON.parse(r.stdout) as SessionInfo[]).map((x) => x.name), ['stuck'], argv.join(' '));
  }
});

test('--help on every command, and --version', async () => {
  const home = tempDir();
  const COMMANDS = await loadAllCommands();
  const runs: [Command, string[]][] = COMMANDS.map((c) => [c, [c.name, '--help']]);
  runs.push([COMMANDS[0]!, [COMMANDS[0]!.name, '-h']], [COMMANDS[1]!, ['help', COMMANDS[1]!.name]]);
  const results = await Promise.all(runs.map(([, argv]) => runCli(argv, { home })));
  runs.forEach(([c, argv], i) => {
    const r = results[i]!;
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, `${c.usage}\n`);
    assert.match(r.stdout, new RegExp(`^roost ${c.name}`));
  });
  const r = await runCli(['--help'], { home });
  assert.equal(r.code, 0);
  for (const c of COMMANDS.filter((x) => !x.hidden)) assert.match(r.stdout, new RegExp(`^ {2}${c.name} +\\S`, 'm'));
  const v = await runCli(['--version'], { home });
  assert.equal(v.code, 0);
  const pkg = JSON.parse((await import('node:fs')).readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string };
  assert.equal(v.stdout, `roost ${pkg.version}\n`);
  oneLineError(await runCli(['--version', 'ls'], { home }), 2, /^roost: --version stands alone \(roost --version\), not with "ls" \(see roost --help\)\n$/);
});

test('a reader that closes the pipe early (roost ls | head) gets no stack trace, and the command still does its work', async () => {
  const t = privateTmux();
  const home = tempDir();
  for (const argv of [['--help'], ['new', 'piped'], ['ls'], ['ls', '--json']]) {
    const r = await runCliClosedStdout(argv, { home, socket: t.socket });
    assert.deepEqual(r, { code: 0, stderr: '' }, argv.join(' '));
  }
  assert.deepEqual((await listSessions(t.client)).map((s) => s.name), ['piped'], 'new created its session');
});
