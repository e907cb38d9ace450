/**
 * The kept control-mode connection (src/tmux/control.ts) on a real private
 * tmux server: commands go over it (tmux sees a control client run them),
 * replies pair with requests, hostile values arrive literally, notifications
 * come, and it survives its session ending and the server dying.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateTmux, waitFor, RM_TREE } from '../helpers/tmux.js';
import { THEN, TmuxError, listPaneRows, listSessions, newSession, type TmuxArg, type TmuxClient } from '../../src/tmux/index.js';
import { runsOverControl } from '../../src/tmux/control.js';

/** A client of the test's server with a control connection, closed afterwards. */
async function controlled(client: TmuxClient, t: { after: (fn: () => void) => void }): Promise<TmuxClient> {
  const c = client.withControl();
  t.after(() => c.control!.close());
  await c.control!.connect(true);
  return c;
}

test('commands go over the connection and come back as a process would print them', async (t) => {
  const tmux = privateTmux();
  await newSession(tmux.client, { name: 'work' });
  const c = await controlled(tmux.client, t);
  assert.equal(c.control!.up, true);
  // A reply (not null) is an answer read from the connection; null would mean "run it as a process".
  assert.deepEqual(await c.control!.run(['display-message', '-p', '-t', '=work:', '#{session_name}']), { ok: true, stdout: 'work\n' });
  assert.equal(await c.run(['display-message', '-p', '-t', '=work:', '#{session_name}']), 'work\n');
  // Not for the connection (pane content): a process of its own.
  assert.equal(runsOverControl(['capture-pane', '-p', '-t', '=work:']), false);
  assert.equal(runsOverControl(['switch-client', '-t', '=work']), false);
  assert.equal(runsOverControl(['list-windows']), false);
});

test('many commands at once each get their own reply; a failing list ends with its error and the next is answered', async (t) => {
  const tmux = privateTmux();
  await newSession(tmux.client, { name: 'work' });
  const c = await controlled(tmux.client, t);
  const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => c.run(['display-message', '-p', '-t', '=work:', `n${i}`, THEN, 'display-message', '-p', '-t', '=work:', `m${i}`])));
  assert.deepEqual(replies, Array.from({ length: 40 }, (_, i) => `n${i}\nm${i}\n`));
  const failing = c.run(['display-message', '-p', '-t', '=work:', 'a', THEN, 'has-session', '-t', '=nope', THEN, 'display-message', '-p', '-t', '=work:', 'b']);
  const next = c.run(['display-message', '-p', '-t', '=work:', 'after']);
  await assert.rejects(failing, (e: unknown) => e instanceof TmuxError && e.kind === 'no-session');
  assert.equal(await next, 'after\n');
});

test('hostile values reach tmux literally: quotes, $, ~, #{}, ;, braces, backslashes, newlines', async (t) => {
  const tmux = privateTmux();
  await newSession(tmux.client, { name: 'work' });
  const c = await controlled(tmux.client, t);
  const names = [
    `it's "quoted"`, '$HOME and ${HOME}', '~root', '#{pane_id} #(touch /tmp/roost-pwned) ##', 'a ; kill-server ;', 'ends with;', '{ kill-server }',
    'back\\slash \\; \\n', 'tab\there', 'line\nbreak', '%begin 1 2 1', 'é ü 日本', "'", '', ' lead and trail ',
  ];
  for (const name of names) {
    await c.run(['set-option', '-t', '=work:', '@hostile', name]);
    // Read back by a process of its own, so a quoting fault on the connection cannot hide itself.
    assert.equal(await tmux.run('show-options', '-v', '-t', '=work:', '@hostile'), `${name}\n`, JSON.stringify(name));
    assert.equal(await c.run(['show-options', '-v', '-t', '=work:', '@hostile']), `${name}\n`, JSON.stringify(name));
  }
  // A format-expanded argument (rename-window's new name) is literal too (literal.ts's # doubling applies here as well):
  // the same as from a process of its own (tmux shows a window name's $ as \$ either way).
  const hostile = "#{session_name};$HOME 'x' #(touch /tmp/roost-pwned)";
  await tmux.run('rename-window', '-t', '=work:', hostile);
  const byProcess = await tmux.run('display-message', '-p', '-t', '=work:', '#{window_name}');
  await tmux.run('rename-window', '-t', '=work:', 'reset');
  await c.run(['rename-window', '-t', '=work:', hostile]);
  assert.equal(await tmux.run('display-message', '-p', '-t', '=work:', '#{window_name}'), byProcess);
  assert.match(byProcess, /^#\{session_name\};/);
  assert.equal((await tmux.run('list-sessions', '-F', '#{session_name}')).trim(), 'work', 'nothing was killed or made');
});

test('new-session over the connection starts in the daemon\'s folder, as a process of its own would', async (t) => {
  const tmux = privateTmux();
  await newSession(tmux.client, { name: 'work', cwd: '/' });
  const c = await controlled(tmux.client, t);
  await c.run(['new-session', '-d', '-s', 'other']);
  assert.equal((await tmux.run('display-message', '-p', '-t', '=other:', '#{session_path}')).trim(), process.cwd());
});

test('notifications arrive as tmux sends them', async (t) => {
  const tmux = privateTmux();
  await newSession(tmux.client, { name: 'work' });
  const c = await controlled(tmux.client, t);
  const seen: string[] = [];
  c.control!.onNotification((l) => seen.push(l));
  await tmux.run('new-session', '-d', '-s', 'second');
  await tmux.run('new-window', '-d', '-t', '=work:');
  await waitFor(() => seen.some((l) => l.startsWith('%sessions-changed')) && seen.some((l) => l.startsWith('%window-add ')), 5000, 'notifications');
});

test('the listing does not count the connection as a device; it never sits on a view', async (t) => {
  const tmux = privateTmux();
  await newSession(tmux.client, { name: 'aview' });
  await tmux.run('set-option', '-t', '=aview:', '@roost_view', '$9');
  const id = await newSession(tmux.client, { name: 'work' });
  const c = await controlled(tmux.client, t);
  assert.equal(c.control!.sessionId, id);
  assert.equal((await tmux.run('display-message', '-p', '-t', '=work:', '#{session_attached}')).trim(), '1');
  const [s] = await listSessions(c);
  assert.equal(s?.name, 'work');
  assert.equal(s.attached, 0);
});

test('its session ending or the server dying hands commands to processes; it comes back with a server', async (t) => {
  const tmux = privateTmux();
  await newSession(tmux.client, { name: 'one' });
  await newSession(tmux.client, { name: 'two' });
  const c = await controlled(tmux.client, t);
  const states: boolean[] = [];
  c.control!.onState((up) => states.push(up));
  const first = c.control!.sessionId!;
  const name = (await tmux.run('display-message', '-p', '-t', first, '#{session_name}')).trim();
  // Kill the session it sits on, over the connection itself.
  await c.run(['kill-session', '-t', first]);
  await waitFor(() => !c.control!.up, 5000, 'the connection to end with its session');
  assert.deepEqual(await c.run(['list-sessions', '-F', '#{session_name}']), `${name === 'one' ? 'two' : 'one'}\n`);
  await c.control!.connect(true);
  assert.equal(c.control!.up, true);
  assert.notEqual(c.control!.sessionId, first);

  const oldPid = c.control!.pid;
  await tmux.run('kill-server');
  await waitFor(() => !c.control!.up, 5000, 'the connection to end with the server');
  await assert.rejects(c.run(['list-sessions']), (e: unknown) => e instanceof TmuxError && e.kind === 'no-server');
  await newSession(tmux.client, { name: 'again' });
  await c.control!.connect(true);
  assert.equal(c.control!.up, true);
  assert.notEqual(c.control!.pid, oldPid);
  assert.deepEqual(await c.control!.run(['display-message', '-p', '-t', '=again:', '#{session_name}']), { ok: true, stdout: 'again\n' });
  assert.deepEqual(states, [false, true, false, true]);
});

test('the listing goes over the connection; a folder named with a newline (or with the mark it is printed as) still comes back exact', async (t) => {
  const tmux = privateTmux();
  const base = mkdtempSync(join(tmpdir(), 'roost-listing-'));
  t.after(() => rmSync(base, RM_TREE));
  const plain = join(base, 'plain');
  mkdirSync(plain);
  await newSession(tmux.client, { name: 'plain', cwd: plain });
  const c = await controlled(tmux.client, t);
  // Counts the commands that run as processes of their own (each still runs for real).
  const processes: TmuxArg[][] = [];
  const runProcess = c.runProcess.bind(c);
  c.runProcess = (args) => {
    processes.push([...args]);
    return runProcess(args);
  };
  const rows = await listPaneRows(c);
  assert.deepEqual(rows.map((r) => [r.sessionName, r.paneCwd, r.paneStartPath]), [['plain', plain, plain]]);
  assert.deepEqual(processes, [], 'no process: the listing went over the connection');

  // A newline could end the reply early over the connection; the mark alone cannot be told from one.
  const newline = join(base, 'a\n%end 1 2 0\nb');
  const marked = join(base, 'c\x1dd');
  for (const dir of [newline, marked]) mkdirSync(dir);
  await newSession(tmux.client, { name: 'newline', cwd: newline });
  await newSession(tmux.client, { name: 'marked', cwd: marked });
  const again = await listPaneRows(c);
  assert.deepEqual(again.map((r) => [r.sessionName, r.paneStartPath]).sort(), [['marked', marked], ['newline', newline], ['plain', plain]]);
  assert.deepEqual(processes.map((a) => a[0]), ['list-panes'], 'read again, raw, as a process');
  assert.deepEqual((await listSessions(c)).map((s) => s.windows[0]!.panes[0]!.cwd), [marked, newline, plain]);
});
