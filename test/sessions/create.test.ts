/**
 * createSession on a real private tmux server: a command that fails leaves
 * its window, dead, with its output and exit status (listed as exited); one
 * that succeeds closes as usual; a template's windows get the same, and the
 * first window stays current. A starting directory that tmux could not use
 * (missing, a file, relative), given or from a template, creates nothing;
 * one whose name holds tmux format characters is used as it is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { privateTmux, waitFor, RM_TREE } from '../helpers/tmux.js';
import { createSession, InvalidDirectoryError, programWindowName } from '../../src/sessions/create.js';
import { listSessions, newSession } from '../../src/tmux/index.js';

const home = '/';

test('a failing command keeps its pane: exited with its status and its last output', async () => {
  const t = privateTmux();
  await createSession(t.client, { name: 'crash', command: ['sh', '-c', 'echo Traceback-here; sleep 0.3; exit 3'], home });
  await createSession(t.client, { name: 'fine', command: ['sh', '-c', 'echo all-good; exit 0'], home });
  await createSession(t.client, { name: 'keep', home });
  await waitFor(async () => {
    const w = (await listSessions(t.client)).find((s) => s.name === 'crash')?.windows[0];
    return w?.status === 'exited' ? w : null;
  }, 10_000, 'the crashed window listed as exited');
  // tmux marks a pane dead when its pty closes and records the status when it reaps the process; 3.3a
  // sometimes never records it. Roost reports what tmux knows: 3 once tmux has it.
  const tmuxStatus = async () => (await t.run('display-message', '-p', '-t', '=crash:', '#{pane_dead_status}')).trim();
  await waitFor(async () => (await tmuxStatus()) !== '', 3000, 'the exit status').catch(() => undefined);
  const known = await tmuxStatus();
  const listed = (await listSessions(t.client)).find((s) => s.name === 'crash')!.windows[0]!.panes[0]!.exitStatus;
  assert.equal(listed, known === '' ? null : 3);
  // The pane's last screen moves into history when it dies.
  assert.match(await t.run('capture-pane', '-p', '-S', '-', '-t', '=crash:'), /Traceback-here/);
  await waitFor(async () => !(await listSessions(t.client)).some((s) => s.name === 'fine'), 10_000, 'the session whose command succeeded to close');
  assert.equal(await t.run('show-options', '-p', '-v', '-t', '=keep:', 'remain-on-exit').then((v) => v.trim(), () => ''), '', 'a plain shell is left as tmux has it');
});

test('template windows: a failing one stays, a finished one closes, the first window is current', async () => {
  const t = privateTmux();
  await createSession(t.client, {
    name: 'main',
    home,
    template: {
      windows: [
        { name: 'claude' },
        { name: 'logs', command: ['sh', '-c', 'exit 7'] },
        { name: 'done', command: ['sh', '-c', 'exit 0'] },
        { name: 'shell' },
      ],
    },
  });
  await waitFor(async () => {
    const s = (await listSessions(t.client)).find((x) => x.name === 'main')!;
    return s.windows.map((w) => `${w.name}:${w.status}`).join() === 'claude:shell,logs:exited,shell:shell' ? s : null;
  }, 10_000, 'logs exited, done gone').catch(async (e: Error) => {
    throw new Error(`${e.message}: ${JSON.stringify((await listSessions(t.client))[0]?.windows.map((w) => [w.name, w.status]))}`);
  });
  const s = (await listSessions(t.client)).find((x) => x.name === 'main')!;
  assert.equal(s.windows.find((w) => w.active)!.name, 'claude');
});

test('a directory tmux cannot start in is refused before anything is created', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'other', command: ['sleep', '300'] }); // a server, so "nothing created" is visible
  const dir = mkdtempSync(join(tmpdir(), 'roost-cwd-'));
  after(() => rmSync(dir, RM_TREE));
  const file = join(dir, 'file');
  writeFileSync(file, '');
  const refused = async (req: Parameters<typeof createSession>[1], message: string) => {
    await assert.rejects(createSession(t.client, req), (e: unknown) => {
      assert.ok(e instanceof InvalidDirectoryError, String(e));
      assert.equal(e.message, message);
      return true;
    });
  };
  await refused({ name: 'a', cwd: join(dir, 'missing'), home }, `no such directory: ${dir}/missing`);
  await refused({ name: 'a', cwd: join(file, 'below'), home }, `no such directory: ${file}/below`);
  await refused({ name: 'a', cwd: file, home }, `not a directory: ${file}`);
  await refused({ name: 'a', cwd: 'relative', home }, 'not an absolute path: relative');
  await refused({ name: 'a', cwd: '/tmp\0x', home }, 'invalid directory: /tmp\0x');
  await refused({ name: 'a', home: dir, template: { cwd: '~/gone' } }, `no such directory: ${dir}/gone (the cwd of session "a" in config.toml)`);
  // The second window's directory is missing: not even the first window is made.
  await refused({ name: 'a', home: dir, template: { windows: [{ name: 'one' }, { name: 'two', cwd: '~/gone' }] } },
    `no such directory: ${dir}/gone (the cwd of window "two" of session "a" in config.toml)`);
  assert.deepEqual((await listSessions(t.client)).map((s) => s.name), ['other']);
});

test('a directory whose name looks like a tmux format is used as it is', async () => {
  const t = privateTmux();
  const dir = mkdtempSync(join(tmpdir(), 'roost-cwd-'));
  after(() => rmSync(dir, RM_TREE));
  const odd = join(dir, 'x#{session_name}#(true)##');
  mkdirSync(odd);
  await createSession(t.client, { name: 'fmt', cwd: odd, home });
  await createSession(t.client, { name: 'tpl', home, template: { windows: [{ name: 'one', cwd: dir }, { name: 'two', cwd: odd }] } });
  const cwds = (await listSessions(t.client)).map((s) => s.windows.map((w) => w.panes[0]!.cwd));
  assert.deepEqual(cwds, [[odd], [dir, odd]]);
});

test('a window started with a program is named after it from the start, even when a wrapper script runs first and it stays quiet', async () => {
  const t = privateTmux();
  const dir = mkdtempSync(join(tmpdir(), 'roost-wrapper-'));
  after(() => rmSync(dir, RM_TREE));
  // Like a pyenv shim: a script whose interpreter is in front for a moment, then the quiet program.
  const tool = join(dir, 'quiet-tool');
  writeFileSync(tool, '#!/bin/sh\nsleep 0.3\nexec sleep 600\n', { mode: 0o755 });
  await createSession(t.client, { name: 'q1', command: [tool, '--flag'], home });
  await createSession(t.client, { name: 'q2', command: ['env', 'A=1', tool], home });
  await createSession(t.client, { name: 'sh', command: ['bash'], home });
  await new Promise((r) => setTimeout(r, 1500)); // past tmux's first look (and its 500 ms between looks)
  const byName = Object.fromEntries((await listSessions(t.client)).map((s) => [s.name, s.windows[0]!]));
  assert.equal(byName['q1']!.name, 'quiet-tool');
  assert.equal(byName['q2']!.name, 'quiet-tool');
  assert.equal(byName['sh']!.autoName, true, 'a shell is left to tmux to name after what it runs');
});

test('programWindowName: the program of an argv or a plain shell line; null for shells and real shell lines', () => {
  assert.equal(programWindowName(['/usr/bin/python3', '-c', 'input()']), 'python3');
  assert.equal(programWindowName(['env', 'FOO=1', 'python3']), 'python3');
  assert.equal(programWindowName(['python3 train.py --epochs 4']), 'python3');
  assert.equal(programWindowName(['cd /x && make']), null);
  assert.equal(programWindowName(['bash']), null);
  assert.equal(programWindowName(['env']), null);
  assert.equal(programWindowName(undefined), null);
});
