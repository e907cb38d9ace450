/**
 * Every argument tmux 3.3a format-expands, and the `;` that ends a command
 * list, reach tmux literally through TmuxClient (src/tmux/literal.ts): on a
 * real private server, a value holding `#(touch FILE)`, `#{pane_pid}`, `#S`,
 * `##[`, and a final `;` comes back as given, and no file appears. Then the
 * same through the API (POST /api/sessions cwd) and `roost new -c`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import pty from 'node-pty';
import { privateTmux, waitFor, type TestTmux } from '../helpers/tmux.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { startServer } from '../helpers/server.js';
import { commandArgv, formatLiteral, THEN } from '../../src/tmux/literal.js';
import { listSessions } from '../../src/tmux/index.js';

/** A folder (made here) whose path holds a tmux job, formats, a style and a final `;`; and the marker the job would create. */
function trickyDirs(): { dirs: string[]; marker: string } {
  const base = realpathSync(tempDir('roost-lit-'));
  const marker = join(base, 'pwned');
  const dirs = [join(base, `#(touch ${marker})`), join(base, 'x#{pane_pid}#S##[y]#[z]#;')];
  for (const d of dirs) mkdirSync(d, { recursive: true });
  return { dirs, marker };
}

/** Names (no `:` or `.`: tmux replaces them in session names) holding the same. */
const trickyNames = (marker: string) => [`#(touch ${marker})`, 'n#{pane_pid}#S##[y]#[z]#;', ';'];

const show = async (t: TestTmux, target: string, format: string) => (await t.run('display-message', '-p', '-t', target, format)).replace(/\n$/, '');

test('formatLiteral and commandArgv: what tmux would read is escaped, separators are THEN only', () => {
  assert.equal(formatLiteral('a#b'), 'a##b');
  assert.equal(formatLiteral('#{x}##'), '##{x}####');
  assert.equal(formatLiteral('#[x]##[y]a#'), '#[x]##[y]a##', 'tmux copies #[ and ##[ through unchanged');
  assert.deepEqual(commandArgv(['new-session', '-d', '-c', '/a#;', '-n#b', '-F', '#{session_id}', '--', 'find', '-exec', ';', THEN, 'rename-window', '-t', '@1', 'w#']),
    ['new-session', '-d', '-c', '/a##\\;', '-n##b', '-F', '#{session_id}', '--', 'find', '-exec', '\\;', ';', 'rename-window', '-t', '@1', 'w##']);
  assert.deepEqual(commandArgv(['set-option', '-t', '$1', '@x', '#{y};']), ['set-option', '-t', '$1', '@x', '#{y}\\;'], 'option values are not expanded: only the ; is escaped');
});

test('each format-expanded tmux argument reaches tmux literally; no job runs', async () => {
  const t = privateTmux();
  const { dirs, marker } = trickyDirs();
  const names = trickyNames(marker);
  await t.run('new-session', '-d', '-s', 'base', '-x', '80', '-y', '24');

  // Start directories: -c of new-session, new-window, split-window, respawn-pane, respawn-window.
  for (const dir of dirs) {
    const s = (await t.run('new-session', '-d', '-P', '-F', '#{session_id}', '-c', dir)).trim();
    assert.equal(await show(t, `${s}:`, '#{pane_start_path}'), dir, 'new-session -c');
    const w = (await t.run('new-window', '-d', '-P', '-F', '#{window_id}', '-t', `${s}:`, '-c', dir)).trim();
    assert.equal(await show(t, w, '#{pane_start_path}'), dir, 'new-window -c');
    const p = (await t.run('split-window', '-d', '-P', '-F', '#{pane_id}', '-t', w, '-c', dir)).trim();
    assert.equal(await show(t, p, '#{pane_start_path}'), dir, 'split-window -c');
    await t.run('respawn-pane', '-k', '-t', p, '-c', `${dir}`);
    assert.equal(await show(t, p, '#{pane_start_path}'), dir, 'respawn-pane -c');
    await t.run('respawn-window', '-k', '-t', w, '-c', dir);
    assert.equal(await show(t, w, '#{pane_start_path}'), dir, 'respawn-window -c');
    // The shell really runs there (tmux falls back to another folder for one that does not exist).
    await waitFor(async () => (await show(t, `${s}:`, '#{pane_current_path}')) === dir, 10_000, `the shell in ${dir}`);
    await t.run('kill-session', '-t', s);
  }

  // attach-session -c sets the session's folder; it needs a terminal.
  for (const dir of dirs) {
    const argv = t.client.argv(['attach-session', '-c', dir, '-t', 'base', THEN, 'detach-client']);
    const p = pty.spawn(t.client.bin, argv, { cols: 80, rows: 24, cwd: dir, env: t.client.env as Record<string, string> });
    await new Promise<void>((r) => p.onExit(() => r()));
    assert.equal(await show(t, 'base:', '#{session_path}'), dir, 'attach-session -c');
  }

  // Names: -s and -n of new-session, -n of new-window, rename-session, rename-window, select-pane -T.
  for (const name of names) {
    const s = (await t.run('new-session', '-d', '-P', '-F', '#{session_id}', '-s', name, '-n', name)).trim();
    assert.equal(await show(t, s, '#{session_name}'), name, 'new-session -s');
    assert.equal(await show(t, `${s}:`, '#{window_name}'), name, 'new-session -n');
    const w = (await t.run('new-window', '-d', '-P', '-F', '#{window_id}', '-t', `${s}:`, '-n', name)).trim();
    assert.equal(await show(t, w, '#{window_name}'), name, 'new-window -n');
    await t.run('rename-session', '-t', s, 'renamed');
    await t.run('rename-session', '-t', s, name);
    assert.equal(await show(t, s, '#{session_name}'), name, 'rename-session');
    await t.run('rename-window', '-t', w, name);
    assert.equal(await show(t, w, '#{window_name}'), name, 'rename-window');
    await t.run('select-pane', '-t', w, '-T', name);
    assert.equal(await show(t, w, '#{pane_title}'), name, 'select-pane -T');
    await t.run('kill-session', '-t', s);
  }

  // Not expanded by tmux, but a final `;` would end the command: -e values and a program's own arguments.
  const out = join(dirs[0]!, 'argv');
  await t.run('new-session', '-d', '-s', 'envs', '-e', 'K=#{pane_pid};', '--', 'sh', '-c', 'printf "%s|%s" "$K" "$1" > "$0"', out, ';');
  await waitFor(() => existsSync(out), 10_000, 'the program to write its arguments');
  await waitFor(async () => readFileSync(out, 'utf8') === '#{pane_pid};|;', 10_000, 'the -e value and the ";" argument intact');

  assert.equal(existsSync(marker), false, 'no #() job ran');
});

test('a folder named with tmux formats, through the API and roost new -c: the session starts there, nothing runs', async () => {
  const { dirs, marker } = trickyDirs();
  const s = await startServer();
  const cookie = await s.login();
  for (const [i, cwd] of dirs.entries()) {
    const r = await s.request('POST', '/api/sessions', { cookie, body: { name: `api${i}`, cwd } });
    assert.equal(r.status, 201, r.text);
  }
  await waitFor(async () => {
    const list = await listSessions(s.tmux.client);
    return dirs.every((d, i) => list.find((x) => x.name === `api${i}`)?.windows[0]?.panes[0]?.cwd === d);
  }, 10_000, 'API sessions in their exact folders');

  const t = privateTmux();
  const home = tempDir();
  for (const [i, cwd] of dirs.entries()) {
    const r = await runCli(['new', `cli${i}`, '-c', cwd], { home, socket: t.socket });
    assert.equal(r.code, 0, r.stderr);
  }
  await waitFor(async () => {
    const list = await listSessions(t.client);
    return dirs.every((d, i) => list.find((x) => x.name === `cli${i}`)?.windows[0]?.panes[0]?.cwd === d);
  }, 10_000, 'roost new -c sessions in their exact folders');
  assert.equal(existsSync(marker), false, 'no #() job ran');
});
