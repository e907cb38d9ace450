/**
 * What `roost snapshot show` and `roost restore --dry-run` say of panes:
 * the command as restore will type it (not as the kernel ran it), one line
 * counted as "1 line", a pipeline whose first part had ended (`grep ... |
 * less` with grep done) as the rest of a pipeline, typed and not run, and a
 * job's hint with -L NAME on a named server. Real processes in a real tmux.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { sendKeys, sendText } from '../../src/tmux/index.js';
import { restoreUser } from './helpers.js';

test('show and --dry-run give the typed command and "1 line"; a pipeline whose first part ended is its rest, typed', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  const tool = join(u.bin, 'lrshow');
  writeFileSync(tool, '#!/usr/bin/env sh\nsleep 3600\n');
  chmodSync(tool, 0o755);
  await t.run('new-session', '-d', '-s', 'w', '-c', u.dir);
  await t.run('new-window', '-t', 'w:1', '-c', u.dir);
  const lines = { 'w:0': 'lrshow --x', 'w:1': 'grep -rn x /etc/hostname | less' };
  for (const [pane, line] of Object.entries(lines)) {
    await waitForCommand(t, pane, 'bash');
    await sendText(t.client, pane, line);
    await sendKeys(t.client, pane, 'Enter');
  }
  await waitForCommand(t, 'w:0', 'sh');
  // tmux says bash once grep is gone (it names the foreground group's leader, and there is none); less shows its end.
  await waitFor(async () => (await t.run('capture-pane', '-p', '-t', 'w:1')).includes('(END)'), 10_000, 'less showing its input');
  assert.equal((await runCli(['snapshot'], u.env)).code, 0);

  const saved = JSON.parse((await runCli(['snapshot', 'show', 'latest', '--json'], u.env)).stdout);
  const less = saved.sessions[0].windows[1].panes[0].program;
  assert.deepEqual(less?.commands, [['less']]);
  assert.equal(less?.headEnded, true);

  const show = (await runCli(['snapshot', 'show', 'latest'], u.env)).stdout;
  assert.match(show, /^ {4}pane 0\* ~ {2}lrshow --x {2}\[1 line\]$/m, show);
  assert.match(show, /^ {4}pane 0\* ~ {2}… \| less {2}\[\d+ lines?\]$/m, show);

  await t.kill();
  const dry = (await runCli(['restore', '--dry-run'], u.env)).stdout;
  assert.match(dry, /^ {4}pane 0 {2}~ {2}\[1 line\]\n {6}type {2}lrshow --x {3}\(not on the safe list: typed, not run\)$/m, dry);
  assert.match(dry, /^ {6}type {2}less {3}\(the rest of a pipeline whose first part had ended: typed, not run\)$/m, dry);
});

test('a background job skipped on a named server says roost -L NAME logs and run', async () => {
  const u = restoreUser();
  const t = privateTmux(u.env);
  await t.run('new-session', '-d', '-s', 'j');
  await t.run('set-option', '-t', 'j', '@roost_kind', 'job');
  assert.equal((await runCli(['-L', t.socket, 'snapshot'], u.env)).code, 0);
  await t.kill();
  const dry = (await runCli(['-L', t.socket, 'restore', '--dry-run'], u.env)).stdout;
  assert.match(dry, new RegExp(`^skip j: a background job: its log is kept \\(roost -L ${t.socket} logs j\\); start it again with roost -L ${t.socket} run$`, 'm'), dry);
});
