import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEnding, oneLine, parseJobLine } from './slurm-cli.js';

const line = (...f: string[]) => f.join('\x1f');

test("squeue's lines as observations: running, pending, past the end, a name with the separator", () => {
  const running = parseJobLine(line('6', 'RUNNING', 'None', '4:46', '5:00', 'vm', '2026-12-02T17:58:47', '2026-12-02T18:03:47', 'roost-a'));
  assert.deepEqual(running, {
    id: '6', state: 'RUNNING', reason: null, nodes: 'vm', timeLeft: 286, overdue: false, timeLimit: 300,
    startAt: new Date(2026, 11, 2, 17, 58, 47).getTime(), endAt: new Date(2026, 11, 2, 18, 3, 47).getTime(), name: 'roost-a',
  });
  const pending = parseJobLine(line('3', 'PENDING', 'Resources', '5:00', '5:00', '', 'N/A', 'N/A', 'roost-b'));
  assert.equal(pending?.reason, 'Resources');
  assert.equal(pending?.nodes, null);
  assert.equal(pending?.startAt, null);
  const late = parseJobLine(line('7', 'TIMEOUT', 'TimeLimit', 'INVALID', '1:00', 'vm', 'N/A', 'N/A', 'x'));
  assert.equal(late?.timeLeft, null);
  assert.equal(late?.state, 'TIMEOUT');
  assert.equal(late?.overdue, false);
  // Past its limit, not yet ended by Slurm: still RUNNING, %L INVALID.
  const overdue = parseJobLine(line('7', 'RUNNING', 'None', 'INVALID', '1:00', 'vm', 'N/A', 'N/A', 'x'));
  assert.equal(overdue?.overdue, true);
  assert.equal(overdue?.timeLeft, null);
  const unlimited = parseJobLine(line('8', 'RUNNING', 'None', 'UNLIMITED', 'UNLIMITED', 'vm', 'N/A', 'NONE', 'x'));
  assert.equal(unlimited?.timeLeft, null);
  assert.equal(unlimited?.overdue, false);
  assert.equal(parseJobLine(line('9', 'RUNNING', 'None', '1:00', '1:00', 'vm', 'N/A', 'N/A', 'a', 'b'))?.name, 'a\x1fb');
  // A queued job cancelled keeps its wait reason in squeue: not why it ended.
  assert.equal(parseJobLine(line('10', 'CANCELLED', 'Resources', 'UNLIMITED', 'UNLIMITED', '', '2026-12-05T01:29:21', '2026-12-05T01:29:21', 'x'))?.reason, null);
  assert.equal(parseJobLine(line('11', 'CANCELLED', 'JobHeldUser', '5:00', '5:00', '', 'N/A', 'N/A', 'x'))?.reason, null);
  assert.equal(parseJobLine(line('12', 'NODE_FAIL', 'NodeDown', 'INVALID', '5:00', 'vm', 'N/A', 'N/A', 'x'))?.reason, 'NodeDown');
  assert.equal(parseJobLine(line('13', 'COMPLETING', 'TimeLimit', 'INVALID', '1:00', 'vm', 'N/A', 'N/A', 'x'))?.reason, 'TimeLimit');
  assert.equal(parseJobLine('slurm_load_jobs error: Invalid job id specified'), null);
  assert.equal(parseJobLine(''), null);
});

test('ending: COMPLETING, or running past the limit; the rest is alive or over', () => {
  assert.equal(isEnding({ state: 'COMPLETING', overdue: false }), true);
  assert.equal(isEnding({ state: 'RUNNING', overdue: true }), true);
  assert.equal(isEnding({ state: 'RUNNING', overdue: false }), false);
  assert.equal(isEnding({ state: 'TIMEOUT', overdue: false }), false);
});

test("Slurm's messages in one line", () => {
  assert.equal(oneLine('salloc: error: invalid partition specified: nosuch\nsalloc: error: Job submit/allocate failed: Invalid partition name specified\n'),
    'invalid partition specified: nosuch; Job submit/allocate failed: Invalid partition name specified');
  assert.equal(oneLine('salloc: error: Invalid --time specification\n'), 'Invalid --time specification');
});
