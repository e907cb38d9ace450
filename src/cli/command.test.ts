/**
 * parse(): every way argv can be wrong becomes a UsageError in Roost's own
 * words, never Node's parser text; right argv parses as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noExtra, parse, UsageError, type Command } from './command.js';
import { COMMAND_WORDS, isCommandName } from './command-words.js';
import { COMMANDS } from './commands/index.js';

const cmd: Command = {
  name: 'demo',
  summary: '',
  usage: 'roost demo',
  takesCommand: true,
  options: { cwd: { type: 'string', short: 'c' }, json: { type: 'boolean' }, tag: { type: 'string', multiple: true } },
  run: async () => 0,
};

function refused(argv: string[], message: string): void {
  assert.throws(() => parse(cmd, argv), (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.message, message);
    return true;
  }, argv.join(' '));
}

test('mistakes are named in one line, without Node\'s advice', () => {
  refused(['-x'], 'unknown option -x');
  refused(['--nope', 'a'], 'unknown option --nope');
  refused(['--nope=1'], 'unknown option --nope');
  refused(['-jc', 'dir'], 'unknown option -j (in -jc)'); // a group of short options: the first unknown one, in its word
  refused(['-odd'], 'unknown option -odd'); // no letter is an option: a mistyped word, named as typed
  refused(['--__proto__'], 'unknown option --__proto__');
  refused(['--toString'], 'unknown option --toString');
  refused(['-c'], '-c needs a value');
  refused(['a', '--cwd'], '--cwd needs a value');
  refused(['--tag'], '--tag needs a value');
  refused(['--json=yes'], '--json takes no value');
  refused(['-c', '--json'], '-c needs a value (for one that starts with "-", write --cwd=--json)');
  refused(['--cwd', '-x', 'a'], '--cwd needs a value (for one that starts with "-", write --cwd=-x)');
  // A negative number: no option takes one, so no --cwd=-1 hint that would be refused in turn.
  refused(['--cwd', '-1'], '--cwd needs a value of 0 or more, got -1');
  refused(['-c', '-2.5'], '-c needs a value of 0 or more, got -2.5');
});

test('what is right parses: values, positionals, and everything after --', () => {
  const p = parse(cmd, ['a', '-c', '/tmp', '--json', '--', '-x', '--nope']);
  assert.deepEqual({ ...p, values: { ...p.values } }, { values: { cwd: '/tmp', json: true }, positionals: ['a'], rest: ['-x', '--nope'], dashDash: true, commandAfter: true });
  const operands = parse({ ...cmd, takesCommand: false }, ['a', '--json', '--', '-x', '--nope']);
  assert.deepEqual([operands.positionals, operands.rest, operands.values['nope'], operands.dashDash], [['a', '-x', '--nope'], [], undefined, true], 'without a command to run, words after -- are operands');
  assert.equal(parse(cmd, ['--cwd=-odd']).values['cwd'], '-odd');
  assert.equal(parse(cmd, ['-c-odd']).values['cwd'], '-odd');
  assert.equal(parse(cmd, ['-c', '-']).values['cwd'], '-');
  assert.deepEqual(parse(cmd, ['--tag', 'a', '--tag=b']).values['tag'], ['a', 'b']);
  assert.deepEqual({ ...parse(cmd, ['-L', 'sock', '-h']).values }, { socket: 'sock', help: true });
  assert.deepEqual(parse(cmd, ['-']).positionals, ['-']);
});

test('command-words.ts knows every command name and alias, and nothing else', () => {
  for (const c of COMMANDS) for (const w of [c.name, ...(c.aliases ?? [])]) assert.ok(isCommandName(w), w);
  const words = COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
  assert.deepEqual([...COMMAND_WORDS].sort(), words.sort());
});

test('a word where a command would go after -- says so', () => {
  const p = parse(cmd, ['python3', 'x.py']);
  assert.throws(() => noExtra(p, 0), { message: 'unexpected argument "python3" (the command to run goes last, after --: -- python3 ...)' });
  assert.throws(() => noExtra(parse(cmd, ['a', 'b', '--', 'c']), 1), { message: 'unexpected argument "b"' }, 'with -- given, an extra word is just extra');
  const plain: Command = { ...cmd, takesCommand: false };
  assert.throws(() => noExtra(parse(plain, ['a']), 0), { message: 'unexpected argument "a"' }, 'a command that runs none');
});
