/**
 * Which panes have a person's shell waiting at its prompt: the process in
 * the foreground of the pane's terminal is an interactive shell (not a
 * program the shell started, not a script its interpreter runs). Read from
 * Linux's /proc: the pane process's `tpgid` (the terminal's foreground
 * process group), then that group leader's name and arguments. Elsewhere,
 * a pane whose current command is a shell counts.
 *
 * What it costs: for each pane whose current command (tmux's
 * pane_current_command) is a shell, two or three small /proc reads; other
 * panes none. The reads are synchronous, into one buffer per call, in
 * batches with the event loop let go in between: /proc answers from memory
 * at once, and a promise, a thread-pool trip and a 64 KiB buffer per read
 * (fs.promises.readFile on a file that reports size 0) cost the daemon
 * ~300 ms of CPU for 800 panes, where this costs ~15 ms (npm run bench).
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** Programs people type commands into. */
const SHELLS: ReadonlySet<string> = new Set([
  'sh', 'bash', 'zsh', 'fish', 'dash', 'ash', 'ksh', 'mksh', 'oksh', 'pdksh', 'yash', 'tcsh', 'csh', 'rc', 'es',
  'nu', 'elvish', 'xonsh', 'pwsh', 'ion', 'murex', 'oil', 'osh', 'ysh',
]);

/** Is `name` (a command name, argv[0] with a path or a login shell's leading "-") a shell? */
export function isShellName(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1).replace(/^-/, '');
  return SHELLS.has(base);
}

/** A shell's arguments when it is interactive: options only (`-l`, `--norc`) or `-i`; a script or `-c` command is not. */
export function interactiveArgs(args: readonly string[]): boolean {
  if (args.includes('-i')) return true;
  return args.every((a) => a.startsWith('-') && a !== '-c' && a !== '-s');
}

/** The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
export function statFields(stat: string): { comm: string; rest: string[] } | null {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  return { comm: stat.slice(open + 1, close), rest: stat.slice(close + 2).split(' ') };
}

/** Panes checked between two turns of the event loop: ~2 ms of reads. */
const BATCH = 100;

/** Reads files of /proc into one buffer, grown for a long command line. */
class ProcReader {
  private buf = Buffer.allocUnsafe(4096);

  /** The file's text, or null when it is not there (the process ended, or no /proc). */
  read(path: string): string | null {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      // Gone (the process ended between tmux's listing and now) or unreadable: this pane is simply not at a prompt.
      return null;
    }
    try {
      let len = 0;
      for (;;) {
        if (len === this.buf.length) {
          const bigger = Buffer.allocUnsafe(this.buf.length * 2);
          this.buf.copy(bigger);
          this.buf = bigger;
        }
        const n = readSync(fd, this.buf, len, this.buf.length - len, null);
        if (n === 0) break;
        len += n;
      }
      return this.buf.toString('utf8', 0, len);
    } catch {
      // The process ended while it was read (ESRCH): as above.
      return null;
    } finally {
      closeSync(fd);
    }
  }
}

export interface PaneProcess {
  id: string;
  /** The pane's first process (tmux pane_pid). */
  pid: number;
  /** tmux pane_current_command: the foreground process's name. */
  command: string;
}

export interface PromptOptions {
  /** Where /proc is (tests); default /proc. */
  procRoot?: string;
  /** No /proc on this system (not Linux): a shell command alone counts. Default: process.platform !== 'linux'. */
  noProc?: boolean;
}

/**
 * The terminal's foreground process group as `pid` sees it (the 8th field of
 * its /proc stat), or null where that cannot be read (no /proc, the
 * process gone).
 */
export function foregroundGroup(pid: number, procRoot = '/proc'): number | null {
  return ownStat(new ProcReader(), procRoot, pid)?.tpgid ?? null;
}

/** `pid`'s stat fields and the terminal's foreground process group it sees (field 8, the 6th after the name); null when unreadable. */
function ownStat(proc: ProcReader, procRoot: string, pid: number): { fields: NonNullable<ReturnType<typeof statFields>>; tpgid: number } | null {
  const stat = proc.read(`${procRoot}/${pid}/stat`);
  const fields = stat === null ? null : statFields(stat);
  const tpgid = fields ? Number.parseInt(fields.rest[5] ?? '', 10) : Number.NaN;
  return fields && Number.isInteger(tpgid) && tpgid > 0 ? { fields, tpgid } : null;
}

/** Is this pane's foreground an interactive shell at its prompt? */
function atPrompt(p: PaneProcess, o: Required<PromptOptions>, proc: ProcReader): boolean {
  if (!isShellName(p.command)) return false;
  if (o.noProc) return true;
  const own = ownStat(proc, o.procRoot, p.pid);
  if (!own) return false;
  const { fields, tpgid } = own;
  const leader = tpgid === p.pid ? fields : statFields(proc.read(`${o.procRoot}/${tpgid}/stat`) ?? '');
  if (!leader || !isShellName(leader.comm)) return false;
  // A shell at its prompt sleeps, waiting for a key. One that runs (R) is working in its own process: a loop
  // typed at the prompt (`while :; do :; done`), or one between two commands (`for ...; do echo; sleep 1; done`).
  if (leader.rest[0] === 'R') return false;
  const cmdline = proc.read(`${o.procRoot}/${tpgid}/cmdline`);
  if (cmdline === null) return false;
  return interactiveArgs(cmdline.split('\0').filter((a) => a !== '').slice(1));
}

/** The ids of the panes whose foreground is a shell at its prompt. */
export async function panesAtPrompt(panes: readonly PaneProcess[], opts: PromptOptions = {}): Promise<Set<string>> {
  const o = { procRoot: opts.procRoot ?? '/proc', noProc: opts.noProc ?? process.platform !== 'linux' };
  const proc = new ProcReader();
  const out = new Set<string>();
  for (let i = 0; i < panes.length; i++) {
    // Let whatever waits (a keystroke for a terminal) go first now and then.
    if (i > 0 && i % BATCH === 0) await new Promise((r) => setImmediate(r));
    if (atPrompt(panes[i]!, o, proc)) out.add(panes[i]!.id);
  }
  return out;
}
