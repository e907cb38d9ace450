/**
 * What a pane runs in its foreground, for the guards, read from /proc:
 * restore's ProcTable (the terminal's foreground process group), plus the
 * case it calls "at the prompt" that is not: a shell without job control
 * (`sh -c claude`, how tmux starts a command with a shell that does not
 * exec it) runs the command as its child in its own process group. One
 * instance per guard check: /proc is scanned at most once.
 */
import { ProcTable, type Foreground } from '../restore/procs.js';
import { allProcesses, procCmdline, procStat, type ProcStat } from '../jobs/procfs.js';

export function foregroundReader(): (panePid: number) => Foreground | null {
  const table = new ProcTable();
  let all: ProcStat[] | null = null;
  return (panePid) => {
    const fg = table.foreground(panePid);
    if (fg) return fg;
    const root = procStat(panePid);
    if (!root) return null;
    all ??= allProcesses();
    const kids = all.filter((p) => p.ppid === panePid && p.pgrp === root.pgrp).sort((a, b) => a.pid - b.pid);
    if (kids.length === 0) return null;
    return { name: kids[0]!.comm, commands: kids.map((k) => procCmdline(k.pid)).filter((a) => a.length > 0) };
  };
}
