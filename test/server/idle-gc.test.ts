/**
 * An idle daemon's collections (src/daemon/memory.ts, bin/roost): one once
 * it has settled, then none while nothing happens. V8 prints each
 * collection with --trace-gc; the daemon's own is "testing" (the gc() of
 * --expose-gc). V8's memory reducer, armed while the heap first grows,
 * would collect twice more ~8 s after that one, waking an idle daemon.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnServe, tempUser } from '../helpers/server.js';
import { privateTmux, waitFor } from '../helpers/tmux.js';

/** V8 waits 8 s after a collection before its memory reducer starts (kLongDelayMs), then collects twice, 0.5 s apart. */
const REDUCER_WINDOW_MS = 10_500;

const fullCollections = (out: string) => out.split('\n').filter((l) => /: Mark-Compact\b/.test(l));

test('an idle daemon collects once after its start settles, then not again', async () => {
  const { env } = tempUser();
  const t = privateTmux(env);
  const d = spawnServe(['-L', t.socket, 'serve', '--port', '0'], env, ['--trace-gc']);
  await d.ready();
  const settled = await waitFor(() => fullCollections(d.stdout()).findIndex((l) => /\btesting\b/.test(l)) + 1 || null, 30_000, "the daemon's collection at rest");
  await sleep(REDUCER_WINDOW_MS);
  const later = fullCollections(d.stdout()).slice(settled);
  d.child.kill('SIGTERM');
  await d.exited;
  assert.deepEqual(later, [], 'no full collection after the one at rest');
});
