import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobInputError, checkCommand, nameBase, parseEnvPairs } from './spec.js';
import { parseSignal } from './stop.js';
import { launchEnv } from './start.js';
import { parseByteSize } from '../config/config.js';

test('automatic names come from the program, fit for the name rule', () => {
  assert.equal(nameBase('python'), 'python');
  assert.equal(nameBase('/usr/bin/python3.11'), 'python3');
  assert.equal(nameBase('./train.py'), 'train');
  assert.equal(nameBase('my prog#1'), 'my-prog-1');
  assert.equal(nameBase('-weird'), 'weird');
  assert.equal(nameBase('...'), 'job');
});

test('--env pairs: KEY=VALUE with a proper key; the value may hold "="', () => {
  assert.deepEqual(parseEnvPairs(['A=1', 'B=x=y', 'C=']), { A: '1', B: 'x=y', C: '' });
  assert.throws(() => parseEnvPairs(['A']), JobInputError);
  assert.throws(() => parseEnvPairs(['=x']), /invalid environment variable name/);
  assert.throws(() => parseEnvPairs(['A B=x']), /invalid environment variable name/);
});

test('commands are argv arrays of strings without NUL', () => {
  assert.deepEqual(checkCommand(['sh', '-c', 'echo $HOME; ls']), ['sh', '-c', 'echo $HOME; ls']);
  assert.throws(() => checkCommand([]), /missing command/);
  assert.throws(() => checkCommand(['a\0b']), /NUL/);
  assert.throws(() => checkCommand('echo hi'), /missing command/);
});

test('the environment: the caller\'s, --env on top, PYTHONUNBUFFERED unless set, never another tmux\'s', () => {
  const env = launchEnv({ PATH: '/bin', TMUX: '/tmp/x,1,0', TMUX_PANE: '%1', KEEP: 'k' }, { KEEP: 'over' });
  assert.deepEqual(env, { PATH: '/bin', KEEP: 'over', PYTHONUNBUFFERED: '1' });
  assert.equal(launchEnv({ PYTHONUNBUFFERED: '' }, {})['PYTHONUNBUFFERED'], '');
});

test('signals by name, with or without SIG, or number; sizes with units', () => {
  assert.equal(parseSignal('term'), 'SIGTERM');
  assert.equal(parseSignal('SIGINT'), 'SIGINT');
  assert.equal(parseSignal('9'), 'SIGKILL');
  assert.throws(() => parseSignal('FOO'), /unknown signal/);
  assert.equal(parseByteSize('100MB'), 100_000_000);
  assert.equal(parseByteSize('64KiB'), 65_536);
  assert.equal(parseByteSize('1.5 GB'), 1_500_000_000);
  assert.equal(parseByteSize(4096), 4096);
  assert.equal(parseByteSize('lots'), null);
});
