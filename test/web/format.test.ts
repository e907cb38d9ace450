import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionInfo, WindowInfo } from '../../src/shared/api.js';
import type { WindowStatus } from '../../src/shared/status.js';
import { ago, headlineWindow, sortSessions, splitCommand } from '../../src/web/dashboard/format.js';
import { agentLabel, attentionCount, countedTitle, statusLabel } from '../../src/web/window-status.js';

function win(index: number, status: WindowStatus, extra: Partial<WindowInfo> = {}): WindowInfo {
  return { id: `@${index}`, index, name: `w${index}`, active: index === 0, command: 'bash', status, activity: 0, bell: status === 'bell', panes: [], ...extra };
}
const sess = (name: string, ...windows: WindowInfo[]): SessionInfo => ({ id: `$${name}`, name, kind: 'plain', created: 0, attached: 1, activity: 0, windows });

test('status labels: working, ~ waiting, ! bell, exited with its status', () => {
  assert.equal(statusLabel(win(0, 'working')).text, 'working');
  assert.equal(statusLabel(win(0, 'waiting')).text, '~ waiting');
  assert.equal(statusLabel(win(0, 'bell')).text, '! bell');
  const dead = win(0, 'exited', { panes: [{ id: '%1', index: 0, active: true, pid: 1, cwd: '/', command: 'sh', dead: true, exitStatus: 3 }] });
  assert.deepEqual(statusLabel(dead), { text: 'exited (3)', symbol: '×', tone: 'exited' });
  // A job's window a signal ended (its status from the job's record) reads as roost jobs and roost ls say.
  const killed = win(0, 'exited', { panes: [{ id: '%1', index: 0, active: true, pid: 1, cwd: '/', command: 'sh', dead: true, exitStatus: 143, exitSignal: 'SIGTERM' }] });
  assert.equal(statusLabel(killed).text, 'killed by SIGTERM');
  const unknown = win(0, 'exited', { panes: [{ id: '%1', index: 0, active: true, pid: 1, cwd: '/', command: 'sh', dead: true, exitStatus: null }] });
  assert.equal(statusLabel(unknown).text, 'exited');
  assert.equal(statusLabel(win(0, 'working', { agent: 'needs-permission' })).tone, 'attention');
});

test('sessions wanting attention come first (bell, then waiting), by name within a group', () => {
  const list = [
    sess('a-working', win(0, 'working')),
    sess('b-waiting', win(0, 'working'), win(1, 'waiting')),
    sess('c-bell', win(0, 'bell')),
    sess('d-exited', win(0, 'exited')),
    sess('a-waiting', win(0, 'waiting')),
  ];
  assert.deepEqual(sortSessions(list).map((s) => s.name), ['c-bell', 'a-waiting', 'b-waiting', 'a-working', 'd-exited']);
});

test('the card speaks with its most urgent window', () => {
  assert.equal(headlineWindow(sess('x', win(0, 'working'), win(1, 'bell'), win(2, 'waiting')))?.index, 1);
  assert.equal(headlineWindow(sess('y', win(1, 'working', { active: false }), win(0, 'working')))?.index, 0);
  assert.equal(headlineWindow(sess('z')), undefined);
});

test('"last output" in words', () => {
  assert.deepEqual([0, 1.5, 2, 59, 60, 3599, 3600, 86_400 * 3, -5].map(ago),
    ['just now', 'just now', '2 s ago', '59 s ago', '1 min ago', '59 min ago', '1 h ago', '3 d ago', 'just now']);
});

test('a typed command splits into argv at whitespace; blank means none', () => {
  assert.deepEqual(splitCommand('  python3   -m http.server\t8000 '), ['python3', '-m', 'http.server', '8000']);
  assert.equal(splitCommand('   '), undefined);
  assert.deepEqual(splitCommand('echo $(rm -rf x)'), ['echo', '$(rm', '-rf', 'x)'], 'no shell: text stays text');
});

test('title count: waiting, bell and agent states count; working and exited do not', () => {
  const list = [
    sess('a', win(0, 'working'), win(1, 'waiting'), win(2, 'exited', { agent: 'done' })),
    sess('b', win(0, 'bell'), win(1, 'working', { agent: 'needs-permission' }), win(2, 'working', { agent: 'idle' })),
  ];
  assert.equal(attentionCount(list), 4);
  assert.equal(countedTitle('Roost', 4), '(4) Roost');
  assert.equal(countedTitle('Roost', attentionCount([sess('c', win(0, 'working'))])), 'Roost');
});

test('a shell at its prompt is shown quietly: never counted, ranked with working, below it as the headline', () => {
  assert.deepEqual(statusLabel(win(0, 'shell')), { text: 'shell', symbol: '', tone: 'quiet' });
  assert.equal(attentionCount([sess('a', win(0, 'shell'), win(1, 'shell'))]), 0);
  assert.equal(headlineWindow(sess('x', win(0, 'shell'), win(1, 'working')))?.index, 1);
  assert.deepEqual(sortSessions([sess('b-busy', win(0, 'working')), sess('a-shell', win(0, 'shell')), sess('c-wait', win(0, 'waiting'))]).map((s) => s.name), ['c-wait', 'a-shell', 'b-busy']);
  assert.equal(attentionCount([sess('a', win(0, 'shell', { agent: 'idle' }))]), 1, 'an agent state still counts');
});

test('agent badges: idle and done beside the status, none without a hook report or once exited', () => {
  assert.equal(agentLabel(win(0, 'working', { agent: 'idle' }))?.text, 'agent idle');
  assert.equal(agentLabel(win(0, 'waiting', { agent: 'done' }))?.text, 'agent done');
  assert.equal(agentLabel(win(0, 'working'))?.text, undefined);
  assert.equal(agentLabel(win(0, 'exited', { agent: 'idle' })), null);
  const idle = sess('idle', win(0, 'working', { agent: 'idle' }));
  assert.deepEqual(sortSessions([sess('busy', win(0, 'working')), idle]).map((s) => s.name), ['idle', 'busy']);
});
