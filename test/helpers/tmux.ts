/**
 * A private tmux server per test: its own socket name (-L), no config
 * (-f /dev/null), TMUX unset so nothing nests into the user's server, and
 * killed afterwards. Never the default server.
 */
import { after } from 'node:test';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TmuxClient, killServer, type TmuxArg } from '../../src/tmux/index.js';

let counter = 0;

/**
 * rmSync options for a test's temporary folders: a shell killed with its
 * tmux server may still be writing its history there, so a removal that
 * meets a folder filling up tries again.
 */
export const RM_TREE = { recursive: true, force: true, maxRetries: 5, retryDelay: 100 } as const;

/**
 * Sockets of this test process live in their own folder (TMUX_TMPDIR), away
 * from the user's /tmp/tmux-UID, and the folder goes when the process ends.
 */
const socketDir = join(tmpdir(), `roost-test-${process.pid}`);
mkdirSync(socketDir, { recursive: true, mode: 0o700 });

/** Private servers not yet killed by their `after` hook, with the environment that finds their socket. */
const running = new Map<string, NodeJS.ProcessEnv>();
process.on('exit', () => {
  // A file that never reached its after hooks (stopped below) still kills its servers; exit handlers must be synchronous.
  for (const [socket, env] of running) spawnSync('tmux', ['-L', socket, 'kill-server'], { env, stdio: 'ignore', timeout: 5000 });
  rmSync(socketDir, RM_TREE);
});
// The test runner stops a file that outlives --test-timeout (scripts/run-tests.mjs) with SIGTERM, which by
// default ends the process without its exit handlers: exit instead, so the handlers here and in the other
// helpers stop what the file started.
process.once('SIGTERM', () => process.exit(143));

/** SIGKILL `child` if it still runs when this test process exits, however it exits (an after hook may never come). */
export function killOnExit(child: ChildProcess): void {
  const reap = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', reap);
  child.once('exit', () => process.off('exit', reap));
}

/**
 * An empty HOME for the shells tests start: the machine's own ~/.bashrc can
 * do anything (one here ran `pyenv rehash`, which waits a minute on a stale
 * lock), and a test must not depend on it. The shell is bash, started as a
 * login shell by tmux, reading only /etc/profile.
 */
const shellHome = join(socketDir, 'home');
mkdirSync(shellHome, { recursive: true, mode: 0o700 });

/** Environment for anything a test starts: no TMUX, private socket folder, a plain terminal type, a clean HOME and shell. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env, TERM: 'xterm-256color', TMUX_TMPDIR: socketDir, HOME: shellHome, SHELL: '/bin/bash', ...extra,
  };
  delete env['TMUX'];
  delete env['TMUX_PANE'];
  delete env['ROOST_TMUX_SOCKET'];
  for (const k of ['BASH_ENV', 'ENV', 'ZDOTDIR', 'PROMPT_COMMAND']) delete env[k];
  return env;
}

export interface TestTmux {
  socket: string;
  client: TmuxClient;
  /** Run a raw tmux command on the private server (for setting up and checking). */
  run(...args: TmuxArg[]): Promise<string>;
  kill(): Promise<void>;
}

/** A fresh private server, killed by an `after` hook of the calling test file. */
export function privateTmux(env: NodeJS.ProcessEnv = testEnv()): TestTmux {
  const socket = `roost-test-${process.pid}-${++counter}`;
  const client = new TmuxClient({ socket, configFile: '/dev/null', env });
  const t: TestTmux = {
    socket,
    client,
    run: (...args) => client.run(args),
    kill: async () => {
      await killServer(client);
      running.delete(socket);
    },
  };
  running.set(socket, env);
  after(() => t.kill());
  return t;
}

/**
 * Every deadline is stretched by this much. A deadline says when to call a
 * wait broken, never how fast something must be: on a loaded 2-core CI
 * machine running Chromium beside tmux, a generous one costs nothing when
 * things work and tells a slow machine from a bug.
 */
const DEADLINE_SLACK = 2;

/** A deadline of `ms`, stretched by the slack: for waits that are not `waitFor` (Playwright's `timeout` option). */
export const stretch = (ms: number): number => ms * DEADLINE_SLACK;

/** Whether process `pid` still exists (signal 0 only asks). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Wait until the pane at `target` runs `command`. Right after a spawn it
 * still reads "tmux": the child has forked but not yet exec'd.
 */
export async function waitForCommand(t: TestTmux, target: string, command: string, ms = 10_000): Promise<void> {
  await waitFor(async () => (await t.run('display-message', '-p', '-t', target, '#{pane_current_command}')).trim() === command, ms, `${command} running in ${target}`);
}

/** Poll `check` until it returns a truthy value or `ms` (times the slack) pass. */
export async function waitFor<T>(check: () => T | Promise<T>, ms = 5000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + stretch(ms);
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
