/**
 * Keeps a read-only view's size out of tmux's window sizing. tmux 3.3a gives
 * an `attach -r` client ignore-size, but honours it only while some attached
 * client WITHOUT ignore-size exists on the server (resize.c,
 * ignore_client_size): with read-only viewers alone, the latest one sizes the
 * window, and the window keeps that size after it leaves.
 *
 * A control-mode client (`tmux -C`) without ignore-size is such a client, and
 * is itself never counted for sizes (it has reported none); with
 * `-f no-output` it is sent no pane output. One is attached to each read-only
 * view before the view's own client and leaves with it: every ignore-size
 * client on the server is then ignored, whoever else is attached.
 *
 * It ends when closed, when its view session is killed, and when the daemon
 * dies (tmux -C exits when its stdin closes).
 */
import type { ChildProcess } from 'node:child_process';
import type { TmuxClient } from './client.js';
import { TmuxError } from './errors.js';

/** View option marking a view with an anchor attached: the listing does not count it as a device. */
export const ANCHOR_OPTION = '@roost_anchor';

/** How long (ms) the control client may take to attach. */
const ATTACH_TIMEOUT_MS = 10_000;

export interface SizeAnchor {
  /** Detach the control client (idempotent). */
  close(): void;
}

/** Attach a size anchor to the view session `viewId` (a tmux id); resolves once tmux has attached it. */
export function anchorSizes(tmux: TmuxClient, viewId: string): Promise<SizeAnchor> {
  const child: ChildProcess = tmux.spawnPiped(['-C', 'attach-session', '-f', 'no-output', '-t', viewId]);
  const close = () => {
    // EOF on stdin makes tmux -C detach and exit; the kill covers a client that is not reading.
    child.stdin?.end();
    if (child.exitCode === null && child.signalCode === null) child.kill();
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(`tmux -C did not attach to ${viewId} within ${ATTACH_TIMEOUT_MS / 1000} s`), ATTACH_TIMEOUT_MS);
    const fail = (message: string) => {
      clearTimeout(timer);
      close();
      reject(new TmuxError(tmux.argv(['-C', 'attach-session', '-t', viewId]), child.exitCode, message, message.includes("can't find session") ? 'no-session' : 'other'));
    };
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      // Control mode says %session-changed once the client is attached; %exit if it could not attach.
      if (/^%session-changed /m.test(out)) {
        clearTimeout(timer);
        out = '';
        // Notifications keep coming (windows added, renamed...): read and drop them so the pipe never fills.
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve({ close });
      } else if (/^%exit/m.test(out)) fail(err.trim() || out.trim());
    });
    child.on('error', (e) => fail(e.message));
    child.on('exit', () => fail(err.trim() || `tmux -C exited before attaching to ${viewId}`));
  });
}
