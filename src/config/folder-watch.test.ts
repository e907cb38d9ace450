import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchFolder } from './folder-watch.js';

/** Resolves once `check` holds, polling every 10 ms; fails after `ms`. */
async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('watchFolder: a folder that does not exist yet is watched from above; its wanted files are told, others not; removed and made again, it is still watched', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'roost-watch-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'config', 'roost');
  let told = 0;
  const stop = watchFolder(dir, (n) => n === 'config.toml', () => told++);
  assert.ok(stop, 'watchable');
  t.after(() => stop());

  mkdirSync(join(root, 'config'));
  await until(() => told >= 1, 5000, 'the folder on the way');
  mkdirSync(dir);
  const made = told;
  await until(() => told > made, 5000, 'the folder itself');
  let before = told;
  writeFileSync(join(dir, 'config.toml'), 'silence = 5\n');
  await until(() => told > before, 5000, 'the file written');

  // Another file in the folder: not told.
  before = told;
  writeFileSync(join(dir, 'other.txt'), 'x');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(told, before, 'a file not wanted');

  // Saved as editors do: a new file renamed over it.
  before = told;
  writeFileSync(join(dir, 'new.tmp'), 'silence = 7\n');
  renameSync(join(dir, 'new.tmp'), join(dir, 'config.toml'));
  await until(() => told > before, 5000, 'the file replaced');

  // The folder removed and made again: changes in the new one are told.
  rmSync(dir, { recursive: true });
  before = told;
  await until(() => told > before, 5000, 'the folder gone');
  mkdirSync(dir);
  await new Promise((r) => setTimeout(r, 100));
  before = told;
  writeFileSync(join(dir, 'config.toml'), 'silence = 8\n');
  await until(() => told > before, 5000, 'a file in the folder made again');

  stop();
  before = told;
  writeFileSync(join(dir, 'config.toml'), 'silence = 9\n');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(told, before, 'nothing told once stopped');
});
