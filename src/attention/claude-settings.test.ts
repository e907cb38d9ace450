import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hookCommand, isRoostCommand, shellQuote, withRoost, withoutRoost, roostEntries, CLAUDE_HOOK_EVENTS } from './claude-settings.js';

const user = {
  model: 'opus',
  hooks: {
    Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '/usr/local/bin/check' }] }],
  },
  permissions: { allow: ['Bash(ls)'] },
};

test('shell quoting survives spaces and quotes in the install path', () => {
  assert.equal(shellQuote('/opt/roost/bin/roost'), '/opt/roost/bin/roost');
  assert.equal(shellQuote("/home/o'brien/my roost/bin/roost"), `'/home/o'\\''brien/my roost/bin/roost'`);
  assert.equal(hookCommand('/a b/bin/roost'), `'/a b/bin/roost' hook claude`);
});

test('our commands are recognised, the user\'s are not', () => {
  for (const c of ['/opt/roost/bin/roost hook claude', `'/a b/bin/roost' hook claude`, 'roost hook claude', 'roost  hook claude --x']) assert.equal(isRoostCommand(c), true, c);
  for (const c of ['notify-send roost', 'myroost hook claude', 'roost hooks install claude', 'echo roost hook claudette', 42]) assert.equal(isRoostCommand(c), false, String(c));
});

test('install adds one entry per event after the user\'s; twice is the same as once; removal gives back the user\'s settings', () => {
  const cmd = '/opt/roost/bin/roost hook claude';
  const once = withRoost(user, cmd);
  const twice = withRoost(once, cmd);
  assert.deepEqual(twice, once);
  assert.deepEqual(roostEntries(once).map((e) => e.event).sort(), CLAUDE_HOOK_EVENTS.map((e) => e.event).sort());
  const hooks = once['hooks'] as Record<string, { matcher?: string; hooks: { command: string }[] }[]>;
  assert.equal(hooks['Stop']![0]!.hooks[0]!.command, 'notify-send done', 'the user\'s Stop hook stays first');
  assert.equal(hooks['Notification']![0]!.matcher, 'permission_prompt|idle_prompt');
  assert.deepEqual(hooks['PreToolUse'], user.hooks.PreToolUse);
  const removed = withoutRoost(once);
  assert.equal(removed.removed, 4);
  assert.deepEqual(removed.next, user);
});

test('a new install path replaces the old entry instead of adding a second', () => {
  const a = withRoost({}, '/old/bin/roost hook claude');
  const b = withRoost(a, '/new/bin/roost hook claude');
  assert.deepEqual(roostEntries(b).map((e) => e.command), Array(4).fill('/new/bin/roost hook claude'));
  assert.deepEqual(withoutRoost(b).next, {});
});

test('our hook inside a user\'s group is removed, their hook beside it stays', () => {
  const mixed = { hooks: { Stop: [{ hooks: [{ type: 'command', command: 'say hi' }, { type: 'command', command: 'roost hook claude' }] }] } };
  assert.deepEqual(withoutRoost(mixed).next, { hooks: { Stop: [{ hooks: [{ type: 'command', command: 'say hi' }] }] } });
});
