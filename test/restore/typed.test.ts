/**
 * A restored command is typed as the user typed it, not as the kernel ran
 * it (src/restore/typed.ts): a script found on PATH comes back by its name,
 * not as `INTERPRETER /full/path/script`; a script whose name on PATH is
 * another file, or run by a relative path, comes back as its path; a program
 * a version manager's shim ran by its full path comes back by its name (the
 * shim put its folder first on PATH); another version's program run by its
 * full path keeps it. Real processes in a real tmux: scripts with `#!` lines
 * in the user's bin/, a shims folder that works as pyenv's does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { sendKeys, sendText } from '../../src/tmux/index.js';
import { restoreUser, script } from './helpers.js';

test('restore types a script by its name on PATH or its path, a shimmed program by its name, another version by its full path', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  // bin/ is on the user's PATH (helpers.ts): a script there runs through env, as `#!/usr/bin/env node` does for claude.
  script(join(u.bin, 'lrtool'), '#!/usr/bin/env sh\nsleep 3600\n');
  // A version manager: ROOT/shims/NAME runs ROOT/versions/1/bin/NAME by its full path with that folder first on
  // its PATH, as pyenv's exec (and rbenv's, asdf's, mise's) does.
  const mgr = join(u.dir, 'mgr');
  mkdirSync(join(mgr, 'shims'), { recursive: true });
  const version = (v: string) => {
    mkdirSync(join(mgr, 'versions', v, 'bin'), { recursive: true });
    const f = join(mgr, 'versions', v, 'bin', 'lrsleep');
    copyFileSync('/bin/sleep', f);
    chmodSync(f, 0o755);
    return f;
  };
  const real = version('1');
  const older = version('2');
  script(join(mgr, 'shims', 'lrsleep'), `#!/bin/sh\nPATH=${JSON.stringify(join(mgr, 'versions', '1', 'bin'))}:"$PATH" exec ${JSON.stringify(real)} "$@"\n`);
  // A script run by a relative path: the kernel runs `/bin/sh ./train.sh ...`.
  mkdirSync(join(u.dir, 'proj'));
  script(join(u.dir, 'proj', 'train.sh'), '#!/bin/sh\nsleep 3600\n');
  // Another file named lrtool, off PATH: run by its path, its name on PATH is not it.
  mkdirSync(join(u.dir, 'other'));
  const other = join(u.dir, 'other', 'lrtool');
  script(other, '#!/bin/sh\nsleep 3600\n');
  writeFileSync(join(u.dir, '.bash_profile'), `export PATH=${JSON.stringify(u.bin)}:${JSON.stringify(join(mgr, 'shims'))}:"$PATH"\nPS1='$ '\n`);

  await t.run('new-session', '-d', '-s', 'w', '-c', u.dir);
  await t.run('split-window', '-t', 'w:0', '-c', u.dir);
  await t.run('split-window', '-t', 'w:0', '-c', u.dir);
  await t.run('new-window', '-t', 'w:1', '-c', join(u.dir, 'proj'));
  await t.run('split-window', '-t', 'w:1', '-c', join(u.dir, 'proj'));
  const lines = { 'w:0.0': "lrtool --deep 'a b'", 'w:0.1': 'lrsleep 3601', 'w:0.2': `${other} x`, 'w:1.0': './train.sh --epochs 3', 'w:1.1': `${older} 3602` };
  for (const [pane, line] of Object.entries(lines)) {
    await waitForCommand(t, pane, 'bash');
    await sendText(t.client, pane, line);
    await sendKeys(t.client, pane, 'Enter');
  }
  // tmux names a pane's program by its argv[0]: the interpreter for a script.
  await waitForCommand(t, 'w:0.0', 'sh');
  await waitForCommand(t, 'w:0.1', 'lrsleep');
  await waitForCommand(t, 'w:0.2', 'sh');
  await waitForCommand(t, 'w:1.0', 'sh');
  await waitForCommand(t, 'w:1.1', 'lrsleep');

  const snap = await runCli(['snapshot'], u.env);
  assert.equal(snap.code, 0, snap.stderr);
  const saved = JSON.parse((await runCli(['snapshot', 'show', 'latest', '--json'], u.env)).stdout);
  const programs = saved.sessions[0].windows.flatMap((w: { panes: { program: unknown }[] }) => w.panes.map((p) => p.program));
  // The snapshot keeps what ran, and the typed form beside it.
  assert.deepEqual(programs[0].commands, [['sh', join(u.bin, 'lrtool'), '--deep', 'a b']]);
  assert.deepEqual(programs[0].typed, [['lrtool', '--deep', 'a b']]);
  assert.deepEqual(programs[1].commands, [[real, '3601']]);
  assert.deepEqual(programs[1].typed, [['lrsleep', '3601']]);
  assert.deepEqual(programs[2].commands, [['/bin/sh', other, 'x']]);
  assert.deepEqual(programs[2].typed, [[other, 'x']], 'its name on PATH is another file: the script by its path');
  assert.deepEqual(programs[3].commands, [['/bin/sh', './train.sh', '--epochs', '3']]);
  assert.deepEqual(programs[3].typed, [['./train.sh', '--epochs', '3']]);
  assert.deepEqual(programs[4].commands, [[older, '3602']]);
  assert.equal(programs[4].typed, undefined, 'by name it is version 1: left as it ran');

  await t.kill();
  const r = await runCli(['restore'], u.env);
  assert.equal(r.code, 0, r.stderr);
  const expected = { 'w:0.0': "$ lrtool --deep 'a b'", 'w:0.1': '$ lrsleep 3601', 'w:0.2': `$ ${other} x`, 'w:1.0': '$ ./train.sh --epochs 3', 'w:1.1': `$ ${older} 3602` };
  for (const [pane, want] of Object.entries(expected)) {
    let last = '';
    await waitFor(async () => {
      last = (await t.run('capture-pane', '-p', '-J', '-t', pane)).split('\n').filter((l) => l.trim()).at(-1) ?? '';
      return last.endsWith(want);
    }, 15_000, `${want} typed in ${pane}`).catch(() => assert.equal(last, want));
  }
});
