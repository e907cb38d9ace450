/**
 * `roost adopt PID`: a program already running in another terminal (the
 * guide's "forgot nohup" rescue) moved into a new job. reptyr, run by the
 * job runner in the job's pane, attaches to the process with ptrace and
 * gives it a new terminal whose other end is the pane: from then on its
 * output reaches the job's log and the pane's keys reach it, and it no
 * longer dies with the old terminal.
 *
 * What the kernel and reptyr refuse is checked first (adoptRefusal), so a
 * refusal says exactly why and what to do instead, and changes nothing.
 * An adopted process is not Roost's child: its exit status is not known
 * (the job ends `exited` with no code).
 */
import { JobInputError } from './spec.js';
import { findProgram } from '../process/programs.js';
import { allProcesses, isSameProcess, procCmdline, procCwd, procStat, procUid, ptraceScope, type ProcStat } from './procfs.js';
import type { Jobs } from './jobs.js';
import type { JobRow } from './store.js';
import type { JobInfo } from '../shared/jobs.js';
import { jobDir } from './paths.js';
import { logExtent, readRange } from './log-reader.js';
import { logLines } from '../shared/log-text.js';

/** What the checks look at, gathered from /proc (pure input to adoptRefusal). */
export interface AdoptFacts {
  pid: number;
  stat: ProcStat | null;
  uid: number | null;
  myUid: number;
  cmdline: string[];
  /** Processes of this roost's ancestry (its parent shell, ...). */
  ancestors: readonly number[];
  /** Other processes in the target's process group: [pid, comm]. */
  groupMates: readonly (readonly [number, string])[];
  /** Its children on its terminal, which would stay behind there: [pid, comm]. */
  children: readonly (readonly [number, string])[];
  /** The processes of its terminal's foreground process group when that group is not its own: [pid, comm]. */
  foreground: readonly (readonly [number, string])[];
  ptraceScope: number;
  reptyr: boolean;
  /** The running job whose program this process is already (adopted or started by roost run), by name. */
  job: string | null;
}

const pidComm = (p: ProcStat) => [p.pid, p.comm] as const;

export function gatherAdoptFacts(pid: number, env: NodeJS.ProcessEnv, running: readonly JobRow[] = []): AdoptFacts {
  const stat = procStat(pid);
  const procs = stat ? allProcesses() : [];
  const ancestors: number[] = [];
  for (let p: number | undefined = process.pid; p && p > 1 && ancestors.length < 64;) {
    ancestors.push(p);
    p = procStat(p)?.ppid;
  }
  return {
    pid,
    stat,
    uid: procUid(pid),
    myUid: process.getuid?.() ?? -1,
    cmdline: procCmdline(pid),
    ancestors,
    groupMates: stat ? procs.filter((p) => p.pgrp === stat.pgrp && p.pid !== pid).map(pidComm) : [],
    children: stat ? procs.filter((p) => p.ppid === pid && p.ttyNr === stat.ttyNr).map(pidComm) : [],
    foreground: stat && stat.tpgid > 0 && stat.tpgid !== stat.pgrp ? procs.filter((p) => p.pgrp === stat.tpgid).map(pidComm) : [],
    ptraceScope: ptraceScope(),
    reptyr: findProgram('reptyr', env['PATH'], '/') !== null,
    // The same process, not a reused pid: its start time too.
    job: (stat && running.find((r) => r.pid === pid && r.pidStart === stat.startTime && r.ended === null && r.lost === null)?.name) ?? null,
  };
}

/** Why this process cannot be adopted, in one line with what to do instead; null when it can. */
export function adoptRefusal(f: AdoptFacts): string | null {
  const p = f.pid;
  if (!f.stat || f.uid === null) return `no process ${p} (see ps -u $USER)`;
  if (f.stat.state === 'Z') return `process ${p} has already exited (a zombie waiting for its parent)`;
  if (f.job !== null) return `process ${p} is already job ${f.job}: roost attach ${f.job} reaches it`;
  if (f.uid !== f.myUid) return `process ${p} belongs to another user (uid ${f.uid}, you are uid ${f.myUid}): you can only adopt your own processes`;
  if (f.cmdline.length === 0) return `process ${p} is a kernel thread`;
  if (f.ancestors.includes(p)) return `process ${p} is this roost or the shell it runs in: start the program with roost run instead`;
  if (f.stat.ttyNr === 0) return `process ${p} has no terminal (started with nohup or as a daemon): there is nothing to move; its output goes where its files point (ls -l /proc/${p}/fd)`;
  const shell = shellRefusal(f);
  if (shell) return shell;
  const insteadLone = 'reptyr can move only a lone process; adopt the program itself when it has no children, or stop it and start it again with roost run';
  if (f.groupMates.length > 0) return `process ${p} shares its process group with ${f.groupMates.length} other ${processes(f.groupMates.length)} (${some(f.groupMates)}): ${insteadLone}`;
  if (f.children.length > 0) return `process ${p} (${f.stat.comm}) has ${f.children.length} child ${processes(f.children.length)} on its terminal (${some(f.children)}), which would stay behind: ${insteadLone}`;
  if (f.ptraceScope >= 3) return 'kernel.yama.ptrace_scope is 3: this kernel lets no process attach to another, so nothing can adopt it; start it with roost run next time';
  if (f.ptraceScope >= 1 && f.myUid !== 0) {
    return `kernel.yama.ptrace_scope is ${f.ptraceScope}: the kernel lets reptyr attach only to its own children${f.ptraceScope === 2 ? ' (or as root)' : ''}; allow it until the next reboot with  sudo sysctl kernel.yama.ptrace_scope=0  and run roost adopt ${p} again, or start the program with roost run next time`;
  }
  if (!f.reptyr) return 'reptyr is not installed (Debian: sudo apt-get install reptyr; roost doctor checks it)';
  return null;
}

const processes = (n: number) => (n === 1 ? 'process' : 'processes');
const some = (list: readonly (readonly [number, string])[]) => list.slice(0, 3).map(([pid, comm]) => `${pid} ${comm}`).join(', ');

/**
 * A shell running a program in the foreground of its terminal (the pid
 * people grab is often the shell's): reptyr moving a session leader first
 * gives up its old terminal, and the kernel then hangs up that terminal's
 * foreground process group, so the program would die. The program is what
 * to adopt. A background or stopped job leaves the shell the foreground
 * and is a lone process of its own: adopting that one is fine.
 */
function shellRefusal(f: AdoptFacts): string | null {
  const s = f.stat!;
  if (s.tpgid <= 0 || s.tpgid === s.pgrp) return null;
  // Not the session leader (a shell in a shell, or a background job itself): only its own foreground child is at stake.
  if (s.session !== f.pid && !f.foreground.some(([q]) => f.children.some(([c]) => c === q))) return null;
  const shell = `process ${f.pid} is a shell (${s.comm})`;
  const fg = f.foreground;
  if (fg.length === 1) return `${shell} running ${fg[0]![0]} (${fg[0]![1]}) in the foreground of its terminal: roost adopt ${fg[0]![0]}`;
  if (fg.length === 0) return `${shell} and process group ${s.tpgid} has the foreground of its terminal: moving the shell would hang it up; adopt the program running there`;
  return `${shell} running ${fg.length} processes (${some(fg)}) in the foreground of its terminal: moving the shell would hang them up, and reptyr can move only a lone process; stop them and start the command again with roost run`;
}

/** How long (ms) reptyr may take to move the process (it waits up to a few seconds for the process to stop). */
const ADOPT_WAIT_MS = 20_000;
/** After a failed move, how long (ms) the job's runner may take to record reptyr's end (its log drains first, up to 5 s) before the job can go. */
const END_WAIT_MS = 15_000;
const POLL_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Adopt `pid` as a new job; resolves once the process has its new terminal.
 * A refusal (checked first) or a reptyr failure is a JobInputError, and
 * leaves nothing behind (or says which job it could not remove).
 */
export async function adopt(jobs: Jobs, pid: number, o: { name?: string | undefined; env: NodeJS.ProcessEnv }): Promise<JobInfo> {
  const facts = gatherAdoptFacts(pid, o.env, jobs.store.all());
  const refusal = adoptRefusal(facts);
  if (refusal) throw new JobInputError(refusal);
  const stat = facts.stat!;
  const cwd = procCwd(pid) ?? '/';
  const job = await jobs.start({ name: o.name, command: facts.cmdline, cwd }, { adopt: { pid, pidStart: stat.startTime } });
  const deadline = Date.now() + ADOPT_WAIT_MS;
  for (;;) {
    const row = jobs.store.byId(job.id);
    // reptyr ended (it stays while the program runs, carrying its terminal), or the program did: not adopted,
    // even when it had moved (reptyr's end hangs up the new terminal).
    if (!row || row.ended !== null || !isSameProcess(pid, stat.startTime)) {
      const why = lastWords(jobs, job.id) ?? (isSameProcess(pid, stat.startTime) ? 'reptyr ended without moving it' : 'the process ended');
      const left = (await discard(jobs, job.name)) ? '' : `; job ${job.name} is left (roost logs ${job.name})`;
      throw new JobInputError(`could not adopt process ${pid}: ${why}${left}`);
    }
    const now = procStat(pid);
    // reptyr made the process a session leader on its new terminal.
    if (now && now.ttyNr !== stat.ttyNr && now.ttyNr !== 0) return (await jobs.get(job.name)) ?? job;
    if (Date.now() > deadline) throw new JobInputError(`reptyr has not moved process ${pid} after ${ADOPT_WAIT_MS / 1000} s; job ${job.name} is still trying (roost logs ${job.name} shows what reptyr says)`);
    await sleep(POLL_MS);
  }
}

/**
 * Remove a failed adoption's job once its runner has recorded reptyr's end
 * (a running job cannot be removed, and reptyr may outlive its target for
 * a moment); whether it is gone.
 */
async function discard(jobs: Jobs, name: string): Promise<boolean> {
  const deadline = Date.now() + END_WAIT_MS;
  for (;;) {
    const info = await jobs.get(name).catch(() => undefined);
    if (info === null) return true;
    if (info && info.state !== 'running') return jobs.remove(name).then(() => true, () => false);
    if (Date.now() > deadline) return false;
    await sleep(POLL_MS);
  }
}

/** reptyr's error, as the pane showed it (the job's log). */
function lastWords(jobs: Jobs, id: number): string | null {
  const dir = jobDir(jobs.stateDir, id);
  const { end } = logExtent(dir);
  const { data } = readRange(dir, Math.max(0, end - 4096), end, 4096);
  const lines = logLines(data.toString('utf8')).map((l) => l.trim()).filter((l) => l && !/Timed out waiting/.test(l));
  return lines.length ? lines.slice(-2).join('; ') : null;
}
