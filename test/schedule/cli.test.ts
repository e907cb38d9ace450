/**
 * roost schedule without the daemon: add checks everything and prints the
 * next three run times; every refusal is one line, exit 1 (usage 2), and
 * stores nothing; config.toml's schedules show in ls with the same checks
 * (errors name the key); pause, resume, rm, and the refusals for config
 * schedules; run needs the daemon.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schedUser } from '../helpers/schedule.js';
import type { ScheduleInfo } from '../../src/shared/schedules.js';

const u = schedUser();

function oneLine(r: { code: number; stderr: string }, code: number, re: RegExp): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr.trim(), re);
}

const list = async () => JSON.parse(await u.ok('schedule', 'ls', '--json')) as ScheduleInfo[];

test('add prints the next three run times and stores the schedule as given', async () => {
  const out = await u.ok('schedule', 'add', 'nightly', '--cron', '0 3 * * *', '--tz', 'Europe/Paris', '-c', u.dir, '--env', 'A=1',
    '--guard', 'busy:claude@main', '--guard', 'load:4', '--overlap', 'queue', '--catch-up', 'once', '--timeout', '1h30m', '--notify', 'always',
    '--', 'claude', '-p', 'review; rm -rf / (not a shell)', '--output-format', 'json');
  const lines = out.trim().split('\n');
  assert.equal(lines[0], 'added nightly; next runs:');
  assert.equal(lines.length, 4);
  for (const l of lines.slice(1)) assert.match(l, /^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:00 [+-]\d\d:\d\d$/);
  const s = await u.show('nightly');
  assert.deepEqual(s.command, ['claude', '-p', 'review; rm -rf / (not a shell)', '--output-format', 'json']);
  assert.equal(s.tz, 'Europe/Paris');
  assert.deepEqual(s.guards, ['busy:claude@main', 'load:4']);
  assert.equal(s.overlap, 'queue');
  assert.equal(s.catchUp, 'once');
  assert.equal(s.timeoutMs, 5_400_000);
  assert.equal(s.notify, 'always');
  assert.deepEqual(s.env, ['A=1']);
  assert.equal(s.next.length, 3);
  // 03:00 in Paris is 02:00 or 01:00 UTC, depending on DST.
  for (const t of s.next) assert.ok([1, 2].includes(new Date(t).getUTCHours()), new Date(t).toISOString());
  assert.equal(s.origin, 'cli');
  const table = await u.ok('schedule', 'ls');
  assert.match(table, /^NAME\s+CRON\s+NEXT\s+LAST\s+RESULT\s+STATE$/m);
  assert.match(table, /^nightly\s+0 3 \* \* \*\s/m);
});

test('a zone given in another casing is stored as its IANA name; a current name stays as typed, not ICU\'s older link', async () => {
  await u.ok('schedule', 'add', 'lower', '--cron', '0 3 * * *', '--tz', 'europe/paris', '--', 'true');
  assert.equal((await u.show('lower')).tz, 'Europe/Paris');
  await u.ok('schedule', 'rm', 'lower');
  // Intl resolves Asia/Kolkata to Asia/Calcutta: the user's name is kept.
  await u.ok('schedule', 'add', 'kolkata', '--cron', '0 3 * * *', '--tz', 'Asia/Kolkata', '--', 'true');
  assert.equal((await u.show('kolkata')).tz, 'Asia/Kolkata');
  await u.ok('schedule', 'rm', 'kolkata');
});

test('add and show say which program the default guard watches, or that a script hides it', async () => {
  const script = await u.ok('schedule', 'add', 'scripted', '--cron', '0 3 * * *', '--', 'sh', './nightly.sh');
  assert.match(script, /^guards: default, but the program this command runs cannot be told .*--guard busy:PROGRAM or --guard present$/m);
  const plain = await u.ok('schedule', 'add', 'plain', '--cron', '0 3 * * *', '--', 'nice', '-n', '5', 'python3', 'train.py');
  assert.match(plain, /^guards: default \(skip while a person is at a session where train.py runs\)$/m, 'an interpreter\'s script');
  assert.match(await u.ok('schedule', 'show', 'plain'), /^guards:\s+default \(skip while a person is at a session where train.py runs\)$/m);
  assert.match(await u.ok('schedule', 'show', 'plain'), /^state:\s+active$/m, 'the word schedule ls uses');
  for (const n of ['scripted', 'plain']) assert.equal(await u.ok('schedule', 'rm', n), `removed ${n}\n`);
});

test('the default guard watches claude through quotes, wrappers\' option values, an interpreter and builtins', async () => {
  const commands = [
    ['sh', '-c', 'cd ~/app && claude -p "Review the commits; fix failing tests"'],
    ['timeout', '-s', 'KILL', '1h', 'claude'],
    ['env', '-u', 'HOME', 'claude', '-p', 'x'],
    ['env', '-C', '/w', 'claude', '-p', 'x'],
    ['node', '/usr/bin/claude', '-p', 'x'],
    ['sh', '-c', 'claude -p x || echo failed'],
  ];
  for (const [i, command] of commands.entries()) {
    const out = await u.ok('schedule', 'add', `w${i}`, '--cron', '0 3 * * *', '--', ...command);
    assert.match(out, /^guards: default \(skip while a person is at a session where claude runs\)$/m, command.join(' '));
    await u.ok('schedule', 'rm', `w${i}`);
  }
});

test('add warns of a program not found on PATH, and adds the schedule all the same (it may come later)', async () => {
  const r = await u.cli('schedule', 'add', 'typo', '--cron', '0 3 * * *', '--', 'nosuchprog-xyz', '--flag');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, 'roost schedule: warning: no program "nosuchprog-xyz" on PATH: typo is added, but its runs fail until it is there\n');
  assert.deepEqual((await u.show('typo')).command, ['nosuchprog-xyz', '--flag']);
  u.program('laterprog', 'exit 0');
  const found = await u.cli('schedule', 'add', 'found', '--cron', '0 3 * * *', '--', 'laterprog');
  assert.equal(found.stderr, '', 'a program on PATH: no warning');
  const viaEnv = await u.cli('schedule', 'add', 'via-env', '--cron', '0 3 * * *', '--env', 'PATH=/no/such/dir', '--', 'laterprog');
  assert.match(viaEnv.stderr, /warning: no program "laterprog" on PATH/, 'the runs\' own PATH (--env) is the one looked in');
  for (const n of ['typo', 'found', 'via-env']) await u.ok('schedule', 'rm', n);
});

test('refusals: one line, exit 1 (usage 2), nothing stored', async () => {
  const before = JSON.stringify(await list());
  const add = (...a: string[]) => u.cli('schedule', 'add', ...a);
  oneLine(await add('x', '--cron', '61 * * * *', '--', 'true'), 1, /^roost schedule: --cron: the minute field "61" is out of range: it takes 0-59$/);
  oneLine(await add('x', '--cron', '0 0 1 13 *', '--', 'true'), 1, /^roost schedule: --cron: the month field "13" is out of range: it takes 1-12 or JAN-DEC$/);
  oneLine(await add('x', '--cron', '', '--', 'true'), 1, /^roost schedule: --cron: give a cron expression, e\.g\. "0 3 \* \* \*"/);
  oneLine(await add('x', '--cron', '* * * * *', '--tz', '', '--', 'true'), 1, /^roost schedule: --tz: give a time zone, e\.g\. Europe\/Paris/);
  oneLine(await add('x', '--cron', '* * * *', '--', 'true'), 1, /--cron: a cron expression has 5 fields/);
  // Roost's own words, not croner's "five, six, or seven parts".
  oneLine(await add('x', '--cron', '@every 5m', '--', 'true'), 1, /^roost schedule: --cron: "@every 5m" is not a cron expression: use 5 fields \(minute hour day month weekday; every 5 minutes is "\*\/5 \* \* \* \*"\), 6 with seconds first, or @hourly, @daily, @weekly, @monthly, @yearly$/);
  oneLine(await add('x', '--cron', '@reboot', '--', 'true'), 1, /"@reboot" is not a cron expression/);
  oneLine(await add('x', '--cron', '0 0 30 2 *', '--', 'true'), 1, /^roost schedule: --cron: it never fires: no date matches it/);
  oneLine(await add('x', '--cron', '* * * * *', '--tz', 'Mars/Olympus', '--', 'true'), 1, /^roost schedule: --tz: .*Mars\/Olympus/);
  oneLine(await add('x', '--cron', '* * * * *', '--tz', 'mars/olympus', '--', 'true'), 1, /^roost schedule: --tz: .*mars\/olympus/);
  oneLine(await add('x', '--cron', '* * * * *', '--guard', 'sometimes', '--', 'true'), 1, /--guard: unknown guard "sometimes"/);
  oneLine(await add('x', '--cron', '* * * * *', '--guard', 'none', '--guard', 'load:1', '--', 'true'), 1, /"none" cannot be combined/);
  oneLine(await add('x', '--cron', '* * * * *', '--timeout', '5 minutes', '--', 'true'), 1, /--timeout: a duration/);
  oneLine(await add('x', '--cron', '* * * * *', '--overlap', 'both', '--', 'true'), 1, /--overlap:/);
  oneLine(await add('x', '--cron', '* * * * *', '-c', '/no/such/dir', '--', 'true'), 1, /--cwd: no such directory: \/no\/such\/dir/);
  oneLine(await add('x', '--cron', '* * * * *', '--env', '1A=2', '--', 'true'), 1, /--env:/);
  oneLine(await add('bad name', '--cron', '* * * * *', '--', 'true'), 1, /invalid schedule name "bad name"/);
  oneLine(await add('nightly', '--cron', '* * * * *', '--', 'true'), 1, /a schedule named "nightly" exists/);
  oneLine(await add('x', '--cron', '* * * * *'), 2, /missing command/);
  oneLine(await add('x', '--cron', '* * * * *', '--'), 2, /missing command/);
  oneLine(await add('x', '--', 'true'), 2, /missing --cron/);
  oneLine(await add('x', '--cron', '* * * * *', '--force', '--', 'true'), 2, /--force does not apply/);
  oneLine(await u.cli('schedule', 'rm', 'nope'), 1, /no schedule named "nope"/);
  oneLine(await u.cli('schedule', 'pause', 'nope'), 1, /no schedule named "nope"/);
  oneLine(await u.cli('schedule', 'history', 'nope'), 1, /no schedule named "nope"/);
  oneLine(await u.cli('schedule', 'frobnicate'), 2, /unknown subcommand/);
  assert.equal(JSON.stringify(await list()), before, 'nothing stored');
});

test('config.toml schedules: listed, checked with the key named, not removable by rm; pause and resume', async () => {
  u.config(`[schedules.tidy]\ncron = "@daily"\ncommand = ["true"]\nguards = ["none"]\n`);
  const tidy = (await list()).find((s) => s.name === 'tidy');
  assert.equal(tidy?.origin, 'config');
  assert.equal(tidy?.cwd, u.dir, 'home by default');
  oneLine(await u.cli('schedule', 'rm', 'tidy'), 1, /declared in config.toml; remove \[schedules.tidy\] there/);
  oneLine(await u.cli('schedule', 'add', 'tidy', '--cron', '* * * * *', '--', 'true'), 1, /declared in config.toml/);
  assert.match(await u.ok('schedule', 'pause', 'tidy'), /^paused tidy$/m);
  assert.equal((await u.show('tidy')).paused, true);
  assert.deepEqual((await u.show('tidy')).next, []);
  assert.match(await u.ok('schedule', 'resume', 'tidy'), /^resumed tidy; next run /m);
  assert.equal((await u.show('tidy')).next.length, 3);

  u.config(`[schedules.tidy]\ncron = "61 * * * *"\ncommand = ["true"]\n`);
  oneLine(await u.cli('schedule', 'add', 'other', '--cron', '* * * * *', '--', 'true'), 1, /config\.toml:2: schedules\.tidy\.cron: the minute field "61" is out of range/);
  // A command that runs no schedule works on, saying which schedule it leaves out: a typo there must not stop `roost stop`.
  const ls = await u.cli('ls');
  assert.equal(ls.code, 0, ls.stderr);
  assert.match(ls.stderr, /^roost: warning: .*config\.toml:2: schedules\.tidy\.cron: the minute field "61" is out of range: it takes 0-59 \(this command leaves that schedule out; roost schedule and the daemon refuse the file until it is fixed\)\n$/);
  const stop = await u.cli('stop', 'nosuchjob');
  assert.match(stop.stderr, /no job named "nosuchjob"/, 'stop got as far as the jobs');
  u.config(`[schedules.tidy]\ncron = "@daily"\ncommand = ["true"]\nwhen = "now"\n`);
  const r = await u.cli('schedule', 'ls');
  assert.match(r.stderr, /schedules\.tidy\.when: unknown key/);
  u.config('');
  assert.equal((await list()).find((s) => s.name === 'tidy'), undefined, 'gone from config, gone from the table');
});

test('run needs the daemon, and ls says nothing runs without it; rm removes', async () => {
  oneLine(await u.cli('schedule', 'run', 'nightly'), 1, /the roost daemon is not running/);
  const ls = await u.cli('schedule', 'ls');
  assert.equal(ls.code, 0);
  assert.match(ls.stdout, /^nightly\s/m);
  assert.equal(ls.stderr, 'roost schedule: the daemon is not running, so nothing runs at these times; start it with: roost serve (or roost service install)\n');
  await u.ok('schedule', 'rm', 'nightly');
  assert.deepEqual(await list(), []);
});
