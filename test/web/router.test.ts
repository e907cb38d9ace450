import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobPath, parseRoute, safeNext, schedulePath, terminalPath } from '../../src/web/router.js';

test('routes: login, dashboard, terminal with and without a window', () => {
  assert.deepEqual(parseRoute('/'), { page: 'dashboard' });
  assert.deepEqual(parseRoute('/login'), { page: 'login' });
  assert.deepEqual(parseRoute('/s/work'), { page: 'terminal', session: 'work', window: null });
  assert.deepEqual(parseRoute('/s/work/2'), { page: 'terminal', session: 'work', window: '2' });
  assert.deepEqual(parseRoute('/s/work/2/'), { page: 'terminal', session: 'work', window: '2' });
  assert.equal(parseRoute('/s/').page, 'not-found');
  assert.equal(parseRoute('/s/a/b/c').page, 'not-found');
  assert.equal(parseRoute('/s/%E0%A4%A').page, 'not-found', 'malformed escapes do not throw');
});

test('terminal paths round-trip any tmux name', () => {
  for (const name of ['work', 'my session', 'a/b', '<img src=x>', '%41']) {
    const r = parseRoute(terminalPath(name, 3));
    assert.deepEqual(r, { page: 'terminal', session: name, window: '3' });
  }
  assert.equal(terminalPath('x'), '/s/x');
});

test('after login, only go to a path of this app', () => {
  assert.equal(safeNext('?next=%2Fs%2Fwork%2F1'), '/s/work/1');
  assert.equal(safeNext(''), '/');
  assert.equal(safeNext('?next=//evil.example/'), '/');
  assert.equal(safeNext('?next=/\\evil.example'), '/');
  assert.equal(safeNext('?next=https://evil.example/'), '/');
  assert.equal(safeNext('?next=/login'), '/');
  assert.equal(safeNext('?next=/api/logout'), '/');
});

test('jobs: the list and a job\'s log, any job name round-trips', () => {
  assert.deepEqual(parseRoute('/jobs'), { page: 'jobs' });
  assert.deepEqual(parseRoute('/jobs/'), { page: 'jobs' });
  assert.deepEqual(parseRoute(jobPath('train-3')), { page: 'job', name: 'train-3' });
  assert.equal(parseRoute('/jobs/a/b').page, 'not-found');
  assert.equal(safeNext('?next=%2Fjobs%2Ftrain-3'), '/jobs/train-3');
});

test('schedules: the list and a schedule\'s page, any schedule name round-trips', () => {
  assert.deepEqual(parseRoute('/schedules'), { page: 'schedules' });
  assert.deepEqual(parseRoute('/schedules/'), { page: 'schedules' });
  assert.deepEqual(parseRoute(schedulePath('nightly-2')), { page: 'schedule', name: 'nightly-2' });
  assert.deepEqual(parseRoute(schedulePath('a b/<c>')), { page: 'schedule', name: 'a b/<c>' });
  assert.equal(parseRoute('/schedules/a/b').page, 'not-found');
  assert.equal(safeNext('?next=%2Fschedules%2Fnightly'), '/schedules/nightly');
});
