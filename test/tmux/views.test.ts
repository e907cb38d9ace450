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
  claimSpareView, findViewTarget, listSessions, newSession, newWindow, openView, killSession, prepareSpareView, setOption, SPARE_OPTION,
  TmuxError, VIEW_NAME_OPTION, VIEW_OPTION,
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
  assert.deepEqual(await findViewTarget(t.client, 'main-2'), { sessionId: id, windowId: '@0', statusLeft: '[#S] ' });
  await openView(t.client, { sessionId: id, windowId: '', statusLeft: '' }, 'roost-view-a1', 'main-2', null);
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

test('openView: no window asked shows the session\'s current window, as tmux attach would (new-session -t alone picks the first)', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'work', windowName: 'one' });
  await newWindow(t.client, { session: 'work', name: 'two', detached: true });
  await newWindow(t.client, { session: 'work', name: 'three', detached: true });
  await t.run('select-window', '-t', '=work:1');
  const v = await openView(t.client, (await findViewTarget(t.client, 'work'))!, 'roost-view-e5', 'work', null);
  assert.equal(v.window.index, 1);
});

test('spare views: made hidden and marked, claimed by a rename (the same session, no new one), labelled and placed; the mark goes', async () => {
  const t = privateTmux();
  const id = await newSession(t.client, { name: 'work', windowName: 'one' });
  await newWindow(t.client, { session: id, name: 'two', detached: true });
  await setOption(t.client, 'global', null, 'status-left', '[#S] ');
  await prepareSpareView(t.client, id, 'roost-spare-s1');
  const spareId = (await t.run('display-message', '-p', '-t', '=roost-spare-s1:', `#{session_id} #{${VIEW_OPTION}} #{${SPARE_OPTION}}`)).trim();
  assert.match(spareId, new RegExp(`^\\$\\d+ \\${id} 1$`), 'grouped with the session, marked as a view and as spare');
  assert.deepEqual((await listSessions(t.client)).map((s) => s.name), ['work'], 'lists hide it');

  const v = await claimSpareView(t.client, (await findViewTarget(t.client, 'work'))!, 'roost-spare-s1', 'roost-view-s1', 'work', '1');
  assert.ok(v);
  assert.equal(v.viewId, spareId.split(' ')[0], 'the spare itself, renamed: no session was created');
  assert.equal(v.window.index, 1);
  const view = (await sessionsOf(t)).find((r) => r[0] === 'roost-view-s1')!;
  assert.deepEqual(view.slice(1, 5), [id, 'work', '1', '[work] ']);
  assert.equal((await t.run('show-options', '-qv', '-t', '=roost-view-s1:', SPARE_OPTION)).trim(), '', 'no longer spare');
  assert.equal((await sessionsOf(t)).length, 2, 'the session and its view, nothing else');
});

test('spare views: a spare that is gone is null (the caller opens a view itself); a session gone is no-session, and its spare is killed', async () => {
  const t = privateTmux();
  const id = await newSession(t.client, { name: 'work' });
  await newSession(t.client, { name: 'other' });
  const target = (await findViewTarget(t.client, 'work'))!;
  assert.equal(await claimSpareView(t.client, target, 'roost-spare-none', 'roost-view-x1', 'work', null), null);
  assert.deepEqual((await sessionsOf(t)).map((r) => r[0]).sort(), ['other', 'work'], 'nothing made');

  await prepareSpareView(t.client, id, 'roost-spare-s2');
  // Killed behind the daemon's back: the spare, a member of its group, still holds its window.
  await killSession(t.client, id);
  await assert.rejects(claimSpareView(t.client, target, 'roost-spare-s2', 'roost-view-x2', 'work', null), (e) => e instanceof TmuxError && e.kind === 'no-session');
  assert.deepEqual((await sessionsOf(t)).map((r) => r[0]), ['other'], 'the spare is gone, and the session\'s windows with it');
});
