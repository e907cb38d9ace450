/**
 * Per-device views on a real private tmux server: openView creates, marks,
 * labels and places a view in one call, falls back to the current window
 * when asked for one that does not exist, and leaves nothing behind when the
 * session is gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux } from '../helpers/tmux.js';
import {
  findViewTarget, listSessions, newSession, newWindow, openView, killSession, setOption, TmuxError, VIEW_NAME_OPTION, VIEW_OPTION,
} from '../../src/tmux/index.js';

const sessionsOf = async (t: ReturnType<typeof privateTmux>) =>
  (await t.run('list-sessions', '-F', `#{session_name}\x1f#{${VIEW_OPTION}}\x1f#{${VIEW_NAME_OPTION}}\x1f#{window_index}\x1f#{E:status-left}`))
    .trim().split('\n').map((l) => l.split('\x1f'));

test('findViewTarget: the exact session, not a view or a prefix, with the global status-left', async () => {
  const t = privateTmux();
  assert.equal(await findViewTarget(t.client, 'main'), null, 'no server: null');
  const id = await newSession(t.client, { name: 'main-2' });
  await setOption(t.client, 'global', null, 'status-left', '[#S] ');
  assert.equal(await findViewTarget(t.client, 'main'), null, 'a prefix is not a match');
  assert.deepEqual(await findViewTarget(t.client, 'main-2'), { sessionId: id, statusLeft: '[#S] ' });
  await openView(t.client, { sessionId: id, statusLeft: '' }, 'roost-view-a1', 'main-2', null);
  assert.equal(await findViewTarget(t.client, 'roost-view-a1'), null, 'a view is never a target');
});

test('openView: one view, marked and hidden, labelled with the session viewed, on the asked window', async () => {
  const t = privateTmux();
  const id = await newSession(t.client, { name: 'work', windowName: 'one' });
  await newWindow(t.client, { session: id, name: 'two', detached: true });
  await setOption(t.client, 'global', null, 'status-left', '[#S] ');
  const target = (await findViewTarget(t.client, 'work'))!;
  const v = await openView(t.client, target, 'roost-view-b2', 'work', '1');
  assert.match(v.viewId, /^\$\d+$/);
  assert.equal(v.window.index, 1);
  assert.equal(v.missingWindow, false);
  const rows = await sessionsOf(t);
  const view = rows.find((r) => r[0] === 'roost-view-b2')!;
  assert.deepEqual(view.slice(1, 4), [id, 'work', '1'], 'marked with the base id, labelled, on window 1');
  assert.equal(view[4], '[work] ', 'its status line names the session it views');
  assert.deepEqual((await listSessions(t.client)).map((s) => s.name), ['work'], 'lists hide it');
  const base = rows.find((r) => r[0] === 'work')!;
  assert.equal(base[3], '0', 'the session itself stays on its window');
});

test('openView: a window that does not exist shows the current one and says so', async () => {
  const t = privateTmux();
  const id = await newSession(t.client, { name: 'work' });
  const v = await openView(t.client, (await findViewTarget(t.client, 'work'))!, 'roost-view-c3', 'work', '7');
  assert.equal(v.missingWindow, true);
  assert.equal(v.window.index, 0);
  assert.ok((await sessionsOf(t)).some((r) => r[0] === 'roost-view-c3' && r[1] === id));
});

test('openView: a session gone meanwhile is a no-session TmuxError, and no view or new group appears', async () => {
  const t = privateTmux();
  const id = await newSession(t.client, { name: 'work' });
  await newSession(t.client, { name: 'other' });
  const target = (await findViewTarget(t.client, 'work'))!;
  await killSession(t.client, id);
  await assert.rejects(openView(t.client, target, 'roost-view-d4', 'work', '1'), (e) => e instanceof TmuxError && e.kind === 'no-session');
  assert.deepEqual((await sessionsOf(t)).map((r) => r[0]), ['other']);
});
