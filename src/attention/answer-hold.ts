/**
 * A hook report's connection that the daemon has not answered yet, held by
 * a process of its own once the hook has ended (hook-client.ts says why).
 * The hook starts it detached, with the connection as its fd 3 and no
 * stdin, stdout or stderr (Claude waits for the hook's output to close).
 * It ends at the daemon's answer, when the daemon closes the connection,
 * or after HOLD_MS.
 */
import { Socket } from 'node:net';
import { startDetached } from '../process/run.js';
import { HOLD_MS } from './hook-client.js';

/** The hidden option of `roost hook` that makes it the holder. */
export const HOLD_OPTION = 'hold-answer';

/** Start the holder (this CLI again: `roost hook --hold-answer`) with the connection as its fd 3. */
export function handOffAnswer(socket: Socket, cli: string): void {
  // A holder that cannot start costs the report, never the agent.
  startDetached([process.execPath, cli, 'hook', `--${HOLD_OPTION}`], { fd3: socket });
}

/** In the holder: wait for the daemon's answer on `fd` (its first bytes), the connection's end, or `ms`. */
export function holdAnswer(fd = 3, ms = HOLD_MS): Promise<void> {
  return new Promise((resolve) => {
    let s: Socket;
    try {
      s = new Socket({ fd, readable: true, writable: false });
    } catch {
      return resolve(); // no connection on fd 3 (run by hand): nothing to wait for
    }
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      resolve();
    };
    const timer = setTimeout(done, ms);
    s.on('data', done);
    s.on('end', done);
    s.on('error', done);
  });
}
