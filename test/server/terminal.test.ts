import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, TermClient } from '../helpers/server.js';
import { PROTOCOL_VERSION } from '../../src/shared/protocol.js';
import { spawnTerm } from '../helpers/cli.js';
import { privateTmux, testEnv, waitFor } from '../helpers/tmux.js';
import { findViewTarget, newSession, newWindow, openView } from '../../src/tmux/index.js';

test('a terminal echoes typed input, and two clients see each other', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const a = await s.terminal('main', { cookie });
  const { size, ...hello } = await a.hello();
  assert.deepEqual(hello, { type: 'hello', v: 1, readOnly: false, session: 'main', window: '0' });
  assert.equal(size?.sizer, true, 'alone on the window, this device sizes it');
  const b = await s.terminal('main', { cookie, cols: 100, rows: 30 });
  await b.hello();
  a.type('echo $((6*7))x\r');
  await a.see('42x');
  await b.see('42x');
  b.type('echo from-$((2+3))-b\r');
  await a.see('from-5-b');
  assert.equal((await s.views()).length, 2, 'one view session per connection');
});

test('each connection has its own current window; SELECT moves only its own', async () => {
  const s = await startServer();
  const id = await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  await newWindow(s.tmux.client, { session: id, command: ['sh'], detached: true });
  const cookie = await s.login();
  const a = await s.terminal('main', { cookie });
  const b = await s.terminal('main', { cookie, window: '1', cols: 81 });
  assert.equal((await a.hello()).window, '0');
  assert.equal((await b.hello()).window, '1');
  const sa = s.daemon.terminals.stats().find((x) => x.cols === 80 && x.state === 'running')!;
  a.send({ type: 'select', window: '1' });
  await waitFor(async () => (await s.tmuxSessions()).find((x) => x.id === sa.viewId)?.window === '1', 15_000, 'A on window 1');
  b.send({ type: 'select', window: '0' });
  await waitFor(async () => (await s.views()).map((v) => v.window).sort().join() === '0,1', 15_000, 'B on window 0');
  const views = await s.views();
  assert.equal(views.find((v) => v.id === sa.viewId)?.window, '1', 'B\'s SELECT did not move A');
  const [w0, w1] = (await s.tmux.run('list-windows', '-t', id, '-F', '#{window_id}')).trim().split('\n');
  await waitFor(() => s.daemon.terminals.isShowing(id, w0!) && s.daemon.terminals.isShowing(id, w1!), 15_000, 'both windows shown');
  assert.equal((await s.tmuxSessions()).find((x) => x.name === 'main')?.window, '0', 'the session itself did not move');
  a.send({ type: 'select', window: '@999' });
  assert.equal((await a.frame('error')).code, 'no-window');
  assert.equal(a.closed, null, 'a bad SELECT is not fatal');
});

test('the view is made while the HELLO is on its way; a socket that never sends one leaves none', async () => {
  const s = await startServer({ terminals: { spareDelayMs: 60_000 } });
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const open = async (session: string) => {
    let t!: TermClient;
    await s.ws(`/api/terminal?session=${session}`, { cookie }, (ws) => (t = new TermClient(ws, true)));
    return t;
  };
  const a = await open('main');
  await waitFor(async () => (await s.views()).length === 1, 15_000, 'a view before HELLO');
  assert.equal(s.daemon.terminals.stats()[0]?.state, 'awaiting-hello');
  const [made] = await s.views();
  a.send({ type: 'hello', v: PROTOCOL_VERSION, cols: 80, rows: 24 });
  await a.hello();
  a.type('echo $((6*7))x\r');
  await a.see('42x');
  assert.deepEqual((await s.views()).map((v) => v.id), [made!.id], 'HELLO used the view made before it');
  // Closed before its HELLO: the view made for it goes.
  const b = await open('main');
  await waitFor(async () => (await s.views()).length === 2, 15_000, 'b\'s view');
  b.ws.close();
  await waitFor(async () => (await s.views()).length === 1, 15_000, 'b\'s view gone');
  // A missing session is still said after HELLO, not before.
  const c = await open('nope');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(c.closed, null, 'nothing said before HELLO');
  c.send({ type: 'hello', v: PROTOCOL_VERSION, cols: 80, rows: 24 });
  assert.equal((await c.frame('error')).code, 'no-session');
});

test('closing a client removes its view session', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const a = await s.terminal('main', { cookie });
  await a.hello();
  assert.equal((await s.views()).length, 1);
  a.ws.close();
  await waitFor(async () => (await s.views()).length === 0, 15_000, 'view session gone');
  await waitFor(() => s.daemon.terminals.size === 0, 15_000, 'bridge gone');
  // A spare view made for the next terminal (spare-views.ts) may stay; no device's view does.
  assert.deepEqual((await s.tmuxSessions()).filter((x) => !x.spare).map((x) => x.name), ['main']);
});

test('two sizes: a small client on another window does not shrink the desktop\'s window', async () => {
  const s = await startServer();
  const id = await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  await newWindow(s.tmux.client, { session: id, command: ['sh'], detached: true });
  const cookie = await s.login();
  const desk = await s.terminal('main', { cookie, cols: 150, rows: 40, window: '0' });
  await desk.hello();
  const size = async (w: string) => (await s.tmux.run('display-message', '-p', '-t', `${id}:${w}`, '#{window_width}x#{window_height}')).trim();
  await waitFor(async () => (await size('0')) === '150x39', 15_000, 'desktop size');
  const phone = await s.terminal('main', { cookie, cols: 40, rows: 20, window: '1' });
  await phone.hello();
  await waitFor(async () => (await size('1')) === '40x19', 15_000, 'phone size on its window');
  phone.type('echo typing\r');
  await phone.see('typing');
  assert.equal(await size('0'), '150x39', 'the desktop window keeps its size');
  // Both on window 0: the device that typed there last (its page sends FIT first) sizes it; the desktop takes it back the same way.
  phone.send({ type: 'select', window: '0' });
  const phoneView = s.daemon.terminals.stats().find((x) => x.cols === 40)!.viewId;
  await waitFor(async () => (await s.tmuxSessions()).find((x) => x.id === phoneView)?.window === '0', 15_000, 'phone on window 0');
  assert.equal(await size('0'), '150x39', 'showing the window changed nothing');
  phone.send({ type: 'fit' });
  phone.send({ type: 'resize', cols: 40, rows: 20 });
  phone.type('echo phone-here\r');
  await waitFor(async () => (await size('0')) === '40x19', 15_000, 'phone size after it typed on window 0');
  desk.send({ type: 'fit' });
  desk.type('echo desk-here\r');
  await waitFor(async () => (await size('0')) === '150x39', 15_000, 'desktop size back after typing');
});

test('RESIZE resizes; the session ending sends EXIT and closes', async () => {
  const s = await startServer();
  const id = await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const a = await s.terminal('main', { cookie });
  await a.hello();
  a.send({ type: 'resize', cols: 120, rows: 33 });
  await waitFor(async () => (await s.tmux.run('display-message', '-p', '-t', `${id}:0`, '#{window_width}x#{window_height}')).trim() === '120x32', 15_000, 'resized');
  a.type('exit\r');
  const exit = await a.frame('exit');
  assert.match(exit.reason, /ended/);
  assert.equal((await a.waitClosed()).code, 1000);
});

test('a session killed through the API or behind the daemon\'s back ends its terminals', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'one', command: ['sh'] });
  await newSession(s.tmux.client, { name: 'two', command: ['sh'] });
  const cookie = await s.login();
  const a = await s.terminal('one', { cookie });
  const b = await s.terminal('two', { cookie });
  await a.hello();
  await b.hello();
  assert.equal((await s.request('DELETE', '/api/sessions/one', { cookie })).status, 204);
  assert.match((await a.frame('exit')).reason, /killed/);
  // Plain tmux kill-session: the view would keep the windows alive; the daemon notices and ends it.
  await s.tmux.run('kill-session', '-t', '=two');
  assert.match((await b.frame('exit')).reason, /ended/);
  await waitFor(async () => (await s.views()).length === 0, 15_000, 'views gone');
});

test('unknown session and bad names: an ERROR frame and a close, nothing started', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const a = await s.terminal('nope', { cookie });
  assert.equal((await a.frame('error')).code, 'no-session');
  assert.equal((await a.waitClosed()).code, 4404);
  const b = await s.terminal('#(touch /tmp/roost-x)', { cookie });
  assert.equal((await b.frame('error')).code, 'bad-name');
  assert.equal((await b.waitClosed()).code, 4400);
  const c = await s.terminal('main', { cookie, window: '0;kill-server' });
  assert.equal((await c.frame('error')).code, 'bad-window');
  assert.equal((await s.views()).length, 0);
});

test('a missing window falls back to the current one with a non-fatal ERROR', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const a = await s.terminal('main', { cookie, window: '7' });
  assert.equal((await a.frame('error')).code, 'no-window');
  assert.equal((await a.hello()).window, '0');
  a.type('echo still-$((1+1))\r');
  await a.see('still-2');
});

test('a large paste arrives whole through 64 KiB INPUT frames', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh', '-c', 'stty -echo; cat > "$HOME/paste.txt"'] });
  const cookie = await s.login();
  const a = await s.terminal('main', { cookie });
  await a.hello();
  const line = 'x'.repeat(99) + '\n';
  const total = 1024 * 1024;
  const text = line.repeat(total / line.length);
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += 64 * 1024) a.send({ type: 'input', data: bytes.subarray(i, i + 64 * 1024) });
  const { statSync } = await import('node:fs');
  const file = `${s.dir}/paste.txt`;
  await waitFor(() => {
    try {
      return statSync(file).size >= bytes.length;
    } catch {
      return false;
    }
  }, 30_000, 'paste written');
  assert.equal(statSync(file).size, bytes.length);
});

test('the tmux server killed: terminals end, the daemon says so and keeps serving', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const cookie = await s.login();
  const a = await s.terminal('main', { cookie });
  await a.hello();
  await s.tmux.kill();
  await a.frame('exit');
  assert.deepEqual((await s.request('GET', '/api/sessions', { cookie })).json, [], 'no server: no sessions, not an error');
  const b = await s.terminal('main', { cookie });
  assert.equal((await b.frame('error')).code, 'no-session');
  assert.equal((await s.request('POST', '/api/sessions', { cookie, body: { name: 'again', command: ['sh'] } })).status, 201);
  const c = await s.terminal('again', { cookie });
  await c.hello();
  c.type('echo back-$((5*5))\r');
  await c.see('back-25');
});

test('TITLE: session, window and the pane\'s own title reach the client, and follow changes', async () => {
  const s = await startServer();
  const id = await newSession(s.tmux.client, { name: 'main', windowName: 'agent', command: ['sh'] });
  await newWindow(s.tmux.client, { session: id, name: 'logs', command: ['sh'], detached: true });
  const cookie = await s.login();
  const t = await s.terminal('main', { cookie });
  await t.hello();
  const titles = () => t.frames.filter((f) => f.type === 'title').map((f) => (f as { title: string }).title);
  await waitFor(() => titles().includes('main:0 agent'), 15_000, 'the first TITLE');
  // A program sets its pane's title (OSC 2), as agents do.
  t.type(`printf '\\033]2;%s\\033\\\\' 'fixing the tests'\r`);
  await waitFor(() => titles().includes('main:0 agent \u2014 fixing the tests'), 15_000, 'the pane title in TITLE');
  t.send({ type: 'select', window: '1' });
  await waitFor(() => titles().at(-1) === 'main:1 logs', 15_000, 'TITLE follows the window');
  const n = titles().length;
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(titles().length, n, 'nothing changed: no TITLE repeated');
});

test('a rename reaches every page on the session, owner and read-only, once, in VIEW\'s session', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'] });
  const owner = await s.terminal('main', { cookie: await s.login() });
  await owner.hello();
  const ro = s.daemon.auth.createApiToken({ role: 'read-only' });
  const reader = await s.terminal('main', { bearer: ro.token, origin: null });
  assert.equal((await reader.hello()).readOnly, true);
  const names = (t: TermClient) => t.frames.flatMap((f) => (f.type === 'view' && f.session !== undefined ? [f.session] : []));
  // Polled views with no rename say no name.
  await waitFor(() => owner.frames.some((f) => f.type === 'title') && reader.frames.some((f) => f.type === 'title'), 15_000, 'a poll');
  assert.deepEqual([names(owner), names(reader)], [[], []]);
  await s.tmux.run('rename-session', '-t', '=main', 'work');
  await waitFor(() => names(owner).length > 0 && names(reader).length > 0, 15_000, 'VIEW with the new name');
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual([names(owner), names(reader)], [['work'], ['work']], 'once each');
  assert.equal(owner.closed, null);
  assert.equal(reader.closed, null);
});

test('a starting daemon removes the views nobody is attached to (a daemon killed before attaching leaves one), and only those', async () => {
  const tmux = privateTmux();
  await newSession(tmux.client, { name: 'main', command: ['sh'] });
  const target = (await findViewTarget(tmux.client, 'main'))!;
  await openView(tmux.client, target, 'roost-view-orphan', 'main', null);
  await openView(tmux.client, target, 'roost-view-held', 'main', null);
  // Someone attached to a view (by hand, with tmux attach): not the sweep's to end.
  spawnTerm('tmux', ['-L', tmux.socket, '-f', '/dev/null', 'attach-session', '-t', '=roost-view-held'], { env: testEnv() });
  await waitFor(async () => (await tmux.run('list-clients', '-F', '#{client_session}')).includes('roost-view-held'), 20_000, 'a client on the held view');
  const s = await startServer({ tmux });
  assert.deepEqual((await s.tmuxSessions()).map((x) => x.name).sort(), ['main', 'roost-view-held']);
});
