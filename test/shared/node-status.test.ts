import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeAllocation } from '../../src/shared/api.js';
import { allocationOver, allocationStatusLine, allocationSummary, timeLeftAt } from '../../src/shared/node-status.js';

const now = 1_800_000_000_000;
const a = (o: Partial<NodeAllocation>): NodeAllocation => ({
  jobId: '12', state: 'RUNNING', reason: null, nodes: 'gpu07', timeLeft: 3 * 3600 + 12 * 60 + 30, timeLimit: 8 * 3600, endAt: null, startAt: null,
  submittedAt: now - 240_000, host: 'login1', polledAt: now, ...o,
});

test('how an allocation reads, in every state', () => {
  assert.equal(allocationSummary(a({}), now), 'RUNNING on gpu07, 3h12m left');
  assert.equal(allocationSummary(a({ timeLeft: null }), now), 'RUNNING on gpu07, no time limit');
  assert.equal(allocationSummary(a({ state: 'PENDING', reason: 'Resources', nodes: null }), now), 'PENDING (Resources), queued 4m');
  assert.equal(allocationSummary(a({ state: 'PENDING', reason: 'Priority', startAt: now + 3_600_000 }), now), 'PENDING (Priority), queued 4m, starts in about 1h');
  assert.equal(allocationSummary(a({ state: 'TIMEOUT', reason: 'TimeLimit' }), now), 'TIMEOUT (TimeLimit)');
  assert.equal(allocationSummary(a({ state: 'REFUSED', reason: 'invalid partition specified: gpu' }), now), 'refused: invalid partition specified: gpu');
  assert.equal(allocationSummary(a({ state: 'REQUESTING', jobId: null }), now), 'requesting an allocation');
  // Running: the time left is tmux's to count down, to the end in epoch seconds.
  assert.deepEqual(allocationStatusLine(a({}), now, true), { text: 'job 12 RUNNING gpu07', end: now / 1000 + 3 * 3600 + 12 * 60 + 30 });
  assert.deepEqual(allocationStatusLine(a({}), now + 60_000, true), { text: 'job 12 RUNNING gpu07', end: now / 1000 + 3 * 3600 + 12 * 60 + 30 }, 'the same end a minute later');
  const end = new Date(now + (3 * 3600 + 12 * 60 + 30) * 1000);
  const hm = `${String(end.getHours()).padStart(2, '0')}:${String(end.getMinutes()).padStart(2, '0')}`;
  assert.match(allocationStatusLine(a({}), now, false).text, new RegExp(`^job 12 RUNNING gpu07 until (\\w+ \\d+ )?${hm}$`), 'a tmux that cannot count down: the clock time');
  assert.deepEqual(allocationStatusLine(a({ timeLeft: null }), now, true), { text: 'job 12 RUNNING gpu07 no limit', end: null });
  assert.deepEqual(allocationStatusLine(a({ state: 'PENDING', reason: 'QOSMaxJobsPerUser' }), now, true), { text: 'job 12 PENDING QOSMaxJobsPerUser', end: null });
  assert.deepEqual(allocationStatusLine(a({ state: 'CANCELLED' }), now, true), { text: 'job 12 CANCELLED', end: null });
});

test('time left counts down from the look while it runs, and never below zero', () => {
  assert.equal(timeLeftAt(a({ timeLeft: 600 }), now + 60_000), 540);
  assert.equal(timeLeftAt(a({ timeLeft: 30 }), now + 60_000), 0);
  assert.equal(timeLeftAt(a({ state: 'PENDING', timeLeft: 600 }), now + 60_000), 600); // the whole limit, waiting
});

test('over: ended, refused; not over: queued, running, ending', () => {
  for (const s of ['TIMEOUT', 'CANCELLED', 'COMPLETED', 'NODE_FAIL', 'ENDED', 'REFUSED']) assert.equal(allocationOver({ state: s }), true, s);
  for (const s of ['REQUESTING', 'PENDING', 'RUNNING', 'COMPLETING', 'UNKNOWN']) assert.equal(allocationOver({ state: s }), false, s);
});
