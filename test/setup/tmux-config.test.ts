/**
 * The tmux block roost init writes, loaded by the real tmux: it parses, sets
 * what the guide sets, and in a real terminal prefix+H opens the quick
 * reference, the status bar marks silent (~) and ringing (!) windows, and
 * the session and window trees (prefix s, prefix w) leave out Roost's
 * per-device browser views; the guide's own status-right and prefix+H,
 * copied in before roost init, no longer win over the block.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { privateTmux, waitFor, type TestTmux } from '../helpers/tmux.js';
import { detachByKeys, roostTerm, runCli, tempDir } from '../helpers/cli.js';
import { tmuxBlock } from '../../src/setup/tmux-block.js';
import { parseTmuxVersion } from '../../src/setup/versions.js';
import { findViewTarget, openView, version } from '../../src/tmux/index.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { GUIDE_TMUX_CONF } from '../fixtures/guide-snippets.js';

async function option(t: TestTmux, ...args: string[]): Promise<string> {
  return (await t.run('show-options', '-v', ...args)).trim();
}

test('the block for this tmux loads without errors and sets the guide\'s options', async () => {
  const t = privateTmux();
  const v = parseTmuxVersion(await version(t.client));
  const file = join(tempDir(), 'tmux.conf');
  await t.run('new-session', '-d', '-s', 'cfg');
  for (const ver of [v, parseTmuxVersion('tmux 3.1c')]) {
    writeFileSync(file, tmuxBlock({ version: ver, terminal: 'screen-256color' }));
    await t.run('source-file', file); // rejects on any parse or command error
  }
  writeFileSync(file, tmuxBlock({ version: v, terminal: 'tmux-256color' }));
  await t.run('source-file', file);
  assert.equal(await option(t, '-g', 'mouse'), 'on');
  assert.equal(await option(t, '-g', 'base-index'), '1');
  assert.equal(await option(t, '-gw', 'pane-base-index'), '1');
  assert.equal(await option(t, '-g', 'renumber-windows'), 'on');
  assert.equal(await option(t, '-g', 'history-limit'), '10000');
  assert.equal(await option(t, '-g', 'default-terminal'), 'tmux-256color');
  assert.equal(await option(t, '-gw', 'monitor-silence'), '20');
  assert.equal(await option(t, '-g', 'visual-silence'), 'on');
  assert.equal(await option(t, '-gw', 'monitor-bell'), 'on');
  assert.equal(await option(t, '-g', 'bell-action'), 'any');
  assert.match(await t.run('show-options', '-s', 'terminal-features'), /xterm\*:RGB/);
  assert.match(await t.run('list-keys', '-T', 'prefix', 'H'), /display-popup/);
});

test('sourcing the block again (tmux source-file, as init advises) adds no second true-colour entry', async () => {
  const t = privateTmux();
  const file = join(tempDir(), 'tmux.conf');
  await t.run('new-session', '-d', '-s', 'cfg');
  const entries = async (option: string, flag: string) => (await t.run('show-options', '-s', option)).split('\n').filter((l) => l.includes(flag));
  writeFileSync(file, tmuxBlock({ version: parseTmuxVersion(await version(t.client)), terminal: 'screen-256color' }));
  for (let i = 0; i < 3; i++) await t.run('source-file', file);
  assert.equal((await entries('terminal-features', 'xterm*:RGB')).length, 1, 'one xterm*:RGB entry after three loads');
  // The block for a tmux before 3.2 uses terminal-overrides (3.3a still has the option).
  writeFileSync(file, tmuxBlock({ version: parseTmuxVersion('tmux 3.1c'), terminal: 'screen-256color' }));
  for (let i = 0; i < 3; i++) await t.run('source-file', file);
  assert.equal((await entries('terminal-overrides', 'xterm*:Tc')).length, 1, 'one xterm*:Tc entry after three loads');
});

test('in a terminal: prefix+H shows the quick reference; silent and ringing windows are marked; the trees leave out browser views', async () => {
  const t = privateTmux();
  const home = tempDir('roost-home-');
  assert.equal((await runCli(['init', '--no-layout'], { home })).code, 0);
  // roost starts the server, so it reads this HOME's ~/.tmux.conf.
  const term = roostTerm(['-L', t.socket, 'attach', 'work'], { home }, { cols: 100, rows: 30 });
  await waitFor(async () => (await t.run('list-clients', '-F', '#{client_session}')).includes('work'), 20000, 'attached');
  await term.waitForText('Ctrl+B H for help');
  const prompt = await waitFor(async () => (await t.run('capture-pane', '-p', '-t', '=work:')).trim().split('\n').pop(), 20000, 'a prompt');
  term.write('\x02H');
  await term.waitForText('tmux quick reference');
  await term.waitForText('press any key to close');
  assert.match(term.text(), /Ctrl\+B D +detach \(session keeps running\)/);
  const shown = term.text().lastIndexOf('press any key to close');
  term.write('q');
  // The popup closes and tmux redraws the pane under it (the prompt); typing then reaches the shell.
  await waitFor(() => term.text().indexOf(prompt, shown) > shown, 20000, 'the pane redrawn after the popup closed');
  term.write('echo z$((6*7))z\r');
  await term.waitForText('z42z');

  // Window 2 goes quiet (1 s instead of 20 for the test); window 3 rings.
  await t.run('new-window', '-d', '-t', '=work:', '-n', 'quiet', 'sleep', '300');
  await t.run('set-option', '-w', '-t', '=work:quiet', 'monitor-silence', '1');
  await t.run('new-window', '-d', '-t', '=work:', '-n', 'ring', 'sh', '-c', 'sleep 1; printf "\\a"; exec sleep 300');
  await waitFor(async () => {
    const status = term.text().split('[work]').pop() ?? ''; // the latest status line drawn
    return /2:quiet ~/.test(status) && /3:ring !/.test(status);
  }, 20000, 'status line with "2:quiet ~" and "3:ring !"');
  assert.equal((await t.run('display-message', '-p', '-t', '=work:', '#{window_index}')).trim(), '1', 'windows count from 1');

  // A browser's view of "work" (what the daemon makes) and another session: the trees show the session only.
  await t.run('new-session', '-d', '-s', 'other');
  await openView(t.client, (await findViewTarget(t.client, 'work'))!, 'roost-view-t1', 'work', null);
  assert.match(await t.run('list-sessions', '-F', '#{session_name}'), /^roost-view-t1$/m, 'tmux ls does list it');
  for (const key of ['s', 'w']) {
    const from = term.text().length;
    term.write(`\x02${key}`);
    await waitFor(() => /other: \d+ windows?/.test(term.text().slice(from)) ? true : null, 20000, `the tree of prefix ${key}`);
    await waitFor(() => /work: \d+ windows \(group work\) \(attached\)/.test(term.text().slice(from)) ? true : null, 20000, `work in the tree of prefix ${key}`);
    assert.doesNotMatch(term.text().slice(from), /roost-view/, `prefix ${key} names no view`);
    term.write('q');
    // Keys typed before the tree has closed would still go to it.
    await waitFor(async () => (await t.run('display-message', '-p', '-t', '=work:', '#{pane_in_mode}')).trim() === '0', 20000, 'the tree closed');
  }

  assert.equal(await detachByKeys(term, t.client), 0, 'detach');
});

test('a user\'s own prefix (C-a, set after the block): the status bar and the quick reference name it', async () => {
  const t = privateTmux();
  const home = tempDir('roost-home-');
  assert.equal((await runCli(['init', '--no-layout'], { home })).code, 0);
  writeFileSync(join(home, '.tmux.conf'), `${readFileSync(join(home, '.tmux.conf'), 'utf8')}\nunbind C-b\nset -g prefix C-a\nbind C-a send-prefix\n`);
  const term = roostTerm(['-L', t.socket, 'attach', 'work'], { home }, { cols: 100, rows: 30 });
  await waitFor(async () => (await t.run('list-clients', '-F', '#{client_session}')).includes('work'), 20000, 'attached');
  await term.waitForText('Ctrl+a H for help');
  assert.doesNotMatch(term.text(), /Ctrl\+B/);
  term.write('\x01');
  await waitFor(async () => (await t.run('list-clients', '-F', '#{client_prefix}')).split('\n').includes('1'), 20000, 'tmux to take the prefix key C-a');
  term.write('H');
  await term.waitForText('press any key to close');
  assert.match(term.text(), /Ctrl\+a D +detach \(session keeps running\)/);
  assert.match(term.text(), /Ctrl\+a H +this help/);
  assert.doesNotMatch(term.text(), /Ctrl\+B/);
  term.write('q');
  await waitFor(async () => (await t.run('display-message', '-p', '-t', '=work:', '#{pane_in_mode}')).trim() === '0', 20000, 'the popup closed');
});

test('the guide\'s tmux.conf copied in before roost init: with prefix C-a the bar says Ctrl+a, and prefix+H is roost\'s', async () => {
  const t = privateTmux();
  const home = tempDir('roost-home-');
  const conf = join(home, '.tmux.conf');
  writeFileSync(conf, `${GUIDE_TMUX_CONF}unbind C-b\nset -g prefix C-a\n`);
  assert.equal((await runCli(['init', '--no-layout'], { home })).code, 0);
  await t.run('new-session', '-d', '-s', 'cfg');
  await t.run('source-file', conf); // rejects on any parse or command error
  assert.match(await t.run('display-message', '-p', '-t', '=cfg:', '#{E:status-right}'), /Ctrl\+a H for help/);
  // Roost's popup asks tmux for the prefix; the guide's is `cat` of a text that says Ctrl+B.
  assert.match(await t.run('list-keys', '-T', 'prefix', 'H'), /display-popup .*show-options -gv prefix/);
});
