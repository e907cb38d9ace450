/**
 * A node session's status line (src/slurm/status-line.ts) on a real private
 * tmux server, without Slurm: tmux itself counts the time left down to the
 * end the poller set, written as everywhere else in Roost (shortDuration).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux } from '../helpers/tmux.js';
import { newSession } from '../../src/tmux/index.js';
import { countdownFormat, countsDown, setUpStatusLine, showNodeStatus } from '../../src/slurm/status-line.js';
import { shortDuration } from '../../src/shared/slurm-time.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("tmux's countdown reads as shortDuration: days and hours, hours and minutes, minutes, seconds, 0s once past", async () => {
  const tmux = privateTmux();
  const id = await newSession(tmux.client, { name: 'n' });
  assert.equal(await countsDown(tmux.client), true, 'this machine has tmux 3.2 or later');
  for (const off of [-5, 0, 1, 59, 60, 61, 3599, 3600, 3660, 11_550, 86_399, 86_400, 90_000, 93_600, 200_000]) {
    await tmux.run('set-option', '-t', id, '@end', String(Math.floor(Date.now() / 1000) + off));
    // The seconds tmux counted from, in the same expansion: a second may tick between setting and reading.
    const [left, text] = (await tmux.run('display-message', '-p', '-t', id, `#{e|-:#{@end},%s}|${countdownFormat('@end')}`)).trim().split('|');
    assert.equal(text, shortDuration(Math.max(0, Number(left))), `${off} s ahead (${left} s when read)`);
  }
});

test('the status line counts down by itself between two settings of it, in front of the user\'s status-right', async () => {
  const tmux = privateTmux();
  const id = await newSession(tmux.client, { name: 'n' });
  await tmux.run('set-option', '-g', 'status-right', 'mine');
  await setUpStatusLine(tmux.client, id, 'requesting allocation');
  const shown = async () => (await tmux.run('display-message', '-p', '-t', id, '#{T:status-right}')).trim();
  assert.equal(await shown(), '#[reverse] requesting allocation #[default] mine');
  await showNodeStatus(tmux.client, id, 'job 12 RUNNING vm', Math.floor(Date.now() / 1000) + 50);
  const first = /^#\[reverse\] job 12 RUNNING vm (\d+)s left #\[default\] mine$/.exec(await shown());
  assert.ok(first, await shown());
  await sleep(2500);
  const later = /^#\[reverse\] job 12 RUNNING vm (\d+)s left #\[default\] mine$/.exec(await shown());
  assert.ok(later && Number(later[1]) <= Number(first[1]) - 2, `${first[1]}s, then ${later?.[1]}s: nobody set the option again`);
  // Over: no countdown, the state alone.
  await showNodeStatus(tmux.client, id, 'job 12 CANCELLED', null);
  assert.equal(await shown(), '#[reverse] job 12 CANCELLED #[default] mine');
});
