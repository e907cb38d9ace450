import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSlurmDate, parseSlurmDuration, parseTimeLimit, shortDuration } from '../../src/shared/slurm-time.js';

test('every form squeue prints for %L reads as seconds or as what it says', () => {
  // The forms of Slurm's secs2time_str, as measured with 22.05 on the local cluster.
  assert.deepEqual(parseSlurmDuration('1-02:03:04'), { kind: 'seconds', seconds: 86_400 + 2 * 3600 + 3 * 60 + 4 });
  assert.deepEqual(parseSlurmDuration('12-00:00:00'), { kind: 'seconds', seconds: 12 * 86_400 });
  assert.deepEqual(parseSlurmDuration('2:03:04'), { kind: 'seconds', seconds: 2 * 3600 + 3 * 60 + 4 });
  assert.deepEqual(parseSlurmDuration('23:59:59'), { kind: 'seconds', seconds: 86_399 });
  assert.deepEqual(parseSlurmDuration('4:59'), { kind: 'seconds', seconds: 299 });
  assert.deepEqual(parseSlurmDuration('0:07'), { kind: 'seconds', seconds: 7 });
  assert.deepEqual(parseSlurmDuration('59:00'), { kind: 'seconds', seconds: 3540 });
  assert.deepEqual(parseSlurmDuration('UNLIMITED'), { kind: 'unlimited' });
  assert.deepEqual(parseSlurmDuration('NOT_SET'), { kind: 'not-set' });
  assert.deepEqual(parseSlurmDuration('INVALID'), { kind: 'invalid' });
  assert.deepEqual(parseSlurmDuration(' 5:00\n'), { kind: 'seconds', seconds: 300 });
});

test('anything else squeue might print reads as invalid, never as a number', () => {
  for (const t of ['', 'N/A', '5', '1-03:04', '-1:00', '1:2:3:4', 'abc', '1-', ':30']) {
    assert.deepEqual(parseSlurmDuration(t), { kind: 'invalid' }, t);
  }
});

test('time limits a user may ask for, as Slurm reads them', () => {
  const secs = (v: string) => {
    const r = parseTimeLimit(v);
    assert.ok(r.ok, `${v}: ${r.ok ? '' : r.error}`);
    return r.seconds;
  };
  assert.equal(secs('30'), 1800); // minutes
  assert.equal(secs('1'), 60);
  assert.equal(secs('90:30'), 90 * 60 + 30); // M:S
  assert.equal(secs('72:00:00'), 72 * 3600); // H:M:S
  assert.equal(secs('2-12'), 2 * 86_400 + 12 * 3600); // D-H
  assert.equal(secs('1-02:30'), 86_400 + 2 * 3600 + 30 * 60); // D-H:M
  assert.equal(secs('1-02:30:15'), 86_400 + 2 * 3600 + 30 * 60 + 15); // D-H:M:S
  assert.equal(secs('UNLIMITED'), null);
  assert.equal(secs('infinite'), null);
  assert.equal(secs('0'), null); // Slurm: no limit
  const ok = parseTimeLimit('1-02:30');
  assert.equal(ok.ok && ok.text, '1-02:30');
});

test('a bad time is refused with the forms Slurm takes', () => {
  for (const v of ['xyz', '', '1h', '1:60', '1:00:60', '1-24', '1-02:60', '1.5', '-5', '1:2:3:4', '10 ', '1-2-3']) {
    const r = parseTimeLimit(v);
    if (v === '10 ') {
      assert.ok(r.ok); // surrounding space is trimmed
      continue;
    }
    assert.equal(r.ok, false, v);
    assert.match(r.ok ? '' : r.error, /^invalid time .*: use minutes, M:S, H:M:S/);
  }
});

test('squeue dates are local times; N/A and NONE are none', () => {
  assert.equal(parseSlurmDate('2026-12-02T18:03:47'), new Date(2026, 11, 2, 18, 3, 47).getTime());
  assert.equal(parseSlurmDate('N/A'), null);
  assert.equal(parseSlurmDate('NONE'), null);
  assert.equal(parseSlurmDate('Unknown'), null);
});

test('durations for people: two units, rounded down', () => {
  assert.equal(shortDuration(2 * 86_400 + 3 * 3600 + 59), '2d3h');
  assert.equal(shortDuration(86_400), '1d');
  assert.equal(shortDuration(3 * 3600 + 12 * 60 + 59), '3h12m');
  assert.equal(shortDuration(7200), '2h');
  assert.equal(shortDuration(119 * 60 + 59), '1h59m');
  assert.equal(shortDuration(12 * 60 + 5), '12m');
  assert.equal(shortDuration(45), '45s');
  assert.equal(shortDuration(-3), '0s');
});
