/**
 * A window whose program was killed by a signal has no exit status in tmux
 * (pane_dead_status stays empty). A daemon started after it died must take
 * it as exited at once, as a baseline: not wait for a status as if it had
 * just died, and then push "exited" a second time as a new episode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { sink, type Sink } from '../notify/sink.js';
import { newSession, newWindow } from '../../src/tmux/index.js';
import { notifyService } from '../../src/notify/daemon-service.js';
import { webhookChannel } from '../../src/notify/create.js';

async function withSink(s: TestServer): Promise<Sink> {
  const hook = await sink();
  s.daemon.get(notifyService).notifier.channels.add(await webhookChannel({ url: hook.url, allowPrivate: true }));
  return hook;
}

const exits = (hook: Sink, name: string) =>
  hook.received.map((r) => JSON.parse(r.body.toString()) as { state: string; window: { name: string } }).filter((b) => b.state === 'exited' && b.window.name === name);

test('a window killed by a signal before the daemon started is not pushed again as exited; one killed after is', async () => {
  const a = await startServer({ feedIntervalMs: 200 });
  await newSession(a.tmux.client, { name: 'main', command: ['sleep', '600'] });
  await a.tmux.run('set-option', '-g', 'remain-on-exit', 'on');
  const hookA = await withSink(a);
  await newWindow(a.tmux.client, { session: 'main', name: 'sig', command: ['tmux wait-for go; kill -9 $$'], detached: true });
  await new Promise((ok) => setTimeout(ok, 1000)); // a listing sees it alive
  await a.tmux.run('wait-for', '-S', 'go');
  await waitFor(() => exits(hookA, 'sig').length === 1, 20_000, 'the first daemon pushes the exit');
  await a.close();

  const b = await startServer({ tmux: a.tmux, feedIntervalMs: 200 });
  const hookB = await withSink(b);
  // Past the wait for an exit status (2 s), with listings every 200 ms.
  await new Promise((ok) => setTimeout(ok, 4000));
  assert.deepEqual(exits(hookB, 'sig'), [], 'died before this daemon started: no news');

  // A window that dies under this daemon is still news.
  await newWindow(b.tmux.client, { session: 'main', name: 'later', command: ['tmux wait-for go2; kill -9 $$'], detached: true });
  await new Promise((ok) => setTimeout(ok, 1000));
  await b.tmux.run('wait-for', '-S', 'go2');
  await waitFor(() => exits(hookB, 'later').length === 1, 20_000, 'a new death is pushed');
  assert.deepEqual(exits(hookB, 'sig'), []);
});
