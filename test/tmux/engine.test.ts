import { test, after } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { hasSession, newSession, setSessionKind, KIND_OPTION, newWindow, killSession, renameSession, listSessions, openView, capturePane, sendText, sendKeys, TmuxError } from '../../src/tmux/index.js';

test('an absent server lists as empty, not an error', async () => {
  const t = privateTmux();
  assert.deepEqual(await listSessions(t.client), []);
  assert.equal(await hasSession(t.client, 'main'), false);
});

test('sessions, windows and panes come back from one listing', async () => {
  const t = privateTmux();
  const id = await newSession(t.client, { name: 'work', windowName: 'claude', cwd: '/tmp', width: 100, height: 30 });
  assert.match(id, /^\$\d+$/);
  await newWindow(t.client, { session: 'work', name: 'logs', command: ['sleep', '60'] });
  await waitForCommand(t, '=work:1', 'sleep');
  const [s] = await listSessions(t.client);
  assert.ok(s);
  assert.equal(s.name, 'work');
  assert.equal(s.id, id);
  assert.equal(s.attached, 0);
  assert.deepEqual(s.windows.map((w) => w.name), ['claude', 'logs']);
  const logs = s.windows[1]!;
  assert.equal(logs.command, 'sleep');
  assert.equal(logs.status, 'working');
  assert.equal(s.windows[0]!.panes[0]!.cwd, '/tmp');
  assert.ok(logs.panes[0]!.pid > 0);
});

test('exact targets: a prefix does not match another session', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'mainframe' });
  assert.equal(await hasSession(t.client, 'main'), false);
  await assert.rejects(killSession(t.client, 'main'), (e: unknown) => e instanceof TmuxError && e.kind === 'no-session');
  assert.equal(await hasSession(t.client, 'mainframe'), true);
});

test('duplicate and rename', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'a' });
  await assert.rejects(newSession(t.client, { name: 'a' }), (e: unknown) => e instanceof TmuxError && e.kind === 'duplicate');
  await renameSession(t.client, 'a', 'b');
  assert.deepEqual((await listSessions(t.client)).map((s) => s.name), ['b']);
});

test('a dead pane is exited with its status', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'job' });
  await t.run('set-option', '-g', 'remain-on-exit', 'on');
  // tmux 3.3a now and then never records a dead pane's status (pane_dead_status
  // stays empty): try a few windows until tmux has one, then check we read it.
  for (let attempt = 1; ; attempt++) {
    const id = await newWindow(t.client, { session: 'job', name: `fail${attempt}`, command: ['sh', '-c', 'exit 3'] });
    const w = await waitFor(async () => (await listSessions(t.client))[0]?.windows.find((x) => x.id === id && x.status === 'exited'), 5000, 'exited window');
    await new Promise((r) => setTimeout(r, 300));
    const raw = (await t.run('display-message', '-p', '-t', id, '#{pane_dead_status}')).trim();
    if (raw === '' && attempt < 5) continue;
    const again = (await listSessions(t.client))[0]!.windows.find((x) => x.id === id)!;
    assert.equal(again.panes[0]!.exitStatus, 3, `tmux says ${JSON.stringify(raw)}; first listing ${JSON.stringify(w.panes[0])}`);
    break;
  }
});

test('silence makes a window waiting; the clock is the caller\'s', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 's', command: ['sleep', '600'] });
  const now = Math.floor(Date.now() / 1000);
  const [a] = await listSessions(t.client, { now });
  assert.equal(a!.windows[0]!.status, 'working');
  const [b] = await listSessions(t.client, { now: now + 25 });
  assert.equal(b!.windows[0]!.status, 'waiting');
  const [c] = await listSessions(t.client, { now: now + 25, silenceFor: () => 60 });
  assert.equal(c!.windows[0]!.status, 'working');
});

test('a shell at its prompt is `shell` however long it is silent; what it runs is a program (a script too)', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 's', command: ['bash', '--norc', '--noprofile'], env: { PS1: '$ ' } });
  const later = Math.floor(Date.now() / 1000) + 600;
  const status = async () => (await listSessions(t.client, { now: later }))[0]!.windows[0]!;
  await waitFor(async () => (await status()).status === 'shell', 10_000, 'the shell at its prompt');
  assert.equal((await status()).panes[0]!.atPrompt, true);
  await sendText(t.client, '=s:', 'cat');
  await sendKeys(t.client, '=s:', 'Enter');
  await waitFor(async () => (await status()).status === 'waiting', 10_000, 'cat waits: a program');
  await sendKeys(t.client, '=s:', 'C-c');
  await waitFor(async () => (await status()).status === 'shell', 10_000, 'back at the prompt');
  // A script run by bash: its interpreter is a shell, but not one at its prompt.
  await sendText(t.client, '=s:', "bash -c 'read x'");
  await sendKeys(t.client, '=s:', 'Enter');
  await waitFor(async () => (await status()).status === 'waiting', 10_000, 'a script reading input waits');
  await sendKeys(t.client, '=s:', 'Enter');
  await waitFor(async () => (await status()).status === 'shell', 10_000, 'back at the prompt again');
  // A loop typed at the prompt runs in the shell itself, which keeps the terminal: working, not at its prompt.
  await sendText(t.client, '=s:', 'while :; do :; done');
  await sendKeys(t.client, '=s:', 'Enter');
  await waitFor(async () => (await status()).status === 'waiting', 10_000, 'a silent loop in the shell: a program, silent');
  for (let i = 0; i < 5; i++) assert.equal((await status()).panes[0]!.atPrompt, false, 'never at its prompt while it loops');
  await sendKeys(t.client, '=s:', 'C-c');
  await waitFor(async () => (await status()).status === 'shell', 10_000, 'back at the prompt after the loop');
});

test('view sessions are hidden and counted on the session they view', async () => {
  const t = privateTmux();
  const id = await newSession(t.client, { name: 'main' });
  await openView(t.client, { sessionId: id, windowId: '', statusLeft: '' }, 'roost-view-1', 'main', null);
  const list = await listSessions(t.client);
  assert.deepEqual(list.map((s) => s.name), ['main']);
});

test('send literal text and capture it', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'cap', command: ['sh'] });
  await sendText(t.client, '=cap:', 'echo $((6*7)) -x Enter');
  await sendKeys(t.client, '=cap:', 'Enter');
  await waitFor(async () => (await capturePane(t.client, '=cap:')).includes('42 -x Enter'), 5000, 'echo output');
});

test('a session\'s activity is its last output (tmux\'s session_activity moves only with clients)', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'quiet' });
  await newWindow(t.client, { session: 'quiet', command: ['sh', '-c', 'while :; do echo x; sleep 0.4; done'], detached: true });
  const first = (await listSessions(t.client))[0]!.activity;
  const later = await waitFor(async () => {
    const s = (await listSessions(t.client))[0]!;
    return s.activity >= first + 2 ? s : null;
  }, 10_000, 'the session\'s activity to follow the output');
  assert.equal(later.activity, Math.max(...later.windows.map((w) => w.activity)));
  const own = Number((await t.run('display-message', '-p', '-t', '=quiet:', '#{session_activity}')).trim());
  assert.ok(own < later.activity, 'tmux\'s own session_activity stayed behind');
});

test('a client attaching (the daemon\'s own tmux -C) does not move a quiet session\'s last output', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'still', command: ['sh', '-c', 'echo once; exec sleep 600'] });
  const before = await waitFor(async () => {
    const s = (await listSessions(t.client))[0]!;
    return s.windows[0]!.panes[0]!.command === 'sleep' ? s : null;
  }, 10_000, 'the window to print and go quiet');
  await sleep(2100); // tmux keeps activity in whole seconds
  const daemonSide = t.client.withControl();
  after(() => daemonSide.control!.close());
  await daemonSide.control!.connect(true);
  assert.equal(daemonSide.control!.up, true, 'the control client attached');
  const own = Number((await t.run('display-message', '-p', '-t', '=still:', '#{session_activity}')).trim());
  assert.ok(own >= before.activity + 2, 'tmux\'s session_activity moved with the attach');
  const s = (await listSessions(t.client))[0]!;
  assert.equal(s.activity, before.activity, 'the last output stays where the window left it');
  assert.equal(s.activity, s.windows[0]!.activity);
});

test('a session carries its kind: set at creation in the same command, changed later, unknown values read as plain', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'plain' });
  await newSession(t.client, { name: 'train', kind: 'job', command: ['sleep', '60'] });
  const kinds = async () => Object.fromEntries((await listSessions(t.client)).map((s) => [s.name, s.kind]));
  assert.deepEqual(await kinds(), { plain: 'plain', train: 'job' });
  assert.equal((await t.run('show-options', '-v', '-t', '=train:', KIND_OPTION)).trim(), 'job', 'stored in tmux');
  await setSessionKind(t.client, 'plain', 'node');
  await setSessionKind(t.client, 'train', 'plain');
  assert.deepEqual(await kinds(), { plain: 'node', train: 'plain' });
  await t.run('set-option', '-t', '=plain:', KIND_OPTION, 'from-a-newer-roost');
  assert.deepEqual(await kinds(), { plain: 'plain', train: 'plain' });
});
