import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge, findPane, jobInfo, START_GRACE_MS, type PaneFacts } from './state.js';
import type { JobRow } from './store.js';

const row = (o: Partial<JobRow> = {}): JobRow => ({
  id: 1, name: 'j', command: ['x'], cwd: '/', tmuxSocket: null, sessionId: '$1', runnerPid: 100, pid: 101, pidStart: 5, adopted: false,
  notify: null, logMax: 1e6, endMarker: 'm', created: 1000, started: 2000, ended: null, exitCode: null, signal: null, hangup: false,
  lost: null, stopRequested: null, told: null, ...o,
});
const gone = () => false;
const lives = () => true;
const pane = (o: Partial<PaneFacts> = {}): PaneFacts => ({ sessionId: '$1', sessionName: 'j', panePid: 100, dead: false, ...o });

test('the runner\'s record decides: exited, killed, or lost when the terminal hung up first and the end is unknown', () => {
  assert.equal(judge(row({ ended: 3000, exitCode: 3 }), null, 5000, gone).state, 'exited');
  assert.equal(judge(row({ ended: 3000, signal: 'SIGTERM' }), null, 5000, gone).state, 'killed');
  // Its session killed: the runner passed the hangup on, and the program's end is known.
  assert.equal(judge(row({ ended: 3000, signal: 'SIGHUP', hangup: true }), pane(), 5000, gone).state, 'killed');
  assert.equal(judge(row({ ended: 3000, exitCode: 0, hangup: true }), pane(), 5000, gone).state, 'exited');
  // An adopted program's status is not known.
  assert.equal(judge(row({ ended: 3000, exitCode: null, hangup: true }), pane(), 5000, gone).state, 'lost');
  assert.equal(judge(row({ lost: 3000 }), pane(), 5000, gone).state, 'lost');
});

test('without a record, tmux decides: alive pane running; dead or missing pane lost, but not before the job had time to start', () => {
  assert.deepEqual(judge(row(), pane(), 5000, gone), { state: 'running', becameLost: false });
  assert.deepEqual(judge(row(), pane({ dead: true }), 5000, gone), { state: 'lost', becameLost: true });
  assert.deepEqual(judge(row(), null, 5000, gone), { state: 'lost', becameLost: true });
  assert.deepEqual(judge(row(), undefined, 5000, gone), { state: 'running', becameLost: false }, 'a server not listed is not judged');
  assert.deepEqual(judge(row(), null, 1500, gone), { state: 'running', becameLost: false }, 'listed before the runner started');
  const starting = row({ started: null, runnerPid: null });
  assert.equal(judge(starting, null, 1000 + START_GRACE_MS - 1, gone).state, 'running');
  assert.equal(judge(starting, null, 1000 + START_GRACE_MS + 1, gone).state, 'lost');
  // The runner started before the daemon recorded the session it made (a busy daemon): a listing meanwhile
  // finds no pane for the job, which is running all the same.
  const making = row({ sessionId: null });
  assert.deepEqual(judge(making, null, 5000, gone), { state: 'running', becameLost: false });
  assert.equal(judge(making, null, 1000 + START_GRACE_MS + 1, gone).state, 'lost', 'a session never recorded: lost in the end');
});

test('a missing pane while the runner lives is not lost yet: the runner drains the log, then records the end', () => {
  assert.deepEqual(judge(row(), null, 5000, lives), { state: 'running', becameLost: false });
  assert.deepEqual(judge(row(), null, 5000, gone), { state: 'lost', becameLost: true });
  assert.deepEqual(judge(row(), pane({ dead: true }), 5000, lives), { state: 'lost', becameLost: true }, 'a dead pane: its runner ended');
  assert.equal(judge(row({ ended: 5200, signal: 'SIGHUP', hangup: true }), null, 5000, lives).state, 'killed', 'then its record decides');
});

test('the pane is the one of the session and runner recorded, never a namesake', () => {
  assert.equal(findPane(row(), [pane({ panePid: 999 })]), null, 'same session id on a restarted server, another process');
  assert.equal(findPane(row(), [pane({ sessionId: '$2' })]), null);
  assert.ok(findPane(row({ runnerPid: null }), [pane({ panePid: 999 })]), 'before the runner said its pid, the session id decides');
  const info = jobInfo(row({ ended: 4000, exitCode: 0 }), 'exited', pane({ sessionName: 'renamed' }), { start: 0, end: 10, bytes: 10 }, true, 9000);
  assert.equal(info.session, 'renamed');
  assert.equal(info.durationMs, 2000);
  assert.equal(info.notify, true, 'the config default when the job did not say');
});
