/**
 * Control clients left by a daemon that died (kill -9, a crash). Each
 * daemon's `tmux -C` clients (control.ts, size-anchor.ts) normally exit when
 * it does: their stdin reaches EOF. But tmux 3.3a lets a control client exit
 * only once the output queued for it is written, and output queued while the
 * daemon was not reading (busy, stopped, hung: when kill -9 is used) can
 * never be written once it is gone: the client stays attached for good, its
 * parent pid 1, and the session shows "(attached)". A starting daemon ends
 * them (SIGTERM: the tmux client leaves at once).
 *
 * Only Roost's own are touched: a control-mode client whose argv is one
 * Roost runs, and whose owner (CONTROL_OWNER_ENV, the daemon that started
 * it) is no longer its parent, so it died (a parent never changes but by
 * dying). A client of an older Roost without that mark counts only when its
 * parent is pid 1.
 */
import { basename } from 'node:path';
import { controlProcess, terminate, type ControlProcess } from '../process/control-owner.js';
import type { TmuxClient } from './client.js';
import { listClients } from './clients.js';

/** Whether `argv` is a control client as Roost starts one: `tmux [server args] [-u] -C attach-session -f FLAGS -t TARGET`. */
export function isRoostControlArgv(argv: readonly string[]): boolean {
  const i = argv.indexOf('attach-session');
  return i > 0 && basename(argv[0] ?? '') === 'tmux' && argv[i - 1] === '-C' && argv[i + 1] === '-f'
    && (argv[i + 2] === 'no-output,ignore-size' || argv[i + 2] === 'no-output') && argv[i + 3] === '-t' && argv.length === i + 5;
}

/** Whether the control client `p` was left by a Roost daemon that died. */
export function leftBehind(p: ControlProcess): boolean {
  if (!isRoostControlArgv(p.argv)) return false;
  return p.owner !== null ? p.ppid !== p.owner : p.ppid === 1;
}

/** End the control clients of `tmux`'s server that dead daemons left; their pids. */
export async function endLeftControlClients(tmux: TmuxClient): Promise<number[]> {
  const ended: number[] = [];
  for (const c of await listClients(tmux)) {
    if (!c.controlMode || c.pid === process.pid) continue;
    const p = controlProcess(c.pid);
    if (p && leftBehind(p) && terminate(c.pid)) ended.push(c.pid);
  }
  return ended;
}
