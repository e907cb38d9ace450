import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runsCommandString } from './procs.js';

test('a shell runs a command string when -c is among its options, not when interactive or given a script', () => {
  assert.equal(runsCommandString(['sh', '-c', 'claude; exec "$SHELL"']), true);
  assert.equal(runsCommandString(['bash', '-ec', 'x']), true);
  assert.equal(runsCommandString(['-bash']), false);
  assert.equal(runsCommandString(['bash', '-ic', 'x']), false);
  assert.equal(runsCommandString(['bash', 'script.sh', '-c']), false);
});
