import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobBadge, ran } from '../../src/web/jobs/format.js';
import { commandLine, formatBytes as bytes, formatDuration } from '../../src/shared/jobs.js';

test('a job\'s badge tells success from failure', () => {
  assert.deepEqual(jobBadge({ state: 'running', exitCode: null, signal: null }), { text: 'running', tone: 'working' });
  assert.deepEqual(jobBadge({ state: 'exited', exitCode: 0, signal: null }), { text: 'exited 0', tone: 'exited' });
  assert.deepEqual(jobBadge({ state: 'exited', exitCode: 2, signal: null }), { text: 'exited 2', tone: 'attention' });
  assert.deepEqual(jobBadge({ state: 'killed', exitCode: null, signal: 'SIGKILL' }), { text: 'killed by SIGKILL', tone: 'attention' });
  assert.deepEqual(jobBadge({ state: 'lost', exitCode: null, signal: null }), { text: 'lost', tone: 'waiting' });
});

test('sizes, durations and command lines read as a person says them', () => {
  assert.equal(bytes(999), '999 B');
  assert.equal(bytes(1500), '1.5 KB');
  assert.equal(bytes(100_000_000), '100 MB');
  assert.equal(formatDuration(8_040_000), '2 h 14 min');
  assert.equal(formatDuration(65_000), '1 min 5 s');
  assert.equal(formatDuration(3 * 86_400_000 + 3_600_000), '3 d 1 h');
  assert.equal(ran({ state: 'running', durationMs: 12_000 }), 'running for 12 s');
  assert.equal(commandLine(['python', 'train.py', '--name', 'a b', "it's"]), `python train.py --name 'a b' 'it'\\''s'`);
  // Control characters (a multi-line script, an escape): $'...' on one line, never the characters themselves.
  const script = commandLine(['sh', '-c', "cd /w\nclaude -p 'x' \\ y\x1b[31m"]);
  assert.equal(script, "sh -c $'cd /w\\nclaude -p \\'x\\' \\\\ y\\x1b[31m'");
  assert.ok(!/[\x00-\x1f]/.test(script));
});
