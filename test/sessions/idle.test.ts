/**
 * An idle daemon does no listing work: with a session on its tmux server
 * and nothing happening, the sessions feed lists nothing (tmux tells of
 * changes over the control connection), yet a silent window still turns
 * "waiting" at its silence threshold (a listing at the time the clock
 * changes it), and output is listed again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { newSession } from '../../src/tmux/index.js';

test('idle: no listings while nothing changes; a window still turns waiting at the threshold, and output is seen', async () => {
  const s = await startServer({ feedIntervalMs: 100 });
  mkdirSync(join(s.env['XDG_CONFIG_HOME']!, 'roost'), { recursive: true, mode: 0o700 });
  writeFileSync(join(s.env['XDG_CONFIG_HOME']!, 'roost', 'config.toml'), 'silence = 2\n', { mode: 0o600 });
  await newSession(s.tmux.client, { name: 'work', command: ['cat'] });
  const status = () => s.daemon.feed.current()?.find((x) => x.name === 'work')?.windows[0]?.status;
  await waitFor(() => status() === 'waiting', 15_000, 'the silent window turns waiting, tmux telling nothing');

  // A second and a half (fifteen intervals) without a single listing: a feed that ticked would list fifteen times.
  const quiet = async () => {
    const before = s.daemon.feed.polls;
    await new Promise((r) => setTimeout(r, 1500));
    return s.daemon.feed.polls === before;
  };
  await waitFor(quiet, 20_000, 'a quiet stretch with no listing');

  const before = s.daemon.feed.polls;
  await s.tmux.run('send-keys', '-t', '=work:', '-l', 'hello');
  await waitFor(() => status() === 'working', 15_000, 'output is listed');
  assert.ok(s.daemon.feed.polls > before);
  await waitFor(() => status() === 'waiting', 15_000, 'waiting again after the threshold');
  await waitFor(quiet, 20_000, 'quiet again');
});
