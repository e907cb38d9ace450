/**
 * What Linux says about a tmux control client that may have been left by a
 * daemon that died: its parent, its argv, and the owner Roost wrote into its
 * environment (CONTROL_OWNER_ENV); and ending one (SIGTERM). Read from
 * /proc, which shows another process's environment only to its own user.
 */
import { readFileSync } from 'node:fs';
import { statFields } from './foreground.js';

/** Set in the environment of every `tmux -C` client Roost starts: the pid of the process that started it. */
export const CONTROL_OWNER_ENV = 'ROOST_CONTROL_OWNER';

export interface ControlProcess {
  ppid: number;
  argv: string[];
  /** CONTROL_OWNER_ENV's pid; null when absent (a client of an older Roost, or another program's). */
  owner: number | null;
}

/** The facts about `pid`, or null when it is gone (or not ours to read). */
export function controlProcess(pid: number): ControlProcess | null {
  try {
    // The fields after the name: state, then ppid.
    const ppid = Number(statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.rest[1]);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const mark = env.find((e) => e.startsWith(`${CONTROL_OWNER_ENV}=`))?.slice(CONTROL_OWNER_ENV.length + 1);
    const owner = mark !== undefined && /^[1-9][0-9]*$/.test(mark) ? Number(mark) : null;
    return Number.isInteger(ppid) ? { ppid, argv, owner } : null;
  } catch {
    return null; // gone, or another user's: either way nothing to end
  }
}

/** Ask a process to end (SIGTERM); false when it was gone already. */
export function terminate(pid: number): boolean {
  try {
    process.kill(pid, 'SIGTERM');
    return true;
  } catch {
    return false; // gone meanwhile (ESRCH), or not ours (EPERM): nothing to end
  }
}
