/**
 * A program that renames itself while its pane is quiet (a node window's
 * runner once it knows the node): tmux names the window after it only at the
 * pane's next output, unless asked to look now (renameAfterProgram). A window
 * named by hand keeps its name, and no window keeps an option it did not have.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { tempDir } from '../helpers/cli.js';
import { renameAfterProgram } from '../../src/tmux/index.js';

test("a quiet program's new title names its window at once; a window named by hand keeps its name", async () => {
  const t = privateTmux();
  const dir = tempDir('roost-rename-');
  const flag = join(dir, 'now');
  // Prints once as "first", then, told by a file, becomes "second" without printing anything.
  const script = join(dir, 'titled.js');
  writeFileSync(script, `const fs = require('fs'); process.title = 'first'; console.log('ready');
setInterval(() => { if (fs.existsSync(${JSON.stringify(flag)})) process.title = 'second'; }, 50);`);
  await t.run('new-session', '-d', '-s', 'a', '-x', '80', '-y', '24', process.execPath, script);
  await t.run('new-window', '-d', '-t', 'a:1', process.execPath, script);
  await t.run('rename-window', '-t', 'a:1', 'mine');
  const name = async (w: string) => (await t.run('display-message', '-p', '-t', w, '#{window_name}')).trim();
  await waitFor(async () => (await name('a:0')) === 'first', 10_000, 'the first name');
  writeFileSync(flag, '');
  await waitFor(async () => (await t.run('display-message', '-p', '-t', 'a:0', '#{pane_current_command}')).trim() === 'second', 10_000, 'the new title');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await name('a:0'), 'first', 'tmux has not looked again: the pane printed nothing');

  await renameAfterProgram(t.client, 'a:0');
  await renameAfterProgram(t.client, 'a:1');
  await waitFor(async () => (await name('a:0')) === 'second', 5_000, 'the window named after the new title');
  assert.equal(await name('a:1'), 'mine', 'a name given by hand stays');
  assert.equal((await t.run('show-options', '-w', '-t', 'a:0')).trim(), '', 'no option of its own left on the window');
  assert.equal((await t.run('show-options', '-w', '-v', '-t', 'a:1', 'automatic-rename')).trim(), 'off');
});
