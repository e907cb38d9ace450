/**
 * Spare views (src/server/terminal/spare-views.ts) through the real daemon
 * and a real private tmux server: the next terminal on a session claims the
 * view made ahead instead of creating one; a spare never outlives its
 * session (it would keep the session's programs alive), the daemon, or a
 * daemon killed outright (the next one sweeps it). Each spare's tmux client
 * is attached ahead (warm-client.ts): no device, not for read-only
 * terminals, and retired when its session floods.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/server.js';
import { pidAlive, waitFor } from '../helpers/tmux.js';
import { listClients, listSessions, prepareSpareView } from '../../src/tmux/index.js';
import { presentAt, type GuardFacts } from '../../src/schedule/guards.js';

test('spare views: the next terminal on a session claims the spare made after the last one, and another is made', async () => {
  const s = await startServer({ terminals: { spareDelayMs: 0 } });
  await s.tmux.run('new-session', '-d', '-s', 'work', '-x', '80', '-y', '24');
  const cookie = await s.login();
  const a = await s.terminal('work', { cookie });
  await a.hello();
  await waitFor(async () => (await s.spares()).length === 1, 15_000, 'a spare after the first terminal');
  const [spare] = await s.spares();
  assert.equal(spare!.view, (await s.tmuxSessions()).find((x) => x.name === 'work')!.id, 'grouped with work');
  assert.equal((await s.views()).length, 1, 'the spare is no device\'s view');

  const b = await s.terminal('work', { cookie });
  const hello = await b.hello();
  assert.equal(hello.session, 'work');
  const views = await s.views();
  assert.ok(views.some((v) => v.id === spare!.id), `the second terminal's view is the spare itself (${JSON.stringify(views)})`);
  b.type('echo claimed-$((40+2))\r');
  await b.see('claimed-42');
  await waitFor(async () => (await s.spares()).some((x) => x.id !== spare!.id), 15_000, 'the next spare');
  assert.equal((await s.spares()).length, 1, 'one spare per session');

  a.ws.close();
  b.ws.close();
  await waitFor(async () => (await s.views()).length === 0, 15_000, 'the devices\' views gone with their terminals');
  await s.close();
  assert.deepEqual((await s.tmuxSessions()).map((x) => x.name), ['work'], 'a stopping daemon kills its spare');
});

test('spare views: a session killed behind the daemon\'s back takes its spare, and its programs end', async () => {
  const s = await startServer({ terminals: { spareDelayMs: 0 } });
  await s.tmux.run('new-session', '-d', '-s', 'work', 'sleep 3600');
  await s.tmux.run('new-session', '-d', '-s', 'other');
  const pid = Number((await s.tmux.run('display-message', '-p', '-t', '=work:', '#{pane_pid}')).trim());
  const a = await s.terminal('work', { cookie: await s.login() });
  await a.hello();
  await waitFor(async () => (await s.spares()).length === 1, 15_000, 'a spare');
  a.ws.close();
  await waitFor(async () => (await s.views()).length === 0, 15_000, 'the terminal\'s view gone');

  await s.tmux.run('kill-session', '-t', '=work');
  // The spare is in work's group: while it lives, work's window (and its sleep) live on in it.
  await waitFor(async () => (await s.spares()).length === 0, 15_000, 'the spare killed');
  await waitFor(() => !pidAlive(pid), 15_000, 'the killed session\'s program ended');
  assert.deepEqual((await s.tmuxSessions()).map((x) => x.name), ['other']);
});

test('spare views: a spare a daemon killed outright left behind is swept by the next daemon', async () => {
  const first = await startServer();
  await first.tmux.run('new-session', '-d', '-s', 'work');
  const base = (await first.tmuxSessions())[0]!.id;
  await first.close();
  // What a kill -9 leaves: a spare with no client.
  await prepareSpareView(first.tmux.client, base, 'roost-spare-left');
  assert.equal((await first.spares()).length, 1);
  const second = await startServer({ tmux: first.tmux });
  assert.deepEqual((await second.tmuxSessions()).map((x) => x.name), ['work']);
});

test('warm clients: a spare\'s client attached ahead is no device, a read-only terminal leaves it, and a flood retires it', async () => {
  const s = await startServer({ terminals: { spareDelayMs: 0 } });
  await s.tmux.run('new-session', '-d', '-s', 'work', '-x', '80', '-y', '24');
  await s.tmux.run('new-session', '-d', '-s', 'flood', 'yes roost-flood');
  const cookie = await s.login();
  const warmOn = async (id: string) => (await s.tmux.run('list-clients', '-F', '#{session_id} #{@roost_spare}')).split('\n').includes(`${id} 1`);

  const a = await s.terminal('work', { cookie });
  await a.hello();
  await a.see('[work]');
  await waitFor(async () => (await s.spares()).length === 1 && warmOn((await s.spares())[0]!.id), 15_000, 'a spare with its client');
  const [spare] = await s.spares();
  a.ws.close();
  await waitFor(async () => (await s.views()).length === 0, 15_000, 'the terminal\'s view gone');
  // roost ls, the dashboard and restore count devices: the client attached ahead is none of them.
  const work = (await listSessions(s.tmux.client)).find((x) => x.name === 'work')!;
  assert.equal(work.attached, 0, 'nobody attached to work');
  // Nor is it a person to the scheduler's presence guard.
  const clients = await listClients(s.tmux.client);
  assert.ok(clients.some((c) => c.spare && c.sessionId === spare!.id), 'listClients marks it');
  const sessions = await listSessions(s.tmux.client);
  assert.deepEqual([...presentAt({ sessions, clients, now: Date.now(), presentMs: 30 * 60_000 } as unknown as GuardFacts).keys()], [], 'nobody present');

  // A read-only terminal attaches the usual way: a client that could type is not for it.
  const ro = s.daemon.auth.createApiToken({ role: 'read-only' });
  const viewer = await s.terminal('work', { bearer: ro.token, origin: null });
  assert.equal((await viewer.hello()).readOnly, true);
  await viewer.see('[work]');
  assert.ok((await s.spares()).some((x) => x.id === spare!.id), 'the spare is still there for the next terminal');
  viewer.ws.close();

  // A session that floods: its spare's client reads and drops WARM_DROP_MAX, then goes, with its view.
  const f = await s.terminal('flood', { cookie });
  await f.hello();
  await f.see('roost-flood');
  const floodId = (await s.tmuxSessions()).find((x) => x.name === 'flood')!.id;
  await waitFor(async () => (await s.spares()).some((x) => x.view === floodId), 15_000, 'flood\'s spare');
  f.ws.close();
  await waitFor(async () => !(await s.spares()).some((x) => x.view === floodId), 30_000, 'flood\'s spare retired');
  await waitFor(() => s.daemon.terminals.spares.size === 1, 15_000, 'the daemon forgot it');
  const next = await s.terminal('flood', { cookie });
  await next.hello();
  await next.see('roost-flood');
});
