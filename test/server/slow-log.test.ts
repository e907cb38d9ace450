/**
 * A program that logs a line now and then (a training run, a slow build)
 * falls silent past the threshold between lines: each silence is a new
 * `waiting` episode. Its phone hears of the first only, until a person has
 * looked at the window (an owner's focused page; a read-only viewer is no
 * look); the dashboard still sees every one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { sink } from '../notify/sink.js';
import { newSession } from '../../src/tmux/index.js';
import { webhookChannel } from '../../src/notify/create.js';
import { notifyService } from '../../src/notify/daemon-service.js';
import { attentionService } from '../../src/attention/daemon-service.js';
import type { StateEvent } from '../../src/attention/types.js';

test('a program that logs every few seconds is pushed as waiting once; after an owner looked at it, once more', async () => {
  const s = await startServer();
  const file = s.daemon.paths.configFile;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '[sessions.log]\nsilence = 2\n');
  const { notifier } = s.daemon.get(notifyService);
  const hook = await sink();
  const channel = notifier.channels.add(await webhookChannel({ url: hook.url, allowPrivate: true, sessions: ['log'] }));
  const waiting: StateEvent[] = [];
  s.daemon.get(attentionService).attention.observer.onEvent((e) => void (e.type === 'state' && e.session === 'log' && e.state === 'waiting' && waiting.push(e)));
  // The daemon's control client attaches to the first session by name: not the one watched.
  await newSession(s.tmux.client, { name: 'aaa', command: ['sleep', '600'] });
  await newSession(s.tmux.client, { name: 'log', command: ['while :; do echo line; sleep 4; done'] });
  /** Pushes so far, once the channel has nothing left to send: each waiting was pushed (or not) as the observer emitted it. */
  const pushes = async () => {
    await waitFor(() => notifier.dispatcher.status(channel.id).pending === 0, 20_000, 'deliveries done');
    return hook.received.map((r) => JSON.parse(r.body.toString()).state as string);
  };
  const silences = async (n: number, what: string) => {
    const until = waiting.length + n;
    await waitFor(() => waiting.length >= until, 60_000, `${what}: ${n} more silences`);
  };

  await silences(4, 'logging alone');
  assert.deepEqual(await pushes(), ['waiting'], 'the first silence only');
  assert.ok(waiting.every((e) => e.lookedAt === null));

  // A read-only viewer focused on it is no look.
  const ro = s.daemon.auth.createApiToken({ name: 'viewer', role: 'read-only' });
  const viewer = await s.terminal('log', { cookie: await s.login({ token: ro.token }), window: '0' });
  assert.equal((await viewer.hello()).readOnly, true);
  viewer.send({ type: 'focus', focused: true });
  await silences(2, 'a viewer on it');
  assert.deepEqual(await pushes(), ['waiting']);
  assert.ok(waiting.every((e) => e.lookedAt === null));
  viewer.ws.close();

  // The owner looks (the silence meanwhile is held back as watched), then leaves: the next silence is pushed.
  const owner = await s.terminal('log', { cookie: await s.login(), window: '0' });
  await owner.hello();
  owner.send({ type: 'focus', focused: true });
  await waitFor(() => waiting.at(-1)!.lookedAt !== null, 60_000, 'a silence while the owner looks');
  owner.ws.close();
  const sessionId = waiting[0]!.sessionId;
  const windowId = waiting[0]!.windowId;
  await waitFor(() => !s.daemon.terminals.isLookedAt(sessionId, windowId), 20_000, 'the owner gone');
  await waitFor(async () => (await pushes()).length === 2, 60_000, 'the first silence after the look pushed');
  await silences(2, 'logging alone again');
  assert.deepEqual(await pushes(), ['waiting', 'waiting'], 'then held back again');
});
