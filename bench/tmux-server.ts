/**
 * A private tmux server for one part of the benchmark: its own socket name
 * (-L) in its own TMUX_TMPDIR, no config file, TMUX unset, so the user's own
 * server is never touched; stop() kills it (by kill-server, then by the pid
 * it reported) and removes its folder.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TmuxClient, killServer } from '../src/tmux/index.js';

export interface BenchTmux {
  tmux: TmuxClient;
  /** The environment for everything of this run: TMUX unset, TMUX_TMPDIR and ROOST_TMUX_SOCKET set. */
  env: NodeJS.ProcessEnv;
  socket: string;
  /** The server's pid, once a session made it run (remembered for stop()). */
  serverPid(): Promise<number>;
  stop(): Promise<void>;
}

export function privateTmux(tag: string): BenchTmux {
  const socket = `roost-bench-${tag}-${process.pid}`;
  const dir = join(tmpdir(), socket);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', TMUX_TMPDIR: dir, ROOST_TMUX_SOCKET: socket };
  delete env['TMUX'];
  const tmux = new TmuxClient({ socket, configFile: '/dev/null', env });
  let pid = 0;
  return {
    tmux,
    env,
    socket,
    serverPid: async () => (pid = Number((await tmux.run(['display-message', '-p', '#{pid}'])).trim())),
    stop: async () => {
      await killServer(tmux).catch((e: unknown) => console.error(`bench: kill-server: ${String(e)}`));
      // The server this run started must not outlive it, even if kill-server missed it.
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Already gone: what we wanted.
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
