import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claudeText, clock, cronText, guardsText, runBadge, runDuration, runTime, since, triggerText, until } from '../../src/web/schedules/format.js';

const run = { outcome: 'succeeded', exitCode: 0, signal: null, started: 1000, missed: null } as const;

test('a run\'s badge tells success, failure, timeouts and skips apart', () => {
  assert.deepEqual(runBadge(run), { text: 'succeeded', tone: 'exited' });
  assert.deepEqual(runBadge({ ...run, outcome: 'running', exitCode: null }), { text: 'running', tone: 'working' });
  assert.deepEqual(runBadge({ ...run, outcome: 'failed', exitCode: 2 }), { text: 'failed (exit 2)', tone: 'attention' });
  assert.deepEqual(runBadge({ ...run, outcome: 'failed', exitCode: null, signal: 'SIGKILL' }), { text: 'failed (SIGKILL)', tone: 'attention' });
  assert.deepEqual(runBadge({ ...run, outcome: 'failed', exitCode: null, started: null }), { text: 'failed to start', tone: 'attention' });
  assert.deepEqual(runBadge({ ...run, outcome: 'timed-out', exitCode: null }), { text: 'timed out', tone: 'attention' });
  assert.deepEqual(runBadge({ ...run, outcome: 'lost', exitCode: null }), { text: 'lost', tone: 'waiting' });
  assert.deepEqual(runBadge({ ...run, outcome: 'skipped', exitCode: null, started: null }), { text: 'skipped', tone: 'quiet' });
  assert.deepEqual(runBadge({ ...run, outcome: 'missed', exitCode: null, started: null, missed: 3 }), { text: 'missed 3 runs', tone: 'quiet' });
  assert.deepEqual(runBadge({ ...run, outcome: 'missed', exitCode: null, started: null, missed: 1 }), { text: 'missed 1 run', tone: 'quiet' });
});

test('times read as a person says them', () => {
  assert.equal(until(10_000 + 185_000, 10_000), 'in 3 min 5 s');
  assert.equal(until(10_000, 10_500), 'now');
  assert.equal(since(0, 7_200_000), '2 h ago');
  assert.equal(since(5, 10), 'just now');
  assert.equal(runTime({ started: null, due: 50, created: 45 }), 50, 'a skip: its cron time');
  assert.equal(runTime({ started: 40, due: 50, created: 45 }), 40);
  assert.equal(runTime({ started: null, due: null, created: 45 }), 45, 'a skip of schedule run: when it was asked');
  assert.equal(runDuration({ started: 0, ended: 12_000 }, 99_000), 'ran 12 s');
  assert.equal(runDuration({ started: 0, ended: null }, 180_000), 'running for 3 min');
  assert.equal(runDuration({ started: null, ended: 5 }, 10), null);
});

test('why it ran, what Claude said, when and with which guards', () => {
  assert.equal(triggerText({ trigger: 'cron', forced: false }), null);
  assert.equal(triggerText({ trigger: 'manual', forced: false }), 'run now');
  assert.equal(triggerText({ trigger: 'manual', forced: true }), 'run now, guards bypassed');
  assert.equal(triggerText({ trigger: 'queued', forced: false }), 'queued after the previous run');
  assert.equal(claudeText({ kind: 'error_max_turns', isError: true, turns: 1, durationMs: 65_000, costUsd: 0.5, sessionId: 'x' }), 'claude: error_max_turns, 1 turn, 1 min 5 s, $0.5000');
  assert.equal(claudeText({ kind: 'success', isError: false, turns: null, durationMs: null, costUsd: null, sessionId: null }), 'claude: success');
  assert.equal(cronText({ cron: '0 3 * * *', tz: 'Europe/Paris' }), '0 3 * * * (Europe/Paris)');
  assert.equal(cronText({ cron: '@hourly', tz: null }), '@hourly (server time)');
  assert.equal(guardsText(['busy:claude@main', 'load:2']), 'busy:claude@main, load:2');
  assert.match(guardsText([]), /^default/);
});

test('a time of day reads as docs/web.md shows it: 24-hour HH:MM, seconds only off the minute, the day when not today', () => {
  const at = (h: number, m: number, s = 0, day = 5) => new Date(2026, 0, day, h, m, s).getTime();
  const now = at(0, 47, 58);
  assert.equal(clock(at(3, 0), now), '03:00');
  assert.equal(clock(at(15, 30), now), '15:30');
  assert.equal(clock(at(0, 48, 7), now), '00:48:07', 'a schedule by the second');
  assert.match(clock(at(3, 0, 0, 6), now), /^\S.* 03:00$/, 'tomorrow: its day, then the time');
  assert.notEqual(clock(at(3, 0, 0, 6), now), '03:00');
  // "next in 53 min 2 s (03:00)": two units at most, as every duration on the page.
  assert.equal(`next ${until(at(3, 0), at(2, 6, 58))} (${clock(at(3, 0), at(2, 6, 58))})`, 'next in 53 min 2 s (03:00)');
  assert.equal(until(at(3, 0), at(23, 47, 30, 4)), 'in 3 h 12 min');
});
