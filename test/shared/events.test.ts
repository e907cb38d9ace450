import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionInfo } from '../../src/shared/api.js';
import { decodeEventsServer, encodeEventsServer, EVENTS_SERVER_TYPES, type EventsServerMsg } from '../../src/shared/events.js';
import { ProtocolError } from '../../src/shared/protocol.js';

const session: SessionInfo = {
  id: '$1', name: 'main', kind: 'plain', created: 1767225000, attached: 2, activity: 1767225600,
  windows: [
    {
      id: '@4', index: 1, name: 'claude', active: true, command: 'claude', status: 'waiting', agent: 'needs-permission',
      activity: 1767225600, bell: false, bells: 3,
      panes: [{ id: '%7', index: 0, active: true, pid: 4242, cwd: '/home/me', command: 'claude', dead: false, exitStatus: null }],
    },
    {
      id: '@5', index: 2, name: 'build', active: false, command: 'make', status: 'exited',
      activity: 1767225500, bell: true,
      panes: [{ id: '%8', index: 0, active: true, pid: 4243, cwd: '/src', command: 'make', dead: true, exitStatus: 2 }],
    },
  ],
};

const ref = { session: 'main', sessionId: '$1', windowId: '@4', index: 1, name: 'claude' };

test('every server message type round-trips', () => {
  const msgs: EventsServerMsg[] = [
    { type: 'sessions', sessions: [session] },
    { type: 'sessions', sessions: [] },
    {
      type: 'attention',
      event: { type: 'state', ...ref, state: 'needs-permission', previous: 'working', at: 1767225600000, episode: 3, baseline: false, agent: 'claude', command: 'claude' },
    },
    {
      type: 'attention',
      event: { type: 'state', ...ref, state: 'exited', previous: null, at: 1767225600000, episode: 1, baseline: true, exitStatus: null, command: 'sh' },
    },
    {
      type: 'attention',
      event: { type: 'state', ...ref, state: 'waiting', previous: 'working', at: 1767225600000, episode: 4, baseline: false, lookedAt: 1767225500000, command: 'python' },
    },
    { type: 'attention', event: { type: 'closed', ...ref, at: 1767225601000 } },
    { type: 'tmux', running: false, at: 1767225602000 },
    { type: 'tmux', running: true, at: 1767225603000 },
  ];
  const seen = new Set<string>();
  for (const m of msgs) {
    const text = encodeEventsServer(m);
    seen.add(JSON.parse(text).type);
    assert.deepEqual(decodeEventsServer(text), m);
  }
  assert.deepEqual([...seen].sort(), [...EVENTS_SERVER_TYPES].sort());
});

test('the listing goes out as the text the feed has always sent', () => {
  assert.equal(encodeEventsServer({ type: 'sessions', sessions: [session] }), `{"type":"sessions","sessions":${JSON.stringify([session])}}`);
});

test('a type this side does not know is null, to be ignored', () => {
  assert.equal(decodeEventsServer('{"type":"jobs","jobs":[]}'), null);
  assert.equal(decodeEventsServer('{"type":"__proto__"}'), null);
});

test('malformed messages are ProtocolErrors that say where', () => {
  const listing = (change: (s: Record<string, unknown>) => void) => {
    const s = structuredClone(session) as unknown as Record<string, unknown>;
    change(s);
    return JSON.stringify({ type: 'sessions', sessions: [s] });
  };
  const windows = (s: Record<string, unknown>) => s['windows'] as Record<string, unknown>[];
  const cases: [string, RegExp][] = [
    ['not json', /not valid JSON/],
    ['null', /JSON object with a string type/],
    ['[1]', /JSON object with a string type/],
    ['{"sessions":[]}', /JSON object with a string type/],
    ['{"type":"sessions","sessions":{}}', /^message\.sessions must be a list$/],
    [listing((s) => delete s['name']), /^message\.sessions\[0\]\.name must be a string$/],
    [listing((s) => (windows(s)[0]!['status'] = 'asleep')), /^message\.sessions\[0\]\.windows\[0\]\.status must be one of "working", /],
    [listing((s) => (windows(s)[1]!['agent'] = 'busy')), /^message\.sessions\[0\]\.windows\[1\]\.agent must be one of /],
    [listing((s) => (windows(s)[0]!['bells'] = '3')), /\.windows\[0\]\.bells must be (an integer|a number)$/],
    [listing((s) => ((windows(s)[1]!['panes'] as Record<string, unknown>[])[0]!['exitStatus'] = 'x')), /\.panes\[0\]\.exitStatus must be (an integer|a number)$/],
    ['{"type":"attention","event":{"type":"moved"}}', /^message\.event\.type must be one of "state", "closed"$/],
    [JSON.stringify({ type: 'attention', event: { type: 'closed', ...ref } }), /^message\.event\.at must be a number$/],
    [JSON.stringify({ type: 'attention', event: { type: 'state', ...ref, state: 'gone', previous: null, at: 1, episode: 1, baseline: false, command: 'sh' } }), /^message\.event\.state must be one of /],
    [JSON.stringify({ type: 'attention', event: { type: 'state', ...ref, state: 'idle', previous: null, at: 1, episode: 1, baseline: false, agent: 'other', command: 'sh' } }), /^message\.event\.agent must be one of "claude"$/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => decodeEventsServer(text), (e: unknown) => e instanceof ProtocolError && message.test(e.message), text);
  }
});

test('fields the checks do not name pass through (a newer daemon may add some)', () => {
  const text = JSON.stringify({ type: 'sessions', sessions: [{ ...session, kind: 'job' }], at: 5 });
  assert.deepEqual(decodeEventsServer(text), JSON.parse(text));
});

test("a node session's allocation round-trips; a malformed one is refused where it is wrong", () => {
  const node: SessionInfo = {
    ...session, id: '$2', name: 'gpu', kind: 'node',
    node: { jobId: '4242', state: 'RUNNING', reason: null, nodes: 'gpu07', timeLeft: 11_520, timeLimit: 28_800, endAt: 1767237120000, startAt: 1767196800000, submittedAt: 1767196790000, host: 'login1', polledAt: 1767225600000 },
  };
  const m: EventsServerMsg = { type: 'sessions', sessions: [node, { ...session, node: null }] };
  assert.deepEqual(decodeEventsServer(encodeEventsServer(m)), m);
  const bad = structuredClone(node) as unknown as { node: Record<string, unknown> };
  bad.node['timeLeft'] = '3h';
  assert.throws(() => decodeEventsServer(JSON.stringify({ type: 'sessions', sessions: [bad] })), (e: unknown) => e instanceof ProtocolError && /message\.sessions\[0\]\.node\.timeLeft must be a number/.test(e.message));
});
