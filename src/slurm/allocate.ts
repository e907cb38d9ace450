/**
 * A node session's allocation: `salloc --no-shell` in the session's first
 * window (runner.ts), with salloc's stderr turned into the session's record
 * (queued, granted, refused) and the window's screen (the wait counted until
 * Slurm's first answer, then the queue's screen: pending-view.ts); and
 * Slurm's final word on a job once its step ended (finalState).
 */
import { runProgram } from '../process/run.js';
import { readPollFile } from './poll-file.js';
import { renderAsking, renderPending } from './pending-view.js';
import type { NodeRecord } from './records.js';
import { jobName, requestOptions, sallocArgv } from './request.js';
import { isEnding, notInstalled, oneLine, queryJobs, type JobObservation } from './slurm-cli.js';

/** How long (ms) to wait for a COMPLETING job to reach its final state before saying what is known. */
const FINAL_STATE_WAIT_MS = 10_000;
/** The same for a job past its time limit: Slurm enforces limits about every 30 s (../shared/reference/slurm.md). */
const OVERDUE_WAIT_MS = 45_000;
const REDRAW_MS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A job's last state as squeue gave it, or ENDED once Slurm no longer lists it. */
export type FinalState = JobObservation | { state: string; reason: null; nodes: null; timeLeft: null };

/** What allocate needs of its window. */
export interface AllocateIo {
  /** The session's name now (a rename changes it). */
  name: () => string;
  /** Change the session's record, wherever its name now is. */
  update: (change: (r: NodeRecord) => void) => void;
  env: NodeJS.ProcessEnv;
  /** The poll file (poller.ts), for the queue's screen. */
  pollPath: string;
  /** Draw on the window. */
  write: (text: string) => void;
  /** One line for the user ("roost: ..."). */
  say: (line: string) => void;
  /** Name the window's program as tmux shows it. */
  title: (t: string) => void;
  /** The job changed: look at Slurm now. */
  wake: () => void;
  /** The window was closed. */
  hungUp: () => boolean;
}

/** salloc --no-shell; resolves with the granted job's id, or null (refused, cancelled, the window closed). */
export async function allocate(r: NodeRecord, io: AllocateIo): Promise<string | null> {
  let jobId: string | null = null;
  let since: number | null = null;
  let sallocSays: string | null = null;
  const errors: string[] = [];
  let partial = '';
  const draw = () => {
    if (since === null || !jobId) return;
    const file = readPollFile(io.pollPath);
    io.write(renderPending({
      session: io.name(), jobId, jobName: jobName(r.name), submittedAt: since, asked: requestOptions(r.request),
      job: file?.jobs[jobId], sallocSays, now: Date.now(),
    }));
  };
  const onLine = (line: string) => {
    const p = /Pending job allocation (\d+)/.exec(line);
    const g = /Granted job allocation (\d+)/.exec(line);
    if (p) {
      jobId = p[1]!;
      since = Date.now();
      io.update((x) => Object.assign(x, { phase: 'queued', jobId, queued: true, submittedAt: since }));
      draw();
      io.wake();
    } else if (g) {
      jobId = g[1]!;
    } else if (/^salloc: (error|fatal)/i.test(line)) {
      errors.push(line);
    } else if (line.trim()) {
      sallocSays = line.replace(/^salloc: /, '').trim();
      draw();
    }
  };
  io.write(`roost node ${r.name}: asking Slurm for an allocation (${requestOptions(r.request).join(' ')})\r\n`);
  io.title('queued');
  // Every second: the queue's screen once Slurm has queued the job; before its first answer (a busy
  // controller can take a while) the wait counted, so the user sees it is not stuck and the window
  // is working, not waiting.
  const asked = Date.now();
  let counted = false;
  const timer = setInterval(() => {
    if (since !== null) return draw();
    counted = true;
    io.write(renderAsking(Date.now() - asked));
  }, REDRAW_MS);
  const res = await runProgram(sallocArgv(r.name, r.request), {
    env: io.env,
    // salloc waits while the job is queued, for as long as that takes.
    timeoutMs: 0,
    onStderr: (text) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      for (const l of lines) onLine(l);
    },
  });
  if (partial) onLine(partial);
  clearInterval(timer);
  if (counted && since === null) io.write('\r\n');
  if (io.hungUp()) return null;
  const id = jobId as string | null;
  if (res.ok && id) {
    const now = Date.now();
    io.update((x) => Object.assign(x, { phase: 'running', jobId: id, grantedAt: now, submittedAt: x.submittedAt ?? now }));
    io.wake();
    if (since !== null) io.write('\x1b[H\x1b[2J');
    io.write(`roost: allocation ${id} granted; starting a shell on the node\r\n`);
    return id;
  }
  if (id) {
    // Queued, then revoked: Ctrl-C, scancel, a signal.
    const end = await finalState(id, io.env, io);
    io.update((x) => Object.assign(x, { phase: 'ended', ended: { state: end?.state ?? 'CANCELLED', reason: end?.reason ?? null, at: Date.now() } }));
    io.wake();
    // The queue's screen goes: its "Ctrl-C cancels the request" would be wrong now.
    if (since !== null) io.write('\x1b[H\x1b[2J');
    io.say(`the request (job ${id}) ended before it started: ${end?.state ?? 'CANCELLED'}. A new one: roost node ${io.name()} --renew`);
    return null;
  }
  const error = res.ok ? 'salloc named no job' : res.kind === 'not-found' ? notInstalled('salloc') : oneLine(errors.join('\n') || res.stderr) || res.message;
  io.update((x) => Object.assign(x, { phase: 'failed', error }));
  io.say(`Slurm refused the request: ${error}`);
  return null;
}


/** squeue for one job until it is past COMPLETING and past its time limit; null when Slurm cannot be asked. */
export async function finalState(jobId: string, env: NodeJS.ProcessEnv, w: { hungUp: () => boolean; say: (line: string) => void }): Promise<FinalState | null> {
  // Each way of ending gets its own wait: overdue, then COMPLETING, then the final state.
  let phase = '';
  let since = 0;
  for (;;) {
    const q = await queryJobs([jobId], env);
    if (!q.ok) return null;
    const j = q.jobs.get(jobId);
    if (!j) return { state: 'ENDED', reason: null, nodes: null, timeLeft: null };
    if (!isEnding(j)) return j;
    const now = Date.now();
    const seen = j.overdue ? 'overdue' : j.state;
    if (seen !== phase) {
      phase = seen;
      since = now;
      // A step refused or cut short because the time is up: Slurm says TIMEOUT at its next check, up to ~30 s away.
      if (j.overdue && !w.hungUp()) w.say(`job ${jobId} is past its time limit; waiting for Slurm to end it…`);
    }
    if (now > since + (j.overdue ? OVERDUE_WAIT_MS : FINAL_STATE_WAIT_MS)) return j;
    await sleep(500);
  }
}
