/**
 * A typo saved into config.toml while the daemon runs (a schedule with a bad
 * name) must not blind it: it keeps listing sessions (attention and
 * notifications depend on that) with the config as it was, says so once in
 * its log, and takes the file again once it is fixed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';

test('a broken config.toml leaves the daemon\'s listing on its last good config, telling the log once', async () => {
  const s = await startServer({ log: { level: 'warn' } });
  const file = s.daemon.paths.configFile;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '[sessions.work]\nsilence = 7\n');
  await s.tmux.run('new-session', '-d', '-s', 'work');
  await waitFor(async () => (await s.daemon.feed.refresh()).some((x) => x.name === 'work'), 10_000, 'work listed');

  writeFileSync(file, '[sessions.work]\nsilence = 7\n[schedules."bad name"]\ncron = "* * * * *"\ncommand = ["true"]\n');
  await s.tmux.run('new-session', '-d', '-s', 'after');
  const listed = await s.daemon.feed.refresh();
  assert.deepEqual(listed.map((x) => x.name).sort(), ['after', 'work'], 'still listing');
  await s.daemon.feed.refresh();
  const warned = s.logs.filter((l) => l.includes('keeps using the config as it was'));
  assert.equal(warned.length, 1, s.logs.join(''));
  assert.match(warned[0]!, /config\.toml.*schedules/);

  // Fixed, then broken another way: taken again, and the new error told once more.
  writeFileSync(file, '[sessions.work]\nsilence = 9\n');
  await s.daemon.feed.refresh();
  writeFileSync(file, 'silense = 9\n');
  await s.daemon.feed.refresh();
  assert.equal(s.logs.filter((l) => l.includes('keeps using the config as it was')).length, 2);
  assert.match(s.logs.join(''), /silense: unknown key/);
});
