/**
 * The login-node shell a node window falls back to after its shell on the
 * node ended (runner.ts): the job still held the allocation then, and its
 * end is news for this window too. Cheap signs, each second: the record
 * says it ended (a window whose step ended, `roost node stop`), or the
 * poller's last look says it is over, ending, or past its end. Then Slurm
 * is asked until it gives the final state, and the line goes above the
 * shell's prompt (pane-notice.ts), leaving what was typed there alone.
 */
import type { TmuxClient } from '../tmux/index.js';
import { noticeAbovePrompt } from './pane-notice.js';
import { readPollFile } from './poll-file.js';
import { recordJobEnd, type NodeRecord } from './records.js';
import { isAlive, isEnding, queryJobs } from './slurm-cli.js';

/** How often (ms) a window back on the login node looks for signs that its job ended: files only, no Slurm call. */
const WATCH_MS = 1000;
/** After a sign of the end that proved early (the poller's look is older than Slurm's word), how long (ms) to trust the files alone. */
const EARLY_SIGN_QUIET_MS = 30_000;
/**
 * Seconds left at or under which Slurm's RUNNING is the end arriving, not an
 * early sign: it says RUNNING at its end time and ends the job at its next
 * check (up to ~30 s), then forgets it after MinJobAge (10 s on small
 * clusters). Going quiet then would miss the final state: ask on.
 */
const DUE_S = 5;
/** How often (ms) it asks Slurm once a sign came, until Slurm gives the final state. */
const FINAL_LOOK_MS = 2000;

export interface EndWatchOptions {
  /** The job that held the allocation when the shell on the node ended. */
  jobId: string;
  /** The node session's record, wherever a rename moved it; null once it is gone. */
  record: () => NodeRecord | null;
  stateDir: string;
  /** The poller's file (poll-file.ts), whose last look is one of the signs. */
  pollFile: string;
  /** For squeue: without any allocation's variables. */
  env: NodeJS.ProcessEnv;
  tmux: TmuxClient;
  /** The window's pane, where the line goes above the prompt; null outside tmux. */
  pane: string | null;
  write: (text: string) => void;
  /** Nobody is left to tell (the login-node shell exited, the window was closed): stop. */
  gone: () => boolean;
  /** The line that says how the allocation ended. */
  endLine: (state: string, reason: string | null) => string;
  /** The end was recorded: the window's poller looks at once. */
  ended: () => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Watch until the job ends (then say how, above the prompt) or nobody is left to tell. */
export async function watchEnd(o: EndWatchOptions): Promise<void> {
  const { jobId, gone } = o;
  let looking = false;
  let toldOverdue = false;
  /** After a sign that proved early, the poller's signs wait this long (epoch ms): Slurm is not asked every second. */
  let quietUntil = 0;
  let end: { state: string; reason: string | null } | null = null;
  /** Slurm's last word on the job while it lived: the end was due (the time was up), so a job forgotten after it likely timed out. */
  let due = false;
  while (!gone() && !end) {
    await sleep(looking ? FINAL_LOOK_MS : WATCH_MS);
    const r = o.record();
    // The session's record is gone (the session is going): nobody is left to tell.
    if (!r) return;
    if (!looking) {
      const file = readPollFile(o.pollFile);
      const j = file?.jobs[jobId];
      looking = r.jobId !== jobId || r.ended !== null || (Date.now() >= quietUntil && ((file?.gone.includes(jobId) ?? false)
        || (j !== undefined && (!isAlive(j.state) || isEnding(j) || (j.endAt !== null && Date.now() >= j.endAt)))));
      if (!looking) continue;
    }
    const q = await queryJobs([jobId], o.env);
    // Slurm cannot be asked right now: the next round asks again.
    if (!q.ok) continue;
    const j = q.jobs.get(jobId);
    if (j && (isAlive(j.state) || j.state === 'COMPLETING')) {
      due = j.overdue || (j.timeLeft !== null && j.timeLeft <= DUE_S);
      if (j.overdue && !toldOverdue) {
        toldOverdue = true;
        await notice(o, `job ${jobId} is past its time limit; waiting for Slurm to end it…`);
      }
      // A sign that came early (an estimated end that moved): back to watching unless it is ending or due.
      if (!isEnding(j) && !due && r.ended === null) {
        looking = false;
        quietUntil = Date.now() + EARLY_SIGN_QUIET_MS;
      }
      continue;
    }
    end = j ? { state: j.state, reason: j.reason } : forgotten(o, r, due);
  }
  if (!end || gone()) return;
  const { state, reason } = end;
  const r = o.record();
  if (r) recordJobEnd(o.stateDir, r.name, jobId, state, reason);
  o.ended();
  await notice(o, o.endLine(state, reason));
}

/**
 * How a job Slurm has forgotten (MinJobAge) ended: what the record says,
 * else the poller's last look if it saw the end, else a time limit if the
 * time was up when Slurm last spoke of it, else only that it is over.
 */
function forgotten(o: EndWatchOptions, r: NodeRecord, due: boolean): { state: string; reason: string | null } {
  if (r.ended?.state) return { state: r.ended.state, reason: r.ended.reason };
  const seen = readPollFile(o.pollFile)?.jobs[o.jobId];
  if (seen && !isAlive(seen.state) && seen.state !== 'COMPLETING') return { state: seen.state, reason: seen.reason };
  return due ? { state: 'TIMEOUT', reason: 'TimeLimit' } : { state: 'ENDED', reason: null };
}

/** A line above the login-node shell's prompt; held back while a full-screen program runs there. */
async function notice(o: EndWatchOptions, line: string): Promise<void> {
  while (!o.gone()) {
    const text = await noticeAbovePrompt(o.tmux, o.pane, line);
    if (text !== null) return o.write(text);
    await sleep(WATCH_MS);
  }
}
