import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeAllocation } from '../shared/api.js';
import { newsFor, nextDelay, statusText } from './poller.js';
import type { PollFile } from './poll-file.js';
import type { JobObservation } from './slurm-cli.js';
import { newRecord, type NodeRecord } from './records.js';
import type { NodeRequest } from './request.js';

const request: NodeRequest = {
  profile: null, partition: null, account: null, qos: null, constraint: null, time: '1:00:00', mem: null, cpus: null, gpus: null,
  args: [], launcher: null, warnMinutes: [30, 5],
};
const now = 1_800_000_000_000;
const rec = (o: Partial<NodeRecord> = {}): NodeRecord => ({ ...newRecord({ name: 'gpu', host: 'login1', socket: null, request, command: null, now }), jobId: '12', ...o });
const alloc = (o: Partial<NodeAllocation> = {}): NodeAllocation => ({
  jobId: '12', state: 'RUNNING', reason: null, nodes: 'n1', timeLeft: 3600, timeLimit: 3600, endAt: null, startAt: null,
  submittedAt: now, host: 'login1', polledAt: now, ...o,
});
const kinds = (r: ReturnType<typeof newsFor>) => r.news.map((n) => `${n.kind}${n.n === undefined ? '' : `-${n.n}`}`);

test('granted is news only after the job was queued, and only once', () => {
  assert.deepEqual(kinds(newsFor(rec({ queued: false }), alloc(), undefined, now)), []);
  const first = newsFor(rec({ queued: true }), alloc(), undefined, now);
  assert.deepEqual(kinds(first), ['node-granted']);
  assert.deepEqual(kinds(newsFor(rec({ queued: true }), alloc(), first.told!, now)), []);
});

test('warnings: each threshold once; several crossed at once speak as the nearest', () => {
  const at40 = newsFor(rec(), alloc({ timeLeft: 40 * 60 }), undefined, now);
  assert.deepEqual(kinds(at40), []);
  const at29 = newsFor(rec(), alloc({ timeLeft: 29 * 60 }), at40.told!, now);
  assert.deepEqual(kinds(at29), ['node-expiring-30']);
  assert.deepEqual(kinds(newsFor(rec(), alloc({ timeLeft: 20 * 60 }), at29.told!, now)), []);
  const at4 = newsFor(rec(), alloc({ timeLeft: 4 * 60 }), at29.told!, now);
  assert.deepEqual(kinds(at4), ['node-expiring-5']);
  // A one-minute job: both thresholds crossed at the first look, one warning.
  const short = newsFor(rec(), alloc({ timeLeft: 60 }), undefined, now);
  assert.deepEqual(kinds(short), ['node-expiring-5']);
  assert.deepEqual(kinds(newsFor(rec(), alloc({ timeLeft: 50 }), short.told!, now)), []);
  // Time left counts down from the look: 31 min at a look 2 min ago is 29 min now.
  assert.deepEqual(kinds(newsFor(rec(), alloc({ timeLeft: 31 * 60, polledAt: now - 120_000 }), at40.told!, now)), ['node-expiring-30']);
});

test('ended once, with its state; fallbacks while it lives; a new job starts afresh', () => {
  const ended = newsFor(rec(), alloc({ state: 'TIMEOUT', reason: 'TimeLimit', timeLeft: null }), undefined, now);
  assert.deepEqual(kinds(ended), ['node-ended']);
  assert.equal(ended.news[0]!.allocation.state, 'TIMEOUT');
  assert.deepEqual(kinds(newsFor(rec(), alloc({ state: 'TIMEOUT' }), ended.told!, now)), []);
  assert.deepEqual(kinds(newsFor(rec(), alloc({ state: 'REFUSED', jobId: null }), undefined, now)), []);
  const fb = newsFor(rec({ fallbacks: 1 }), alloc(), undefined, now);
  assert.deepEqual(kinds(fb), ['node-fallback-1']);
  assert.deepEqual(kinds(newsFor(rec({ fallbacks: 2 }), alloc(), fb.told!, now)), ['node-fallback-2']);
  assert.deepEqual(kinds(newsFor(rec({ jobId: '13', queued: true }), alloc({ jobId: '13' }), ended.told!, now)), ['node-granted']);
});

test('the status line gets no tmux formats and nothing unprintable', () => {
  assert.equal(statusText('job 1 PENDING #(rm -rf /)#[fg=red]\x07'), 'job 1 PENDING (rm -rf /)[fg=red]');
});

test('the interval: poll_seconds while a job is queued or past its limit; stretched while nothing is about to change', () => {
  const job = (o: Partial<JobObservation> = {}): JobObservation => ({
    id: '12', state: 'RUNNING', reason: null, nodes: 'n1', timeLeft: 3 * 3600, overdue: false, timeLimit: 4 * 3600, startAt: null, endAt: null, name: 'roost-gpu', ...o,
  });
  const file = (j: JobObservation): PollFile => ({ holder: { pid: 1, role: 'window' }, polledAt: now, nextAt: now, jobs: { '12': j }, gone: [], told: {} });
  const base = 30_000;
  const hours = job();
  assert.equal(nextDelay([{ r: rec(), a: alloc({ timeLeft: hours.timeLeft }) }], file(hours), now, base), 4 * base);
  assert.equal(nextDelay([{ r: rec(), a: alloc({ state: 'PENDING', reason: 'Resources' }) }], file(job({ state: 'PENDING' })), now, base), base);
  // Still RUNNING past its limit (%L INVALID: no time left to count down from): Slurm ends it within about 30 s.
  const overdue = job({ timeLeft: null, overdue: true });
  assert.equal(nextDelay([{ r: rec(), a: alloc({ timeLeft: null }) }], file(overdue), now, base), base);
});
