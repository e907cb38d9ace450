import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notificationFor } from './message.js';
import type { StateEvent } from '../attention/types.js';

const e = (o: Partial<StateEvent>): StateEvent => ({
  type: 'state', session: 'main', sessionId: '$1', windowId: '@2', index: 1, name: 'claude', state: 'waiting', previous: 'working', at: 5, episode: 1, baseline: false, command: 'claude', ...o,
});

test('titles name session, window and state', () => {
  assert.equal(notificationFor(e({ state: 'needs-permission', agent: 'claude' })).title, 'main:1 claude — needs permission');
  assert.equal(notificationFor(e({ state: 'exited', exitStatus: 2, name: 'build' })).title, 'main:1 build — exited');
  assert.equal(notificationFor(e({ state: 'exited', exitStatus: 2 })).body, 'The program ended with status 2.');
  assert.equal(notificationFor(e({ state: 'needs-permission' })).urgent, true);
  assert.equal(notificationFor(e({ state: 'done' })).urgent, false);
});

test('window names are one clean line; the url opens the window', () => {
  const n = notificationFor(e({ name: 'evil\u001b]0;x\u0007\nname', session: 'work', index: 12 }));
  assert.ok(!/[\u0000-\u001f]/.test(n.title), JSON.stringify(n.title));
  assert.equal(n.url, '/s/work/12');
  assert.equal(n.tag, 'roost:$1:@2');
  assert.ok(notificationFor(e({ name: 'x'.repeat(200) })).window.length <= 48);
});
