/**
 * TmuxChanges (src/sessions/changes.ts) on a real private tmux server: once
 * a listing has read the server and nothing happens, no listing needs to
 * ask tmux again; output in a pane, a bell, a new window, a program ending,
 * a renamed session and the server dying each make the next one ask.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux, waitFor, waitForCommand, type TestTmux } from '../helpers/tmux.js';
import { newSession, snapshotServer, type TmuxClient } from '../../src/tmux/index.js';
import { TmuxChanges } from '../../src/sessions/changes.js';

/** List (as the daemon's feed does) until a listing is followed by quiet: nothing asks for another. */
async function settle(c: TmuxClient, changes: TmuxChanges): Promise<void> {
  await waitFor(async () => {
    const at = Date.now();
    if (!changes.mustAsk(at)) return true;
    const answered = changes.asking(at);
    await snapshotServer(c);
    answered();
    // Give tmux's once-a-second check a chance to report what the listing itself may have changed.
    await new Promise((r) => setTimeout(r, 1500));
    return !changes.mustAsk(Date.now());
  }, 20_000, 'a quiet listing');
}

async function setup(t: { after: (fn: () => void) => void }): Promise<{ tmux: TestTmux; c: TmuxClient; changes: TmuxChanges }> {
  const tmux = privateTmux();
  await newSession(tmux.client, { name: 'work', command: ['cat'] });
  await waitForCommand(tmux, '=work:', 'cat');
  const c = tmux.client.withControl();
  // A long safety interval: only tmux's word makes a listing ask.
  const changes = new TmuxChanges(c.control!, 10 * 60_000);
  t.after(() => {
    changes.close();
    c.control!.close();
  });
  await c.control!.connect(true);
  assert.equal(c.control!.up, true);
  await settle(c, changes);
  return { tmux, c, changes };
}

const asks = (changes: TmuxChanges) => waitFor(() => changes.mustAsk(Date.now()), 5000, 'a listing to be needed');

test('quiet: no listing asks tmux; output in a pane makes the next one ask', async (t) => {
  const { tmux, c, changes } = await setup(t);
  assert.equal(changes.mustAsk(Date.now()), false);
  // window_activity moves with whole seconds: wait past the second of the last output.
  await new Promise((r) => setTimeout(r, 1100));
  await tmux.run('send-keys', '-t', '=work:', '-l', 'hello');
  await asks(changes);
  await settle(c, changes);
});

test('a bell (the counter Roost\'s hook bumps), a new window and a rename each make the next listing ask', async (t) => {
  const { tmux, c, changes } = await setup(t);
  await tmux.run('set-option', '-w', '-t', '=work:', '@roost_bells', '7');
  await asks(changes);
  await settle(c, changes);
  await tmux.run('new-window', '-d', '-t', '=work:', 'sleep', '600');
  await asks(changes);
  await settle(c, changes);
  await tmux.run('rename-session', '-t', '=work', 'renamed');
  await asks(changes);
});

test('a program ending and the server dying make the next listing ask; no connection means every listing asks', async (t) => {
  const { tmux, c, changes } = await setup(t);
  await tmux.run('set-option', '-t', '=work:', 'remain-on-exit', 'on');
  await settle(c, changes);
  await tmux.run('send-keys', '-t', '=work:', 'C-d');
  await asks(changes);
  await settle(c, changes);
  await tmux.run('kill-server');
  await waitFor(() => !c.control!.up, 5000, 'the connection to end');
  assert.equal(changes.mustAsk(Date.now()), true);
  changes.asking(Date.now())();
  assert.equal(changes.mustAsk(Date.now()), true);
});
