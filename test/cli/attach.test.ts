/**
 * `roost attach` and bare `roost` in a real terminal (node-pty) against a
 * private tmux server: create, type, detach, come back to the same process;
 * the command after -- runs only at creation; inside tmux it switches the
 * client instead of nesting; without a terminal it refuses in one line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { killOnExit, privateTmux, testEnv, waitFor, type TestTmux } from '../helpers/tmux.js';
import { detachByKeys, roostTerm, runCli, tempDir, within, ROOST_BIN, type Term } from '../helpers/cli.js';
import { TmuxError } from '../../src/tmux/index.js';
import type { SessionInfo } from '../../src/shared/api.js';

async function sessions(home: string, socket: string): Promise<SessionInfo[]> {
  const r = await runCli(['ls', '--json'], { home, socket });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as SessionInfo[];
}

/** The session of each attached client. */
async function clients(t: TestTmux): Promise<string[]> {
  try {
    return (await t.run('list-clients', '-F', '#{client_session}')).split('\n').filter(Boolean);
  } catch (e) {
    if (e instanceof TmuxError && e.kind === 'no-server') return [];
    throw e;
  }
}

async function attached(t: TestTmux, session: string): Promise<void> {
  await waitFor(async () => (await clients(t)).includes(session), 20000, `a client attached to ${session}`);
}

async function detach(t: TestTmux, term: Term): Promise<void> {
  assert.equal(await detachByKeys(term, t.client), 0, 'the terminal exits after detaching');
}

const alive = (pid: number) => {
  process.kill(pid, 0); // throws if the process is gone
  return true;
};

test('attach creates the session, runs what is typed, and detaching leaves it running', async () => {
  const t = privateTmux();
  const home = tempDir();
  const term = roostTerm(['-L', t.socket, 'attach', 'work'], { home });
  await attached(t, 'work');
  term.write('echo x$((6*7))x\r');
  await term.waitForText('x42x');
  const [s] = await sessions(home, t.socket);
  assert.equal(s?.name, 'work');
  assert.equal(s.attached, 1);
  const pid = s.windows[0]!.panes[0]!.pid;
  await detach(t, term);
  assert.deepEqual(await clients(t), []);
  const [after] = await sessions(home, t.socket);
  assert.equal(after?.name, 'work');
  assert.equal(after.attached, 0);
  assert.equal(after.windows[0]!.panes[0]!.pid, pid);
  assert.ok(alive(pid));

  const again = roostTerm(['-L', t.socket, 'attach', 'work'], { home });
  await attached(t, 'work');
  const [s2] = await sessions(home, t.socket);
  assert.equal(s2!.windows[0]!.panes[0]!.pid, pid, 'the same shell process');
  assert.equal((await sessions(home, t.socket)).length, 1);
  await detach(t, again);
});

test('roost with no arguments creates and attaches "main"', async () => {
  const t = privateTmux();
  const home = tempDir();
  const term = roostTerm(['-L', t.socket], { home });
  await attached(t, 'main');
  assert.deepEqual((await sessions(home, t.socket)).map((s) => s.name), ['main']);
  await detach(t, term);
  const again = roostTerm([], { home, socket: t.socket }); // the socket from ROOST_TMUX_SOCKET this time
  await attached(t, 'main');
  assert.deepEqual((await sessions(home, t.socket)).map((s) => s.name), ['main']);
  await detach(t, again);
});

test('the command after -- runs only when the session is created', async () => {
  const t = privateTmux();
  const home = tempDir();
  const first = roostTerm(['-L', t.socket, 'attach', 'job', '--', 'sh', '-c', 'echo created-$((1+1)); exec sh'], { home });
  await attached(t, 'job');
  await first.waitForText('created-2');
  const pid = (await sessions(home, t.socket))[0]!.windows[0]!.panes[0]!.pid;
  await detach(t, first);

  const second = roostTerm(['-L', t.socket, 'attach', 'job', '--', 'sh', '-c', 'echo second-$((1+1)); exec sh'], { home });
  await attached(t, 'job');
  second.write('echo y$((6*7))y\r'); // once this shows, a second command would have shown too
  await second.waitForText('y42y');
  const pane = await t.run('capture-pane', '-p', '-t', '=job:');
  assert.ok(pane.includes('created-2'));
  assert.ok(!pane.includes('second-2'), pane);
  assert.ok(!second.text().includes('second-2'));
  assert.equal((await sessions(home, t.socket))[0]!.windows[0]!.panes[0]!.pid, pid);
  await detach(t, second);
});

test('without a terminal attach refuses in one line and creates nothing', async () => {
  const t = privateTmux();
  const home = tempDir();
  for (const argv of [['attach', 'work'], []]) {
    const r = await runCli(argv, { home, socket: t.socket });
    assert.equal(r.code, 1, JSON.stringify(argv));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /not a terminal/);
    assert.equal(r.stdout, '');
  }
  assert.deepEqual(await sessions(home, t.socket), []);
});

test('inside tmux, attach switches the client instead of nesting', async () => {
  const t = privateTmux();
  const home = tempDir();
  const term = roostTerm(['-L', t.socket, 'attach', 'work'], { home });
  await attached(t, 'work');
  // Typed into the pane, so TMUX is set by tmux itself.
  const q = (s: string) => `'${s}'`;
  await t.run('send-keys', '-t', '=work:', '-l', '--', `${q(process.execPath)} ${q(ROOST_BIN)} -L ${t.socket} attach other; echo rc=$?`);
  await t.run('send-keys', '-t', '=work:', 'Enter');
  await waitFor(async () => (await clients(t)).includes('other'), 20000, 'the client to switch to other');
  assert.deepEqual(await clients(t), ['other'], 'one client, switched: no nested client');
  await waitFor(async () => (await t.run('capture-pane', '-p', '-t', '=work:')).includes('rc=0'), 20000, 'roost attach to exit 0 in the pane');
  assert.deepEqual((await sessions(home, t.socket)).map((s) => s.name), ['other', 'work']);

  // A second terminal, on work and active later: the one showing the pane moves, not the latest one.
  const second = roostTerm(['-L', t.socket, 'attach', 'work'], { home });
  await waitFor(async () => (await clients(t)).length === 2, 20000, 'a second client');
  second.write('echo z$((6*7))z\r');
  await second.waitForText('z42z');
  // No -L in the pane: tmux itself, and so Roost, uses the server $TMUX names.
  await t.run('send-keys', '-t', '=other:', '-l', '--', `${q(process.execPath)} ${q(ROOST_BIN)} attach third; echo rc=$?`);
  await t.run('send-keys', '-t', '=other:', 'Enter');
  await waitFor(async () => (await clients(t)).includes('third'), 20000, 'the first client to switch to third');
  assert.deepEqual((await clients(t)).sort(), ['third', 'work']);
  await detach(t, second);
  await detach(t, term);
});

test('inside a pane no terminal shows, attach refuses before creating anything and moves no other client', async () => {
  const t = privateTmux();
  const home = tempDir();
  await t.run('new-session', '-d', '-s', 'work');
  await t.run('new-session', '-d', '-s', 'other');
  const pane = (await t.run('display-message', '-p', '-t', '=work:', '#{pane_id}')).trim();
  // As tmux sets them in the pane's shell.
  const inPane = { TMUX: `${t.client.socketPath()},1,0`, TMUX_PANE: pane };
  const refused = async () => {
    const r = await runCli(['attach', 'x'], { home, socket: t.socket, env: inPane });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, 'roost attach: no terminal shows session "work" (this pane\'s), so none can be switched; run roost attach x in a terminal outside tmux, or attach to work first\n');
    assert.deepEqual((await sessions(home, t.socket)).map((s) => s.name), ['other', 'work'], 'nothing created');
  };
  await refused(); // no client at all: tmux itself would say "no current client" after creating x
  // A control-mode client, as the daemon keeps: tmux without -c would move it.
  const control = spawn('tmux', ['-L', t.socket, '-C', 'attach-session', '-t', '=other'], { env: testEnv(), stdio: ['pipe', 'ignore', 'ignore'] });
  killOnExit(control);
  await attached(t, 'other');
  await refused();
  assert.deepEqual(await clients(t), ['other'], 'the control client stays where it was');
  control.stdin.end(); // an empty line ends a control client
  await waitFor(async () => (await clients(t)).length === 0, 10000, 'the control client to leave');
});

test('inside another tmux server, attach refuses in one line and creates nothing', async () => {
  const t = privateTmux();
  const home = tempDir();
  const r = await runCli(['attach', 'work'], { home, socket: t.socket, env: { TMUX: '/tmp/some-other-server,1,0' } });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /inside another tmux server/);
  assert.deepEqual(await sessions(home, t.socket), []);
});

test('attach -- with a program that is not there: one line, exit 1, nothing created; a one-word shell line runs', async () => {
  const t = privateTmux();
  const home = tempDir();
  for (const cmd of [['no-such-program-zz'], ['no-such-program-zz', '-v'], ['./not-here.sh']]) {
    const term = roostTerm(['-L', t.socket, 'attach', 'work', '--', ...cmd], { home });
    const e = await within(term.exited, 20000, 'attach to give up');
    assert.equal(e.exitCode, 1, term.text());
    assert.match(term.text().trim(), /^roost attach: no program "[^"]+" (on PATH|there \(or it is not executable\)); nothing was created$/);
  }
  assert.deepEqual(await sessions(home, t.socket), []);
  const line = roostTerm(['-L', t.socket, 'attach', 'work', '--', 'echo at-$((2+1)); exec sh'], { home });
  await attached(t, 'work');
  await line.waitForText('at-3');
  await detach(t, line);
});

test('attach -c with a directory that does not exist: one line, exit 1, nothing created; a relative one is this shell\'s', async () => {
  const t = privateTmux();
  const home = tempDir();
  const missing = `${home}/no-such-dir`;
  const term = roostTerm(['-L', t.socket, 'attach', 'work', '-c', missing], { home });
  const e = await within(term.exited, 20000, 'attach to give up');
  assert.equal(e.exitCode, 1);
  assert.equal(term.text().trim(), `roost attach: no such directory: ${missing}`);
  assert.deepEqual(await sessions(home, t.socket), []);

  // The terminal's shell is in HOME (roostTerm's cwd): "-c ." starts there, not in the tmux server's folder.
  const here = roostTerm(['-L', t.socket, 'attach', 'work', '-c', '.', '--', 'sh', '-c', 'echo "in:$(pwd)"; exec sh'], { home });
  await attached(t, 'work');
  await here.waitForText(`in:${home}`);
  await detach(t, here);
});
