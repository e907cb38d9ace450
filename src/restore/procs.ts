/**
 * What runs in a pane, read from /proc (Linux): the terminal's foreground
 * process group (tpgid of the pane's first process), and the argv of the
 * processes of that group the pane's shell started (one for a program,
 * several for a pipeline; a program's own children are not listed). A
 * shell running a command string (`bash -c 'claude; exec "$SHELL"'`) is not
 * at a prompt: the program it started is in the foreground. The
 * directory a pane is in is its shell's (/proc/PID/cwd). Where /proc is
 * not there, everything is unknown and callers fall back to what tmux
 * says (pane_current_command, pane_current_path).
 *
 * One ProcTable per snapshot: /proc is scanned at most once, and only if
 * some pane runs something other than its shell.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { isShellName } from '../process/foreground.js';

/** A shell by its argv[0] or comm: "-bash" (a login shell), "/bin/zsh", "bash" (the one list of shells: foreground.ts). */
export const isShell = isShellName;

/**
 * A shell's argv says it runs a command string: `-c` among its options
 * (`bash -c CMD`, `sh -ec CMD`), not an interactive `-i` (a shell with job
 * control puts what it runs in a group of its own).
 */
export function runsCommandString(argv: readonly string[]): boolean {
  for (const a of argv.slice(1)) {
    if (!/^-[A-Za-z]+$/.test(a)) return false; // options end at the first operand (a script, the command string)
    if (a.includes('i')) return false;
    if (a.includes('c')) return true;
  }
  return false;
}

interface Stat {
  comm: string;
  ppid: number;
  pgrp: number;
  tpgid: number;
}

export interface Foreground {
  /** The foreground program's name (comm). */
  name: string;
  /** argv of each process of the job (see above); [] when unreadable. */
  commands: string[][];
  /** A pipeline's first part had ended (its group leader is gone): `commands` are the parts still running. */
  headEnded?: boolean;
}

/** A Foreground read from /proc: with the pid of each entry of `commands` (to read its environment). */
export interface ForegroundJob extends Foreground {
  pids: number[];
}

export class ProcTable {
  private groups: Map<number, number[]> | null = null;

  constructor(private readonly root = '/proc') {}

  /** Whether /proc is there to read at all. */
  available(): boolean {
    return this.stat(process.pid) !== null;
  }

  private stat(pid: number): Stat | null {
    let text: string;
    try {
      text = readFileSync(`${this.root}/${pid}/stat`, 'utf8');
    } catch {
      return null; // gone, or no /proc: unknown
    }
    // "pid (comm) state ppid pgrp session tty_nr tpgid ...": comm may hold spaces and ")".
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    if (open < 0 || close < open) return null;
    const f = text.slice(close + 2).split(' ');
    return { comm: text.slice(open + 1, close), ppid: Number(f[1]), pgrp: Number(f[2]), tpgid: Number(f[5]) };
  }

  /** argv of a process; [] when unreadable (gone, a kernel thread). */
  argv(pid: number): string[] {
    let raw: string;
    try {
      raw = readFileSync(`${this.root}/${pid}/cmdline`, 'utf8');
    } catch {
      return []; // gone between listing and reading: nothing to say about it
    }
    const parts = raw.split('\0');
    // A program that rewrote its title pads with NULs: drop the empty tail.
    while (parts.length && parts[parts.length - 1] === '') parts.pop();
    return parts;
  }

  /** PATH in the environment a process started with (its last exec); undefined when unreadable or unset. */
  startPath(pid: number): string | undefined {
    let raw: string;
    try {
      raw = readFileSync(`${this.root}/${pid}/environ`, 'utf8');
    } catch {
      return undefined; // gone or not ours: its commands stay as they ran
    }
    const v = raw.split('\0').find((e) => e.startsWith('PATH='));
    return v === undefined ? undefined : v.slice('PATH='.length);
  }

  /** The folder a process is in; null when unreadable. A folder removed since reads without its " (deleted)" mark. */
  cwd(pid: number): string | null {
    try {
      return readlinkSync(`${this.root}/${pid}/cwd`).replace(/ \(deleted\)$/, '');
    } catch {
      return null; // gone or not ours: the caller uses what tmux says
    }
  }

  /** Members of each process group, from one scan of /proc. */
  private members(pgrp: number): number[] {
    if (!this.groups) {
      this.groups = new Map();
      let pids: string[];
      try {
        pids = readdirSync(this.root).filter((n) => /^\d+$/.test(n));
      } catch {
        pids = []; // no /proc: no groups known
      }
      for (const p of pids) {
        const st = this.stat(Number(p));
        if (!st) continue;
        const list = this.groups.get(st.pgrp) ?? [];
        list.push(Number(p));
        this.groups.set(st.pgrp, list);
      }
    }
    return this.groups.get(pgrp) ?? [];
  }

  /**
   * A shell in the foreground of its terminal is at its prompt, unless it
   * runs a command string (`sh -c 'claude; exec "$SHELL"'`, as a session
   * template's window command is started): such a shell has no job control,
   * so the program it runs stays in the shell's own (foreground) group, as
   * its child. That child is the program; with none, the shell is between
   * commands and nothing is said.
   */
  private commandString(panePid: number, root: Stat): ForegroundJob | null {
    if (!runsCommandString(this.argv(panePid))) return null;
    const parts = this.members(root.pgrp).filter((p) => p !== panePid && this.stat(p)?.ppid === panePid).sort((a, b) => a - b);
    const leader = parts.length ? this.stat(parts[0]!) : null;
    if (!leader) return null;
    return this.job(leader.comm, parts);
  }

  /** The argv of each of `pids` that is still readable, with its pid. */
  private job(name: string, pids: readonly number[]): ForegroundJob {
    const read = pids.map((pid) => ({ pid, argv: this.argv(pid) })).filter((x) => x.argv.length > 0);
    return { name, commands: read.map((x) => x.argv), pids: read.map((x) => x.pid) };
  }

  /**
   * What is in the foreground of the terminal of pane process `panePid`:
   * null when its shell is (the prompt), or when nothing can be read.
   */
  foreground(panePid: number): ForegroundJob | null {
    const root = this.stat(panePid);
    if (!root || root.tpgid <= 0) return null;
    if (root.tpgid === root.pgrp && isShell(root.comm)) return this.commandString(panePid, root);
    // The job's processes the shell started itself (ppid = the shell), in start order: a pipeline's parts.
    const parts = root.tpgid === root.pgrp ? [panePid] : this.members(root.tpgid).filter((p) => this.stat(p)?.ppid === panePid).sort((a, b) => a - b);
    const leader = this.stat(root.tpgid);
    if (leader) return this.job(leader.comm, parts.length ? parts : [root.tpgid]);
    // The group's leader, a pipeline's first part, ended while later parts run (`grep x f | less`: grep is done);
    // the shell keeps the terminal's foreground on the group until they end. What still runs is the job, less its head.
    const first = parts.length ? this.stat(parts[0]!) : null;
    if (!first) return null;
    return { ...this.job(first.comm, parts), headEnded: true };
  }
}
