/**
 * A restored command is typed as the user typed it, not as the kernel ran
 * it (src/restore/typed.ts): a script found on PATH comes back by its name,
 * not as `INTERPRETER /full/path/script`; a program a version manager's shim
 * ran by its full path comes back by the name the shim answers to; a path
 * whose name on PATH is another file stays as it ran. Real processes in a
 * real tmux: scripts with `#!` lines in the user's bin/, a shims folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { sendKeys, sendText } from '../../src/tmux/index.js';
import { restoreUser } from './helpers.js';

function script(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

test('restore types a script by its name on PATH and a shimmed program by the shim\'s name; an unsure path stays as it ran', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  // bin/ is on the user's PATH (helpers.ts): a script there runs through env, as `#!/usr/bin/env node` does for claude.
  script(join(u.bin, 'lrtool'), '#!/usr/bin/env sh\nsleep 3600\n');
  // A version manager: ROOT/shims/NAME runs ROOT/versions/1/bin/NAME by its full path (pyenv's exec does).
  const mgr = join(u.dir, 'mgr');
  mkdirSync(join(mgr, 'shims'), { recursive: true });
  mkdirSync(join(mgr, 'versions', '1', 'bin'), { recursive: true });
  const real = join(mgr, 'versions', '1', 'bin', 'lrsleep');
  copyFileSync('/bin/sleep', real);
  chmodSync(real, 0o755);
  script(join(mgr, 'shims', 'lrsleep'), `#!/bin/sh\nexec ${JSON.stringify(real)} "$@"\n`);
  // Another file named lrtool, off PATH: run by its path, its name on PATH is not it.
  mkdirSync(join(u.dir, 'other'));
  const other = join(u.dir, 'other', 'lrtool');
  script(other, '#!/bin/sh\nsleep 3600\n');
  writeFileSync(join(u.dir, '.bash_profile'), `export PATH=${JSON.stringify(u.bin)}:${JSON.stringify(join(mgr, 'shims'))}:"$PATH"\nPS1='$ '\n`);

  await t.run('new-session', '-d', '-s', 'w', '-c', u.dir);
  await t.run('split-window', '-t', 'w:0', '-c', u.dir);
  await t.run('split-window', '-t', 'w:0', '-c', u.dir);
  const lines = { 'w:0.0': "lrtool --deep 'a b'", 'w:0.1': 'lrsleep 3601', 'w:0.2': `${other} x` };
  for (const [pane, line] of Object.entries(lines)) {
    await waitForCommand(t, pane, 'bash');
    await sendText(t.client, pane, line);
    await sendKeys(t.client, pane, 'Enter');
  }
  // tmux names a pane's program by its argv[0]: the interpreter for a script.
  await waitForCommand(t, 'w:0.0', 'sh');
  await waitForCommand(t, 'w:0.1', 'lrsleep');
  await waitForCommand(t, 'w:0.2', 'sh');

  const snap = await runCli(['snapshot'], u.env);
  assert.equal(snap.code, 0, snap.stderr);
  const saved = JSON.parse((await runCli(['snapshot', 'show', 'latest', '--json'], u.env)).stdout);
  const programs = saved.sessions[0].windows[0].panes.map((p: { program: unknown }) => p.program);
  // The snapshot keeps what ran, and the typed form beside it.
  assert.deepEqual(programs[0].commands, [['sh', join(u.bin, 'lrtool'), '--deep', 'a b']]);
  assert.deepEqual(programs[0].typed, [['lrtool', '--deep', 'a b']]);
  assert.deepEqual(programs[1].commands, [[real, '3601']]);
  assert.deepEqual(programs[1].typed, [['lrsleep', '3601']]);
  assert.deepEqual(programs[2].commands, [['/bin/sh', other, 'x']]);
  assert.equal(programs[2].typed, undefined, 'unsure: left as it ran');

  await t.kill();
  const r = await runCli(['restore'], u.env);
  assert.equal(r.code, 0, r.stderr);
  const expected = { 'w:0.0': "$ lrtool --deep 'a b'", 'w:0.1': '$ lrsleep 3601', 'w:0.2': `$ /bin/sh ${other} x` };
  for (const [pane, want] of Object.entries(expected)) {
    let last = '';
    await waitFor(async () => {
      last = (await t.run('capture-pane', '-p', '-J', '-t', pane)).split('\n').filter((l) => l.trim()).at(-1) ?? '';
      return last.endsWith(want);
    }, 15_000, `${want} typed in ${pane}`).catch(() => assert.equal(last, want));
  }
});
