/**
 * What Linux says about processes, read from /proc: the one place jobs
 * look at other processes (identity checks before a signal, `roost adopt`'s
 * checks). Everything returns null or [] for a process that is gone.
 */
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  /** The kernel's short name (15 characters at most). */
  comm: string;
  /** R, S, D, T (stopped), Z (zombie), ... */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  /** Controlling terminal (device number); 0 for none. */
  ttyNr: number;
  /** The process group in the foreground of that terminal (-1 without one): a shell's running job, or the shell itself at its prompt. */
  tpgid: number;
  /** Start time in clock ticks after boot: with the pid, it names one process for ever. */
  startTime: number;
}

/** Parse /proc/PID/stat; comm may hold spaces and parentheses, so fields are counted from the last ")". */
export function parseStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state); field N is f[N - 3].
  const n = (i: number) => Number(f[i - 3]);
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: f[0] ?? '?',
    ppid: n(4),
    pgrp: n(5),
    session: n(6),
    ttyNr: n(7),
    tpgid: n(8),
    startTime: n(22),
  };
}

export function procStat(pid: number): ProcStat | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null; // gone, or never was
  }
}

/** The process is alive (not a zombie) and is the one that started at `startTime`. */
export function isSameProcess(pid: number, startTime: number | null): boolean {
  const s = procStat(pid);
  return s !== null && s.state !== 'Z' && (startTime === null || s.startTime === startTime);
}

/** The uid owning the process, or null when it is gone. */
export function procUid(pid: number): number | null {
  try {
    return statSync(`/proc/${pid}`).uid;
  } catch {
    return null;
  }
}

/** Its argv (empty for a kernel thread or a process gone). */
export function procCmdline(pid: number): string[] {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
  } catch {
    return [];
  }
}

export function procCwd(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}

/** Every live process, as parsed stats (a process that ends meanwhile is skipped). */
export function allProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = procStat(Number(d));
    if (s && s.state !== 'Z') out.push(s);
  }
  return out;
}

/**
 * kernel.yama.ptrace_scope: 0 any process of the same user may be traced,
 * 1 only descendants, 2 only with CAP_SYS_PTRACE, 3 never. Without Yama,
 * classic rules: 0.
 */
export function ptraceScope(file = '/proc/sys/kernel/yama/ptrace_scope'): number {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) ? n : 0;
  } catch {
    return 0;
  }
}
