import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, BACKOFF_MAX_MS, CONNECT_TIMEOUT_MS, Reconnector, type ReconnectState } from '../../src/web/reconnect.js';
import { ManualClock } from './fakes.js';

test('backoff doubles from 0.5 s to a 10 s ceiling, and starts over after reset', () => {
  const b = new Backoff(() => 0.5);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(() => b.next()), [500, 1000, 2000, 4000, 8000, 10000, 10000]);
  b.reset();
  assert.equal(b.next(), 500);
});

test('backoff jitter stays within ±25% and under the ceiling', () => {
  const low = new Backoff(() => 0);
  const high = new Backoff(() => 0.999999);
  assert.equal(low.next(), 375);
  assert.equal(high.next(), 625);
  for (let i = 0; i < 10; i++) high.next();
  assert.equal(high.next(), BACKOFF_MAX_MS);
});

function loop() {
  const clock = new ManualClock();
  const log: string[] = [];
  const states: [ReconnectState, number | undefined][] = [];
  const r = new Reconnector(clock, {
    attempt: () => log.push('attempt'),
    abandon: () => log.push('abandon'),
    onState: (s, d) => states.push([s, d]),
  });
  return { clock, log, states, r };
}

test('one attempt at a time: start and retryNow do not open a second one while connecting', () => {
  const { log, r } = loop();
  r.start();
  r.start();
  r.retryNow();
  assert.deepEqual(log, ['attempt']);
  assert.equal(r.current, 'connecting');
});

test('a failure waits with backoff, then attempts again; success resets the backoff', () => {
  const { clock, log, states, r } = loop();
  r.start();
  r.failed();
  assert.equal(r.current, 'waiting');
  assert.deepEqual(states.at(-1), ['waiting', 500]);
  clock.advance(499);
  assert.equal(log.length, 1);
  clock.advance(1);
  assert.equal(log.length, 2);
  r.failed();
  assert.deepEqual(states.at(-1), ['waiting', 1000]);
  clock.advance(1000);
  r.opened();
  assert.equal(r.current, 'open');
  r.failed();
  assert.deepEqual(states.at(-1), ['waiting', 500], 'a working connection resets the backoff');
});

test('retryNow skips the wait; stop cancels the pending retry', () => {
  const { clock, log, r } = loop();
  r.start();
  r.failed();
  r.retryNow();
  assert.deepEqual(log, ['attempt', 'attempt']);
  r.failed();
  r.stop();
  clock.advance(60_000);
  assert.equal(log.filter((x) => x === 'attempt').length, 2);
  assert.equal(r.current, 'stopped');
});

test('an attempt that hangs is abandoned after the connect timeout and retried', () => {
  const { clock, log, r } = loop();
  r.start();
  clock.advance(CONNECT_TIMEOUT_MS - 1);
  assert.deepEqual(log, ['attempt']);
  clock.advance(1);
  assert.deepEqual(log, ['attempt', 'abandon']);
  assert.equal(r.current, 'waiting');
  clock.advance(500);
  assert.deepEqual(log, ['attempt', 'abandon', 'attempt']);
});

test('an open connection is not subject to the connect timeout', () => {
  const { clock, log, r } = loop();
  r.start();
  r.opened();
  clock.advance(CONNECT_TIMEOUT_MS * 3);
  assert.deepEqual(log, ['attempt']);
  assert.equal(r.current, 'open');
});
