import { test } from 'node:test';
import assert from 'node:assert/strict';
import { step, agentHolds, AGENT_GRACE_SECONDS, type Observation, type WindowMemory, type AgentMark } from './episodes.js';

const T = 1_000_000;
const obs = (o: Partial<Observation> = {}): Observation => ({ activity: T, bellFlag: false, bells: 0, dead: false, ...o });

/** Run a sequence of [now, observation, agent?] and collect the states and episodes. */
function run(seq: [number, Observation, AgentMark?][], silence = 3): { states: string[]; episodes: number[]; mem: WindowMemory } {
  let mem: WindowMemory | undefined;
  const states: string[] = [];
  const episodes: number[] = [];
  for (const [now, o, a] of seq) {
    const r = step(mem, o, now, silence, a ?? null);
    mem = r.memory;
    states.push(r.memory.state);
    episodes.push(r.memory.episode);
  }
  return { states, episodes, mem: mem! };
}

test('a bell stays marked through silence and output until a device shows the window; then waiting is the same episode', () => {
  const r = run([
    [T, obs()],
    [T + 1, obs({ activity: T + 1, bells: 1, bellFlag: true })],
    [T + 4, obs({ activity: T + 1, bells: 1, bellFlag: true })],
    [T + 9, obs({ activity: T + 5, bells: 1, bellFlag: true })],
    [T + 10, obs({ activity: T + 5, bells: 1, bellFlag: true, seen: true })],
    [T + 11, obs({ activity: T + 5, bells: 1, bellFlag: true })],
  ]);
  assert.deepEqual(r.states, ['working', 'bell', 'bell', 'bell', 'waiting', 'waiting']);
  assert.deepEqual(r.episodes, [0, 1, 1, 1, 1, 1]);
});

test('tmux\'s own bell flag falling (a tmux client showed the window) clears the bell too', () => {
  const r = run([
    [T, obs({ bells: null })],
    [T + 1, obs({ activity: T + 1, bells: null, bellFlag: true })],
    [T + 2, obs({ activity: T + 2, bells: null, bellFlag: true })],
    [T + 3, obs({ activity: T + 3, bells: null, bellFlag: false })],
  ]);
  assert.deepEqual(r.states, ['working', 'bell', 'bell', 'working']);
});

test('a bell rung just after the hook went in, seen first by the listing that also first shows the counters, is a bell and an episode', () => {
  const r = run([
    [T, obs({ bells: null })],
    [T + 1, obs({ activity: T + 1, bells: 1, bellFlag: true })],
    [T + 2, obs({ activity: T + 1, bells: 1, bellFlag: true })],
  ]);
  assert.deepEqual(r.states, ['working', 'bell', 'bell']);
  assert.deepEqual(r.episodes, [0, 1, 1]);
  // Counters that appear with nothing unseen: no bell; one the flag already showed stays one episode.
  assert.deepEqual(run([[T, obs({ bells: null })], [T + 1, obs({ bells: 2 })]]).states, ['working', 'working']);
  const known = run([[T, obs({ bells: null, bellFlag: true })], [T + 1, obs({ bells: 1, bellFlag: true })]]);
  assert.deepEqual([known.states, known.episodes], [['bell', 'bell'], [1, 1]]);
});

test('a second bell is a new episode; output while a bell waits is not', () => {
  const r = run([
    [T, obs()],
    [T + 1, obs({ activity: T + 1, bells: 1 })],
    [T + 2, obs({ activity: T + 2, bells: 1 })],
    [T + 3, obs({ activity: T + 3, bells: 2 })],
  ]);
  assert.deepEqual(r.states, ['working', 'bell', 'bell', 'bell']);
  assert.deepEqual(r.episodes, [0, 1, 1, 2]);
});

test('a shell at its prompt is quiet: never waiting, never an episode; a program it starts that goes quiet is waiting', () => {
  const r = run([
    [T, obs({ shell: true })],
    [T + 60, obs({ shell: true })],
    [T + 61, obs({ activity: T + 61 })],
    [T + 70, obs({ activity: T + 61 })],
    [T + 71, obs({ activity: T + 71, shell: true })],
  ]);
  assert.deepEqual(r.states, ['shell', 'shell', 'working', 'waiting', 'shell']);
  assert.deepEqual(r.episodes, [0, 0, 0, 1, 1]);
});

test('a bell at a shell prompt still shows until seen', () => {
  const r = run([[T, obs({ shell: true })], [T + 1, obs({ activity: T + 1, shell: true, bells: 1 })], [T + 2, obs({ activity: T + 1, shell: true, bells: 1, seen: true })]]);
  assert.deepEqual(r.states, ['shell', 'bell', 'shell']);
});

test('a bell counted by the hook is seen even when the flag never rose (current window of an attached session)', () => {
  const r = run([[T, obs({ bells: 4 })], [T + 1, obs({ activity: T + 1, bells: 5 })]]);
  assert.deepEqual(r.states, ['working', 'bell']);
});

test('waiting re-arms after output: a second episode', () => {
  const r = run([
    [T, obs()],
    [T + 3, obs()],
    [T + 10, obs()],
    [T + 11, obs({ activity: T + 11 })],
    [T + 14, obs({ activity: T + 11 })],
  ]);
  assert.deepEqual(r.states, ['working', 'waiting', 'waiting', 'working', 'waiting']);
  assert.deepEqual(r.episodes, [0, 1, 1, 1, 2]);
});

test('output between two ticks that both see waiting still re-arms', () => {
  const r = run([[T + 3, obs()], [T + 30, obs({ activity: T + 20 })]]);
  assert.deepEqual(r.states, ['waiting', 'waiting']);
  assert.deepEqual(r.episodes, [1, 2]);
});

test('exited wins over everything and starts its own episode', () => {
  const r = run([[T + 5, obs()], [T + 6, obs({ dead: true })], [T + 7, obs({ dead: true })]]);
  assert.deepEqual(r.states, ['waiting', 'exited', 'exited']);
  assert.deepEqual(r.episodes, [1, 2, 2]);
});

test('an agent state holds through its own drawing and clears after later output', () => {
  const mark: AgentMark = { agent: 'claude', state: 'needs-permission', at: T + 1, seq: 1 };
  const seq: [number, Observation][] = [
    [T, obs()],
    [T + 1, obs({ activity: T + 1 })],
    [T + 2, obs({ activity: T + 1 + AGENT_GRACE_SECONDS })],
    [T + 30, obs({ activity: T + 1 + AGENT_GRACE_SECONDS })],
    [T + 31, obs({ activity: T + 31 })],
  ];
  let mem: WindowMemory | undefined;
  const states: string[] = [];
  const episodes: number[] = [];
  for (const [i, [now, o]] of seq.entries()) {
    const a = i >= 1 && agentHolds(mark, o) ? mark : null;
    const r = step(mem, o, now, 3, a);
    mem = r.memory;
    states.push(mem.state);
    episodes.push(mem.episode);
  }
  assert.deepEqual(states, ['working', 'needs-permission', 'needs-permission', 'needs-permission', 'working']);
  assert.deepEqual(episodes, [0, 1, 1, 1, 1]);
});

test('done then idle with no output between is one episode; a new permission prompt is a new one', () => {
  const done: AgentMark = { agent: 'claude', state: 'done', at: T, seq: 1 };
  const idle: AgentMark = { agent: 'claude', state: 'idle', at: T + 60, seq: 2 };
  const perm1: AgentMark = { agent: 'claude', state: 'needs-permission', at: T + 61, seq: 3 };
  const perm2: AgentMark = { agent: 'claude', state: 'needs-permission', at: T + 62, seq: 4 };
  const r = run([[T, obs(), done], [T + 60, obs(), idle], [T + 61, obs(), perm1], [T + 62, obs(), perm2]]);
  assert.deepEqual(r.states, ['done', 'idle', 'needs-permission', 'needs-permission']);
  assert.deepEqual(r.episodes, [1, 1, 2, 3]);
});

test('agentHolds: dead or output after the grace period ends the report', () => {
  const m: AgentMark = { agent: 'claude', state: 'done', at: T, seq: 1 };
  assert.equal(agentHolds(m, obs({ activity: T + AGENT_GRACE_SECONDS })), true);
  assert.equal(agentHolds(m, obs({ activity: T + AGENT_GRACE_SECONDS + 1 })), false);
  assert.equal(agentHolds(m, obs({ dead: true })), false);
});

test('first sight of a waiting window is an episode of its own', () => {
  const r = step(undefined, obs(), T + 100, 3, null);
  assert.equal(r.memory.state, 'waiting');
  assert.equal(r.memory.episode, 1);
  assert.equal(r.changed, true);
});

test('with the counters, a bell rung where a terminal shows the window is seen at once: no bell state, nothing to push', () => {
  const r = run([
    [T, obs({ bells: 2 })],
    [T + 1, obs({ activity: T + 1, bells: 3, bellFlag: true, inTerminal: true })],
    [T + 2, obs({ activity: T + 1, bells: 3, bellFlag: true })],
  ]);
  assert.deepEqual(r.states, ['working', 'working', 'working']);
});

test('with the counters, a bell unseen at first sight (a daemon just started) is a bell until someone looks; tmux\'s flag plays no part', () => {
  const r = run([
    [T, obs({ bells: 3, bellFlag: true })],
    [T + 1, obs({ bells: 3, bellFlag: true })],
    [T + 2, obs({ bells: 3, bellFlag: true, seen: true })],
    [T + 3, obs({ activity: T + 3, bells: 3, bellFlag: true })],
  ]);
  assert.deepEqual(r.states, ['bell', 'bell', 'working', 'working']);
});

test('a bell seen before the silence threshold, then silence: the waiting that follows is the same episode (one push); output after it starts a new one', () => {
  const r = run([
    [T, obs()],
    [T + 1, obs({ activity: T + 1, bells: 1 })],
    [T + 2, obs({ activity: T + 1, bells: 1, seen: true })],
    [T + 5, obs({ activity: T + 1, bells: 1 })],
    [T + 6, obs({ activity: T + 6, bells: 1 })],
    [T + 10, obs({ activity: T + 6, bells: 1 })],
  ]);
  assert.deepEqual(r.states, ['working', 'bell', 'working', 'waiting', 'working', 'waiting']);
  assert.deepEqual(r.episodes, [0, 1, 1, 1, 1, 2]);
});
