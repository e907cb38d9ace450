import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restoreNotifyEvent } from './notify-events.js';
import type { RestoreOutcome } from './execute.js';

const outcome = (o: Partial<RestoreOutcome>): RestoreOutcome => ({
  generation: 7, restored: [], failed: [], skipped: [], resumed: 0, relaunched: 0, typed: 0, notes: [], ...o,
});
const session = (name: string) => ({ name, savedName: name, id: '$1', windows: 1, panes: 1 });

test('sessions brought back are told, with what came back', () => {
  const e = restoreNotifyEvent(outcome({ restored: [session('work')], resumed: 1 }), Date.UTC(2026, 0, 2, 3, 4), 5)!;
  assert.equal(e.title, 'Restored 1 session after a restart');
  assert.equal(e.body, 'work, from the snapshot of 2026-01-02 03:04 UTC. 1 agent conversation resumed.');
  assert.equal(e.kind, 'restored');
});

test('a failure is told as one, with the count', () => {
  const e = restoreNotifyEvent(outcome({ restored: [session('work')], failed: [{ name: 'logs', error: 'x' }] }), 0, 5)!;
  assert.equal(e.title, 'Restored 1 of 2 sessions');
  assert.equal(e.kind, 'restore-failed');
});

test('nothing made and nothing failed (another restore made them all meanwhile): nothing to tell', () => {
  assert.equal(restoreNotifyEvent(outcome({ skipped: [{ name: 'work', why: 'already running' }] }), 0, 5), null);
});

test('a saved session left out because its name already ran is told, with what to do; alone it is still told', () => {
  const kept = ['main was already running; its saved windows: roost kill main, then roost restore --from 7 main'];
  const e = restoreNotifyEvent(outcome({ restored: [session('work')] }), Date.UTC(2026, 0, 2, 3, 4), 5, kept)!;
  assert.equal(e.body, `work, from the snapshot of 2026-01-02 03:04 UTC. ${kept[0]}.`);
  const only = restoreNotifyEvent(outcome({}), Date.UTC(2026, 0, 2, 3, 4), 5, kept)!;
  assert.equal(only.title, 'Nothing restored after a restart');
  assert.equal(only.body, `From the snapshot of 2026-01-02 03:04 UTC. ${kept[0]}.`);
});
