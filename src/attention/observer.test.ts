import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttentionObserver } from './observer.js';
import type { SessionInfo, WindowInfo } from '../shared/api.js';
import type { StateEvent } from './types.js';

const T = 1_000_000;

/** One session with one window whose program printed last at `activity` (epoch s). */
const listing = (activity: number, o: Partial<WindowInfo> = {}): SessionInfo[] => [{
  id: '$1', name: 'main', kind: 'plain', created: 0, attached: 0, activity,
  windows: [{
    id: '@1', index: 0, name: 'log', active: true, command: 'sh', status: 'working', activity, bell: false, bells: 0,
    panes: [{ id: '%1', index: 0, active: true, pid: 1, cwd: '/', command: 'sh', dead: false, exitStatus: null }], ...o,
  }],
}];

test('a waiting carries when a person last looked at the window: a focused owner\'s page or a terminal on its session', () => {
  let now = T * 1000;
  let looking = false;
  const observer = new AttentionObserver({ silenceFor: () => 2, now: () => now, seen: () => looking });
  const events: StateEvent[] = [];
  observer.onEvent((e) => void (e.type === 'state' && events.push(e)));
  // [second, last output, looking on a page, a terminal shows it]
  const ticks: [number, number, boolean, boolean][] = [
    [T, T, false, false],
    [T + 3, T, false, false], // waiting: nobody has looked
    [T + 4, T + 4, false, false],
    [T + 7, T + 4, false, false], // waiting again, still nobody
    [T + 8, T + 8, true, false], // a focused page shows it while it works
    [T + 9, T + 9, false, false],
    [T + 12, T + 9, false, false], // waiting: looked at T + 8
    [T + 13, T + 13, false, true], // `tmux attach` shows it
    [T + 16, T + 13, false, false],
    [T + 17, T + 17, false, false],
    [T + 20, T + 17, false, false], // nobody since T + 13
  ];
  for (const [at, activity, page, terminal] of ticks) {
    now = at * 1000;
    looking = page;
    observer.update(listing(activity, { inTerminal: terminal }));
  }
  const waiting = events.filter((e) => e.state === 'waiting');
  assert.deepEqual(waiting.map((e) => e.lookedAt), [null, null, (T + 8) * 1000, (T + 13) * 1000, (T + 13) * 1000]);
  assert.ok(events.filter((e) => e.state !== 'waiting').every((e) => !('lookedAt' in e)), 'only waiting carries it');
});

test('an exited window is told with the program it ran, not what tmux names a dead pane by (a job\'s runner)', () => {
  let now = T * 1000;
  const observer = new AttentionObserver({ silenceFor: () => 20, now: () => now, seen: () => false });
  const events: StateEvent[] = [];
  observer.onEvent((e) => void (e.type === 'state' && events.push(e)));
  observer.update(listing(T));
  now = (T + 1) * 1000;
  observer.update(listing(T + 1, {
    command: 'node',
    panes: [{ id: '%1', index: 0, active: true, pid: 1, cwd: '/', command: 'node', dead: true, exitStatus: 3 }],
  }));
  const exited = events.find((e) => e.state === 'exited');
  assert.ok(exited, JSON.stringify(events));
  assert.equal(exited.exitStatus, 3);
  assert.equal(exited.command, 'sh');
});
