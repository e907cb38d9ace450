/**
 * `roost run --notify` with no notification channel that would take the
 * job's end says so on stderr in one line, with how to add one, and runs
 * the job all the same; with a channel that takes it, it says nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobsUser } from '../helpers/jobs.js';

const u = jobsUser();

/** A webhook channel (never sent to here: nothing ends while a daemon runs), with `more` options. */
async function addChannel(...more: string[]): Promise<void> {
  const r = await u.cli('notify', 'add', 'webhook', '--url', 'http://127.0.0.1:9/hook', '--allow-private', ...more);
  assert.equal(r.code, 0, r.stderr);
}

test('run --notify without a channel that takes the job says so in one line and still runs it', async () => {
  const r = await u.cli('run', '--notify', '--name', 'lonely', '--', 'sleep', '300');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'lonely\n');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^roost run: no notification channel is set up, so nothing will be sent when lonely ends; add one: roost notify add ntfy --url URL --topic TOPIC, .*roost notify --help/);
  await u.waitJob('lonely', (j) => j.state === 'running' && j.pid !== null && j.notify);

  // Without --notify nothing is promised, so nothing is said.
  assert.equal((await u.cli('run', '--name', 'quiet', '--', 'true')).stderr, '');

  // Channels that leave job ends out (their --states, their --sessions) do not count.
  await addChannel('--states', 'waiting,bell');
  await addChannel('--sessions', 'main');
  const filtered = await u.cli('run', '--notify', '--name', 'filtered', '--', 'true');
  assert.equal(filtered.code, 0, filtered.stderr);
  assert.match(filtered.stderr, /^roost run: none of your notification channels takes filtered's end \(disabled, or left out by its --states or --sessions; see roost notify ls\), so nothing will be sent; add one: roost notify add /);
  assert.equal(filtered.stderr.trimEnd().split('\n').length, 1, filtered.stderr);

  // One that takes it: silence.
  await addChannel('--states', 'job-failed');
  const heard = await u.cli('run', '--notify', '--name', 'heard', '--', 'true');
  assert.deepEqual([heard.code, heard.stdout, heard.stderr], [0, 'heard\n', '']);
  assert.equal((await u.cli('stop', 'lonely', '--grace', '1')).code, 0);
});
