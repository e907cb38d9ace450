/**
 * The shell block roost init writes, run by a real bash in a real terminal
 * with a temporary HOME: a Cockpit terminal (XDG_SESSION_TYPE=web) ends up
 * attached to "main" on a private tmux server; non-interactive shells, shells
 * inside tmux and (without --ssh) SSH logins do not; without roost on PATH
 * it falls back to tmux itself; if roost fails, the shell carries on; the
 * guide's own auto-attach, copied in before, no longer runs first.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { privateTmux, waitFor, testEnv, RM_TREE } from '../helpers/tmux.js';
import { cliEnv, detachByKeys, runCli, spawnTerm, tempDir, within, ROOST_BIN, type Term } from '../helpers/cli.js';
import { TmuxClient, TmuxError, killServer, listSessions } from '../../src/tmux/index.js';
import { which } from '../../src/setup/host.js';
import { GUIDE_BASHRC } from '../fixtures/guide-snippets.js';

const BASH = which('bash', process.env) ?? '/bin/bash';

/** A HOME set up by roost init, and a PATH where `roost` is this clone's bin/roost. */
async function setUp(initArgs: string[] = []): Promise<{ home: string; path: string }> {
  const home = tempDir('roost-home-');
  const r = await runCli(['init', '--no-layout', ...initArgs], { home });
  assert.equal(r.code, 0, r.stderr);
  const bin = tempDir('roost-bin-');
  symlinkSync(ROOST_BIN, join(bin, 'roost'));
  return { home, path: `${bin}:${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` };
}

async function clients(client: TmuxClient): Promise<string[]> {
  try {
    return (await client.run(['list-clients', '-F', '#{client_session}'])).split('\n').filter(Boolean);
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return [];
    throw e;
  }
}

/** The shell reads commands (so its startup files are done) and no tmux session exists; then leave it. */
async function stillPlainShell(term: Term, client: TmuxClient): Promise<void> {
  term.write('echo plain-$((40+2))\r');
  await term.waitForText('plain-42');
  assert.deepEqual(await listSessions(client), [], 'not attached: no session');
  term.write('exit\r');
  await within(term.exited, 20000, 'bash to exit');
}

function bashTerm(home: string, env: NodeJS.ProcessEnv, args = ['-i']): Term {
  return spawnTerm(BASH, args, { env, cwd: home });
}

test('a Cockpit terminal attaches to "main"; detaching closes it', async () => {
  const t = privateTmux();
  const { home, path } = await setUp();
  const term = bashTerm(home, cliEnv({ home, socket: t.socket, env: { XDG_SESSION_TYPE: 'web', PATH: path } }));
  await waitFor(async () => (await clients(t.client)).includes('main'), 20000, 'a client on main');
  const [main] = await listSessions(t.client);
  assert.equal(main?.name, 'main');
  assert.equal(main.attached, 1);
  assert.equal(await detachByKeys(term, t.client), 0, 'the terminal closes after detaching');
  assert.deepEqual((await listSessions(t.client)).map((s) => s.name), ['main'], 'main keeps running');
});

test('no attach in non-interactive shells, inside tmux, or for SSH logins without --ssh', async () => {
  const t = privateTmux();
  const { home, path } = await setUp();
  const web = cliEnv({ home, socket: t.socket, env: { XDG_SESSION_TYPE: 'web', PATH: path } });

  // `ssh host cmd` runs a non-interactive bash that still reads ~/.bashrc: in a terminal, to be sure attaching was possible.
  const sourced = bashTerm(home, web, ['-c', '. "$HOME/.bashrc"; echo sourced-$((1+1))']);
  await sourced.waitForText('sourced-2');
  assert.equal((await within(sourced.exited, 20000, 'bash -c to exit')).exitCode, 0);
  const plain = await new Promise<number>((res) => execFile(BASH, ['-c', 'true'], { env: web }, (err) => res(err ? 1 : 0)));
  assert.equal(plain, 0);

  // TMUX naming this very server: without the block's own check, roost would create main and switch to it.
  const sameServer = `${join(web['TMUX_TMPDIR']!, `tmux-${process.getuid?.() ?? 0}`, t.socket)},1,0`;
  await stillPlainShell(bashTerm(home, { ...web, TMUX: sameServer }), t.client);
  const ssh = cliEnv({ home, socket: t.socket, env: { SSH_TTY: '/dev/pts/9', PATH: path } });
  await stillPlainShell(bashTerm(home, ssh), t.client);
  assert.deepEqual(await listSessions(t.client), [], 'nothing attached or created');
});

test('--ssh: interactive SSH logins attach too', async () => {
  const t = privateTmux();
  const { home, path } = await setUp(['--ssh']);
  const term = bashTerm(home, cliEnv({ home, socket: t.socket, env: { SSH_TTY: '/dev/pts/9', PATH: path } }));
  await waitFor(async () => (await clients(t.client)).includes('main'), 20000, 'a client on main');
  assert.equal(await detachByKeys(term, t.client), 0, 'the terminal closes');
});

test('if roost fails, the shell carries on with a note', async () => {
  const t = privateTmux();
  const { home, path } = await setUp();
  mkdirSync(join(home, '.config', 'roost'), { recursive: true });
  writeFileSync(join(home, '.config', 'roost', 'config.toml'), 'silence = "soon"\n'); // roost attach fails on it
  const term = bashTerm(home, cliEnv({ home, socket: t.socket, env: { XDG_SESSION_TYPE: 'web', PATH: path } }));
  await term.waitForText('could not attach to tmux session main; continuing in this shell');
  assert.match(term.text(), /config\.toml:1: silence:/);
  await stillPlainShell(term, t.client);
  assert.deepEqual(await listSessions(t.client), []);
});

test('without roost on PATH it falls back to tmux new-session -A -s main', async () => {
  const { home } = await setUp();
  const { sockets, client } = defaultServerHere();
  const env = cliEnv({ home, env: { XDG_SESSION_TYPE: 'web', TMUX_TMPDIR: sockets } });
  const tmuxOnly = tempDir('roost-path-');
  symlinkSync(which('tmux', process.env)!, join(tmuxOnly, 'tmux'));
  env['PATH'] = tmuxOnly;
  const term = bashTerm(home, env);
  await waitFor(async () => (await clients(client)).includes('main'), 20000, 'a client on main');
  assert.equal(await detachByKeys(term, client), 0, 'the terminal closes');
  assert.deepEqual((await listSessions(client)).map((s) => s.name), ['main']);
});

/**
 * tmux's default server, but in a socket folder of this test alone (plain
 * `tmux` and the guide's `exec tmux` have no -L). One hook kills the server
 * and then removes its folder: removing the folder first would leave
 * kill-server no socket to reach, and the server running.
 */
function defaultServerHere(): { sockets: string; client: TmuxClient } {
  const sockets = mkdtempSync(join(tmpdir(), 'roost-sock-'));
  const client = new TmuxClient({ env: { ...testEnv(), TMUX_TMPDIR: sockets } });
  after(async () => {
    await killServer(client);
    rmSync(sockets, RM_TREE);
  });
  return { sockets, client };
}

test('the guide\'s auto-attach copied into ~/.bashrc before roost init: roost\'s block attaches, so main has its layout', async () => {
  const home = tempDir('roost-home-');
  writeFileSync(join(home, '.bashrc'), `export FROM_GUIDE=1\n${GUIDE_BASHRC}`);
  const r = await runCli(['init'], { home });
  assert.equal(r.code, 0, r.stderr);
  const { sockets, client } = defaultServerHere();
  const bin = tempDir('roost-bin-');
  symlinkSync(ROOST_BIN, join(bin, 'roost'));
  const env = cliEnv({ home, env: { XDG_SESSION_TYPE: 'web', TMUX_TMPDIR: sockets, PATH: `${bin}:${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` } });
  const term = bashTerm(home, env);
  await waitFor(async () => (await clients(client)).includes('main'), 20000, 'a client on main');
  // The guide's exec tmux would have made a plain main of one window; roost attach makes it from the layout init wrote.
  const [main] = await listSessions(client);
  assert.deepEqual(main!.windows.map((w) => w.name), ['claude', 'logs', 'shell']);
  assert.equal(await detachByKeys(term, client), 0, 'the terminal closes');
});
