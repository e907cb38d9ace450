import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { privateTmux, testEnv, waitFor, RM_TREE } from '../helpers/tmux.js';
import { newSession, newWindow } from '../../src/tmux/index.js';
import pty from 'node-pty';

const bin = join(resolve(import.meta.dirname, '../../..'), 'bin', 'roost');

/** `roost watch` on a private server, with a config whose silence threshold is 3 s. */
function startWatch(socket: string, json: boolean) {
  const home = mkdtempSync(join(tmpdir(), 'roost-watch-'));
  after(() => rmSync(home, RM_TREE));
  mkdirSync(join(home, '.config', 'roost'), { recursive: true });
  writeFileSync(join(home, '.config', 'roost', 'config.toml'), 'silence = 3\n');
  const env = testEnv({ HOME: home, XDG_CONFIG_HOME: join(home, '.config') });
  const p = spawn(process.execPath, [bin, '-L', socket, 'watch', ...(json ? ['--json'] : [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { text: '', err: '' };
  p.stdout.on('data', (c) => (out.text += c));
  p.stderr.on('data', (c) => (out.err += c));
  const exited = new Promise<number | null>((ok) => p.on('exit', (code) => ok(code)));
  after(() => {
    if (p.exitCode === null) p.kill('SIGKILL');
  });
  return { p, out, exited };
}

test('roost watch prints one line per transition and ends on a signal', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'main', windowName: 'sleep', command: ['sleep', '600'] });
  const w = startWatch(t.socket, false);
  // The first listing: one line per window, with its state then (no arrow).
  await waitFor(() => /^\d\d:\d\d:\d\d main:0 sleep {2}(working|waiting)$/m.test(w.out.text), 30_000, `first state line: ${w.out.text}${w.out.err}`);
  // The window rings only after watch has seen it (tmux wait-for inside the pane).
  await newWindow(t.client, { session: 'main', name: 'ring', command: ["tmux wait-for go; sleep 1; printf '\\a'; sleep 30"], detached: true });
  await waitFor(() => /^\d\d:\d\d:\d\d main:1 ring {2}working$/m.test(w.out.text), 15_000, `new window line: ${w.out.text}`);
  await t.run('wait-for', '-S', 'go');
  await waitFor(() => /^\d\d:\d\d:\d\d main:1 ring {2}working → bell$/m.test(w.out.text), 15_000, `bell line: ${w.out.text}`);
  // Selecting it with nobody attached shows it to no one: the bell stays.
  await t.run('select-window', '-t', '=main:1');
  await new Promise((r) => setTimeout(r, 2500));
  assert.doesNotMatch(w.out.text, /ring {2}bell → /, 'a selection alone is nobody looking');
  // A terminal attached to the session shows it to a person: seen.
  const term = pty.spawn(t.client.bin, t.client.argv(['attach-session', '-t', '=main']), { cols: 80, rows: 24, env: t.client.env as Record<string, string> });
  after(() => term.kill());
  await waitFor(() => /^\d\d:\d\d:\d\d main:1 ring {2}bell → (working|waiting)$/m.test(w.out.text), 15_000, `line after the bell: ${w.out.text}`);
  w.p.kill('SIGTERM');
  assert.equal(await w.exited, 0);
  assert.equal(w.out.err, '');
});

test('roost watch --json prints one event object per line', async () => {
  const t = privateTmux();
  await newSession(t.client, { name: 'main', windowName: 'sleep', command: ['sleep', '600'] });
  const w = startWatch(t.socket, true);
  const events = () => w.out.text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  await waitFor(() => events().some((e) => e.index === 0 && e.previous === null && e.baseline === true), 30_000, `first listing: ${w.out.text}${w.out.err}`);
  await newWindow(t.client, { session: 'main', name: 'ring', command: ["tmux wait-for go; sleep 1; printf '\\a'; sleep 30"], detached: true });
  await waitFor(() => events().some((e) => e.name === 'ring'), 15_000, `new window event: ${w.out.text}`);
  await t.run('wait-for', '-S', 'go');
  const bell = await waitFor(() => events().find((e) => e.name === 'ring' && e.state === 'bell'), 15_000, `bell event: ${w.out.text}`);
  assert.equal(bell.type, 'state');
  assert.equal(bell.previous, 'working');
  assert.equal(bell.session, 'main');
  assert.equal(bell.index, 1);
  assert.match(bell.windowId, /^@\d+$/);
  w.p.kill('SIGINT');
  assert.equal(await w.exited, 0);
});
