import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objectionOf, runsProgram, type GuardFacts } from './guards.js';

const firstObjection = (...a: Parameters<typeof objectionOf>) => objectionOf(...a)?.reason ?? null;
import { programOf } from './command-program.js';
import { cronProblem, parseDuration, parseGuard, type Guard } from '../config/schedule-spec.js';
import type { SessionInfo } from '../shared/api.js';
import type { ClientRow } from '../tmux/index.js';

test('guards parse, and refuse with a reason', () => {
  assert.deepEqual(parseGuard('busy:claude@main'), { kind: 'busy', program: 'claude', session: 'main' });
  assert.deepEqual(parseGuard('busy:claude'), { kind: 'busy', program: 'claude', session: null });
  assert.deepEqual(parseGuard('present'), { kind: 'present', session: null });
  assert.deepEqual(parseGuard('present:main'), { kind: 'present', session: 'main' });
  assert.deepEqual(parseGuard('load:2.5'), { kind: 'load', max: 2.5 });
  assert.deepEqual(parseGuard('lock:data'), { kind: 'lock', name: 'data' });
  assert.deepEqual(parseGuard('none'), { kind: 'none' });
  for (const bad of ['busy', 'busy:', 'busy:a b', 'busy:claude@bad name', 'present:#(x)', 'load:-1', 'load:x', 'lock:', 'none:1', 'idle']) {
    assert.equal(typeof parseGuard(bad), 'string', bad);
  }
});

test('durations and cron expressions', () => {
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('2'), 2000);
  assert.equal(parseDuration('5x'), null);
  assert.equal(parseDuration('1h 30m'), null);
  assert.equal(cronProblem('0 3 * * *', undefined), null);
  assert.equal(cronProblem('*/2 * * * * *', 'Europe/Paris'), null);
  assert.equal(cronProblem('@hourly', undefined), null);
  assert.equal(cronProblem('@Daily', undefined), null);
  assert.match(cronProblem('@every 5m', undefined)!, /^"@every 5m" is not a cron expression: use 5 fields/);
  assert.match(cronProblem('61 * * * *', undefined)!, /minute/);
  // The field as written and what it takes, not croner's count from 0 ("month: 12", "day: -1") or its numbers for names.
  assert.equal(cronProblem('0 0 1 13 *', undefined), 'the month field "13" is out of range: it takes 1-12 or JAN-DEC');
  assert.equal(cronProblem('0 0 0 * *', undefined), 'the day of month field "0" is out of range: it takes 1-31');
  assert.equal(cronProblem('0 0 32 * *', undefined), 'the day of month field "32" is out of range: it takes 1-31');
  assert.equal(cronProblem('1,2,99 * * * *', undefined), 'the minute field "1,2,99" is out of range: it takes 0-59');
  assert.equal(cronProblem('70 * * * * *', undefined), 'the second field "70" is out of range: it takes 0-59', 'six fields: seconds first');
  assert.match(cronProblem('* * * * MON-FOO', undefined)!, /^the day of week field "MON-FOO" is not a cron field: it takes 0-7 \(0 and 7 are Sunday\) or SUN-SAT/);
  assert.match(cronProblem('a * * * *', undefined)!, /^the minute field "a" is not a cron field/);
  assert.doesNotMatch(cronProblem('*/0 * * * *', undefined)!, /CronPattern/, 'croner\'s prefix is not the user\'s business');
  assert.match(cronProblem('   ', undefined)!, /^give a cron expression/);
  assert.match(cronProblem('* * * *', undefined)!, /5 fields/);
  assert.match(cronProblem('* * * * *', 'Mars/Olympus')!, /time ?zone/i);
  assert.equal(cronProblem('0 0 30 2 *', undefined), 'it never fires: no date matches it (a 30 February, say)');
  assert.equal(cronProblem('0 0 29 2 *', undefined), null, 'every four years is still a date');
});

test('a program is named as a person names it: comm, argv[0], or an interpreter\'s script', () => {
  assert.ok(runsProgram({ name: 'claude', commands: [['/bin/bash', './claude']] }, 'claude'), 'a script named claude');
  assert.ok(runsProgram({ name: 'node', commands: [['node', '/usr/lib/node_modules/.bin/claude', '--resume', 'x']] }, 'claude'));
  assert.ok(runsProgram({ name: 'MainThread', commands: [['claude']] }, 'claude'));
  assert.ok(!runsProgram({ name: 'vim', commands: [['vim', 'claude.md']] }, 'claude'), 'an argument is not the program');
  assert.ok(!runsProgram({ name: 'bash', commands: [['bash', '-c', 'echo claude']] }, 'claude'), 'not a substring of the command line');
  assert.equal(programOf(['env', 'A=1', 'claude', '-p', 'x']), 'claude');
  assert.equal(programOf(['/usr/local/bin/claude']), 'claude');
});

test('the program of a command is seen through wrappers and a shell\'s one-line script; a shell alone names none', () => {
  assert.equal(programOf(['sh', '-c', 'cd ~/app && /home/me/bin/pyagent --once']), 'pyagent');
  assert.equal(programOf(['bash', '-lc', 'source venv/bin/activate; exec claude -p "review" | tee out.log']), 'claude');
  assert.equal(programOf(['nice', '-n', '10', 'timeout', '1h', 'nohup', 'claude', '-p', 'x']), 'claude');
  assert.equal(programOf(['env', 'A=1', 'sh', '-c', 'B=2 python3 train.py']), 'train.py', 'an interpreter\'s script, as runsProgram names it');
  assert.equal(programOf(['env', 'A=1', 'sh', '-c', 'python3 -m pytest']), 'python3', 'a module: the interpreter');
  assert.equal(programOf(['sh', './nightly.sh']), null, 'a shell running a script file: which program is unknown');
  assert.equal(programOf(['bash']), null);
  assert.equal(programOf(['sh', '-c', '']), null);
  assert.equal(programOf(['./nightly.sh']), 'nightly.sh');
});

test('wrappers\' options that take a value are stepped over, as the wrapper reads them', () => {
  assert.equal(programOf(['timeout', '-s', 'KILL', '1h', 'claude']), 'claude');
  assert.equal(programOf(['timeout', '--signal=KILL', '-k', '5s', '1h', 'claude']), 'claude');
  assert.equal(programOf(['timeout', '-sKILL', '--preserve-status', '1h', 'claude']), 'claude');
  assert.equal(programOf(['env', '-u', 'HOME', 'claude', '-p', 'x']), 'claude');
  assert.equal(programOf(['env', '-C', '/w', 'claude', '-p', 'x']), 'claude');
  assert.equal(programOf(['env', '--chdir', '/w', '-i', 'A=1', 'claude']), 'claude');
  assert.equal(programOf(['env', '-S', 'claude -p "x y"']), 'claude', 'env -S: its string is the command');
  assert.equal(programOf(['nice', '-n', '10', 'ionice', '-c', '3', 'claude']), 'claude');
  assert.equal(programOf(['ionice', '-c3', '-n', '7', 'stdbuf', '-o', 'L', '-eL', 'claude']), 'claude');
  assert.equal(programOf(['taskset', '-c', '0-3', 'chrt', '-i', '0', 'setsid', 'nohup', 'claude']), 'claude');
  assert.equal(programOf(['taskset', '-p', '0x3', '1234']), null, 'taskset -p changes a running process');
  assert.equal(programOf(['node', '/usr/bin/claude', '-p', 'x']), 'claude', 'an interpreter\'s script, as a person names it');
  assert.equal(programOf(['node', '--import', 'tsx', 'agent.ts']), 'agent.ts');
  assert.equal(programOf(['node', '-e', 'console.log(1)']), 'node');
});

test('a shell\'s script is read with its quotes and operators; builtins name no program', () => {
  assert.equal(programOf(['sh', '-c', 'cd ~/app && claude -p "Review the commits; fix failing tests"']), 'claude');
  assert.equal(programOf(['sh', '-c', "claude -p 'a && b || c | d'"]), 'claude');
  assert.equal(programOf(['sh', '-c', 'claude -p x || echo failed']), 'claude', 'echo runs inside the shell');
  assert.equal(programOf(['bash', '-c', 'claude -p x; exit 0']), 'claude');
  assert.equal(programOf(['bash', '-c', 'claude -p x > out.log 2>&1; true']), 'claude');
  assert.equal(programOf(['bash', '-c', 'claude -p "$(cat prompt.txt)" | tee out.log']), 'claude');
  assert.equal(programOf(['bash', '-c', 'claude -p $(cat prompt.txt)']), 'claude', 'a command substitution makes an argument');
  assert.equal(programOf(['bash', '-c', 'cd /w\nclaude -p x # the nightly\nexport DONE=1']), 'claude', 'lines, a comment');
  assert.equal(programOf(['bash', '-c', 'if claude -p x; then echo ok; fi']), 'claude');
  assert.equal(programOf(['sh', '-c', 'timeout -s KILL 1h claude -p x']), 'claude');
  assert.equal(programOf(['sh', '-c', 'echo hi; exit 1']), null, 'only builtins: no program');
  assert.equal(programOf(['sh', '-c', 'claude -p x || sh ./fallback.sh']), null, 'a script file hides its program');
});

function facts(o: Partial<GuardFacts> & { fg?: Record<number, string> }): GuardFacts {
  const session = (id: string, name: string, pid: number, kind: SessionInfo['kind'] = 'plain'): SessionInfo => ({
    id, name, kind, created: 0, attached: 1, activity: 0,
    windows: [{ id: '@1', index: 0, name: 'w', active: true, command: 'bash', status: 'working', activity: 0, bell: false, bells: null, panes: [{ id: '%1', index: 0, active: true, pid, cwd: '/', command: 'bash', dead: false, exitStatus: null }] }],
  } as SessionInfo);
  return {
    sessions: [session('$1', 'main', 100), session('$2', 'other', 200), session('$3', 'nightly-1', 300, 'job')],
    clients: [],
    foreground: (pid) => (o.fg?.[pid] ? { name: o.fg[pid]!, commands: [[o.fg[pid]!]] } : null),
    load1: 0.5,
    lockHolder: () => null,
    now: 1_000_000_000,
    presentMs: 30 * 60_000,
    ...o,
  };
}
const client = (c: Partial<ClientRow>): ClientRow => ({ name: '/dev/pts/1', pid: 1, sessionId: '$1', sessionName: 'main', viewOf: '', spare: false, readOnly: false, controlMode: false, activity: 1_000_000 - 10, ...c });
const g = (s: string) => parseGuard(s) as Guard;

test('the default guard: a person present where the same program runs; read-only, control-mode, spare-view and idle clients never count', () => {
  const cmd = ['claude', '-p', 'x'];
  assert.equal(firstObjection([], cmd, facts({ fg: { 100: 'claude' } })), null, 'nobody attached');
  assert.match(firstObjection([], cmd, facts({ fg: { 100: 'claude' }, clients: [client({})] }))!, /a person is at main, where claude runs in main:0/);
  assert.equal(firstObjection([], cmd, facts({ fg: { 200: 'claude' }, clients: [client({})] })), null, 'claude runs elsewhere');
  assert.equal(firstObjection([], cmd, facts({ fg: { 100: 'claude' }, clients: [client({ readOnly: true })] })), null);
  assert.equal(firstObjection([], cmd, facts({ fg: { 100: 'claude' }, clients: [client({ controlMode: true })] })), null);
  assert.equal(firstObjection([], cmd, facts({ fg: { 100: 'claude' }, clients: [client({ activity: 1_000_000 - 31 * 60 })] })), null, 'idle past the window');
  const view = client({ sessionId: '$9', sessionName: 'roost-view-x', viewOf: '$1' });
  assert.match(firstObjection([], cmd, facts({ fg: { 100: 'claude' }, clients: [view] }))!, /at main/, 'a browser view counts for the session it shows');
  const warm = client({ sessionId: '$8', sessionName: 'roost-spare-x', viewOf: '$1', spare: true });
  assert.equal(firstObjection([], cmd, facts({ fg: { 100: 'claude' }, clients: [warm] })), null, 'a spare view\'s client, attached ahead, is nobody');
});

test('busy, present, load, lock; job sessions are nobody\'s desk', () => {
  assert.match(firstObjection([g('busy:claude@main')], ['x'], facts({ fg: { 100: 'claude' } }))!, /claude runs in main:0/);
  assert.equal(firstObjection([g('busy:claude@other')], ['x'], facts({ fg: { 100: 'claude' } })), null);
  assert.equal(firstObjection([g('busy:claude')], ['x'], facts({ fg: { 300: 'claude' } })), null, 'a job session');
  assert.match(firstObjection([g('present:main')], ['x'], facts({ clients: [client({})] }))!, /a person is at main/);
  assert.equal(firstObjection([g('present:other')], ['x'], facts({ clients: [client({})] })), null);
  assert.match(firstObjection([g('load:0.1')], ['x'], facts({}))!, /load average is 0.50, above 0.1/);
  assert.match(firstObjection([g('lock:data')], ['x'], facts({ lockHolder: () => 'etl' }))!, /schedule etl holds lock data/);
  assert.equal(firstObjection([g('none')], ['claude'], facts({ fg: { 100: 'claude' }, clients: [client({})] })), null);
});
