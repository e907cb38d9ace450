/**
 * A read-only login sees but never changes: its terminal's size never
 * reaches a window, not even while it is the only client attached (tmux
 * honours ignore-size for `attach -r` clients only while some other client
 * is attached), and it sets no window option.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { listSessions, newSession } from '../../src/tmux/index.js';

test('a read-only login alone on a window: its 2x2 HELLO changes neither the size nor the options, then or after it leaves', async () => {
  const s = await startServer();
  await newSession(s.tmux.client, { name: 'main', command: ['sh'], width: 100, height: 30 });
  const size = async () => (await s.tmux.run('display-message', '-p', '-t', 'main:', '#{window_width}x#{window_height} #{pane_width}x#{pane_height}')).trim();
  const windowOptions = async () => (await s.tmux.run('show-options', '-w', '-t', 'main:')).trim();
  assert.equal(await size(), '100x30 100x30');
  const optionsBefore = await windowOptions();

  const ro = s.daemon.auth.createApiToken({ role: 'read-only' });
  const viewer = await s.terminal('main', { bearer: ro.token, origin: null, cols: 2, rows: 2 });
  assert.equal((await viewer.hello()).readOnly, true);
  // tmux has attached the viewer's client and drawn for it: any resize it caused is done by now.
  await waitFor(() => viewer.outputBytes > 0, 10_000, 'the viewer to be drawn');
  // A device that does not size the window shows it whole: its client takes the window's size and the status line, not the 2x2 asked.
  assert.match(await s.tmux.run('list-clients', '-F', '#{client_readonly} #{client_width}x#{client_height}'), /^1 100x31$/m);
  assert.equal(await size(), '100x30 100x30', 'the window keeps its size while the read-only client is the only one');
  assert.equal(await windowOptions(), optionsBefore, 'no window option set (window-size, aggressive-resize)');
  const main = (await listSessions(s.tmux.client)).find((x) => x.name === 'main')!;
  assert.equal(main.attached, 1, 'one device watches (the size anchor is not a device)');

  viewer.ws.close();
  await waitFor(async () => (await s.views()).length === 0, 10_000, 'the view session to go');
  // The daemon's own control connection (src/tmux/control.ts) stays: it is no device and no client of the view;
  // so may the client of a spare view, attached ahead for the next terminal (warm-client.ts), with ignore-size.
  assert.deepEqual((await s.tmux.run('list-clients', '-F', '#{client_control_mode}#{@roost_spare}')).split('\n').filter((l) => l === '0'), [], 'no client left behind');
  assert.equal(await size(), '100x30 100x30', 'and after it left');
  assert.equal(await windowOptions(), optionsBefore);
});
