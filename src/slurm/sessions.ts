/**
 * Node sessions as the CLI makes and ends them: create one (record first,
 * then the tmux session whose first window requests the allocation, then
 * wait for Slurm's first answer so a refusal is reported here and leaves
 * nothing behind), add a window on its allocation, ask anew after the
 * allocation ended (--renew), and release it (stop). The windows' own
 * program is runner.ts; what they run is started by the CLI as
 * `roost node-window NAME`.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  globalEnvironmentNames, hasSession, killSession, listSessions, newSession, newWindow, renameSession, TmuxError, unsetGlobalEnvironment, type TmuxClient,
} from '../tmux/index.js';
import type { SessionInfo } from '../shared/api.js';
import { isAllocationVar } from './env.js';
import {
  followSessionNames, heldHere, newRecord, readRecord, recordJobEnd, removeRecord, sessionOfRecord, updateRecord, writeRecord, type NodeRecord,
} from './records.js';
import { heldElsewhere } from './listing.js';
import { jobName, RequestError, type NodeRequest } from './request.js';
import { cancelJob, cancelJobsNamed, isAlive, notInstalled, queryJobs } from './slurm-cli.js';
import { setUpStatusLine } from './status-line.js';

/** How long (ms) to wait for salloc's first word (a grant, a job id, a refusal) before attaching anyway. */
const FIRST_ANSWER_MS = 60_000;
/** How long Slurm may take to answer before the CLI says it is waiting. */
const SLOW_ANSWER_MS = 2000;

export interface NodeCli {
  tmux: TmuxClient;
  stateDir: string;
  host: string;
  /** Without any allocation's variables. */
  env: NodeJS.ProcessEnv;
  /** argv that runs `roost` (node and the CLI's main script), for the windows' program. */
  roost: readonly [string, ...string[]];
  /** Told once when Slurm is slow to give its first answer, so a person waiting sees why. */
  progress?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Is `cmd` an executable on PATH (or a path to one)? */
export function onPath(cmd: string, env: NodeJS.ProcessEnv): boolean {
  const candidates = cmd.includes('/') ? [cmd] : (env['PATH'] ?? '').split(delimiter).filter(Boolean).map((d) => join(d, cmd));
  return candidates.some((p) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      // Not there, or not executable: try the next folder.
      return false;
    }
  });
}

/** The program of a node session's window. */
export function windowArgv(c: NodeCli, name: string, o: { extra: boolean; command?: readonly string[] | undefined }): string[] {
  const socket = c.tmux.socket;
  return [...c.roost, ...(socket !== undefined ? ['-L', socket] : []), 'node-window', name, ...(o.extra ? ['--window'] : []), ...(o.command?.length ? ['--', ...o.command] : [])];
}

/**
 * Keep an allocation's variables out of the tmux server's global
 * environment (a server started inside an allocation copied them), so no
 * later pane inherits them.
 */
export async function scrubServerEnvironment(tmux: TmuxClient): Promise<void> {
  const names = (await globalEnvironmentNames(tmux)).filter(isAllocationVar);
  await unsetGlobalEnvironment(tmux, names);
}

/** Where Slurm is found, for the session: the PATH and SLURM_CONF of the terminal `roost node` was typed in. */
function slurmEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['PATH', 'SLURM_CONF']) if (env[k]) out[k] = env[k]!;
  return out;
}

function requireSlurm(c: NodeCli, request: NodeRequest): void {
  const cmds = request.launcher ? [request.launcher[0]!, 'squeue'] : ['salloc', 'srun', 'squeue'];
  const missing = cmds.find((cmd) => !onPath(cmd, c.env));
  if (missing) throw new RequestError(request.launcher && missing === request.launcher[0] ? `launcher ${missing} not found on PATH` : notInstalled(missing));
}

/**
 * Wait for the first window's first report. A refusal kills the session,
 * drops the record and throws: nothing is left behind. So does `cancel`
 * (Ctrl-C at the CLI) while Slurm has not answered.
 */
async function firstAnswer(c: NodeCli, name: string, sessionId: string, cancel?: AbortSignal): Promise<NodeRecord> {
  const started = Date.now();
  const deadline = started + FIRST_ANSWER_MS;
  let told = false;
  for (let i = 1; ; i++) {
    if (!told && Date.now() - started >= SLOW_ANSWER_MS) {
      told = true;
      c.progress?.(`roost node: waiting for Slurm's answer about ${name}…`);
    }
    if (cancel?.aborted) {
      // Closing the window hangs up its salloc, which withdraws the request; scancel by name covers a job it named
      // in the meantime.
      await killSession(c.tmux, sessionId).catch(() => undefined); // gone already is what is wanted
      removeRecord(c.stateDir, name);
      // A controller slow enough to be interrupted may be slow to take the scancel too: say what is going on.
      c.progress?.(`roost node: cancelling the request for ${name}…`);
      await cancelJobsNamed(jobName(name), c.env);
      throw new RequestError(`the request for ${name} was cancelled; nothing is left behind`);
    }
    let r = readRecord(c.stateDir, name);
    // Every second: is the window still there? One that died (its program failed to start) answers never.
    if (r?.phase === 'requesting' && i % 10 === 0 && !(await hasSession(c.tmux, name))) {
      removeRecord(c.stateDir, name);
      r = null;
    }
    if (!r) {
      // The window went before saying which job it made: whatever salloc made for this name is nobody's now.
      await cancelJobsNamed(jobName(name), c.env);
      throw new RequestError(`the window of node session ${name} ended before Slurm answered`);
    }
    if (r.phase === 'failed') {
      await killSession(c.tmux, sessionId).catch(() => undefined); // its window may have gone already: gone either way
      removeRecord(c.stateDir, name);
      throw new RequestError(`Slurm refused the request: ${r.error ?? 'no reason given'}`);
    }
    if (r.phase !== 'requesting' || Date.now() > deadline) return r;
    await sleep(100);
  }
}

/** What the name-keeping functions below need of NodeCli. */
export type NodeHere = Pick<NodeCli, 'tmux' | 'stateDir' | 'host' | 'env'>;

/**
 * Make `name` free for a node session (a new one, or one renamed to it; no
 * tmux session has that name). A record left there by a session that lives
 * on under another name (renamed by tmux itself) moves to that name: its
 * allocation is in use. One left by a session that is gone (its tmux server
 * died with it) releases what it still held and goes.
 */
async function clearName(c: NodeHere, name: string): Promise<void> {
  const r = readRecord(c.stateDir, name);
  if (!r) return;
  const socket = c.tmux.socket ?? null;
  if (!heldHere(r, c.host, socket)) throw new RequestError(heldElsewhere(name, { stateDir: c.stateDir, host: c.host, socket })!.message);
  const sessions = await listSessions(c.tmux);
  followSessionNames(c.stateDir, c.host, socket, sessions);
  if (!readRecord(c.stateDir, name)) return;
  const owner = sessionOfRecord(r, sessions);
  if (owner) throw new RequestError(`the record of node session ${name} belongs to session ${owner.name}, and ${owner.name} has a record of its own; roost kill one of them first`);
  if (r.jobId && !r.ended && r.phase !== 'failed') await cancelJob(r.jobId, c.env);
  removeRecord(c.stateDir, name);
}

/**
 * Rename node session `s` to `to` (roost rename): the name is made free of
 * records first (clearName), and the record moves with the session, so its
 * windows, roost node TO, ls and the dashboard all follow. The dashboard's
 * rename and tmux's own are followed by whoever polls (followSessionNames).
 */
export async function renameNodeSession(c: NodeHere, s: Pick<SessionInfo, 'id' | 'name' | 'created'>, to: string): Promise<void> {
  await clearName(c, to);
  const socket = c.tmux.socket ?? null;
  // A record whose first window has not marked it yet (or an older Roost's) is marked now, so that it can follow.
  const r = readRecord(c.stateDir, s.name);
  if (r && heldHere(r, c.host, socket) && !r.session) updateRecord(c.stateDir, s.name, (x) => { x.session ??= { id: s.id, created: s.created }; });
  await renameSession(c.tmux, s.id, to);
  followSessionNames(c.stateDir, c.host, socket, await listSessions(c.tmux));
}

/** Create node session `name`; resolves when Slurm has answered (granted, queued) or the wait ran out. */
export async function createNodeSession(c: NodeCli, o: { name: string; request: NodeRequest; command: string[] | null; cwd?: string | undefined; cancel?: AbortSignal }): Promise<NodeRecord> {
  requireSlurm(c, o.request);
  await clearName(c, o.name);
  await scrubServerEnvironment(c.tmux);
  writeRecord(c.stateDir, newRecord({ name: o.name, host: c.host, socket: c.tmux.socket ?? null, request: o.request, command: o.command, now: Date.now() }));
  let id: string;
  try {
    id = await newSession(c.tmux, { name: o.name, kind: 'node', cwd: o.cwd, env: slurmEnvironment(c.env), command: windowArgv(c, o.name, { extra: false }) });
  } catch (e) {
    removeRecord(c.stateDir, o.name);
    throw e;
  }
  await setUpStatusLine(c.tmux, id, 'requesting allocation');
  return firstAnswer(c, o.name, id, o.cancel);
}

/** A new allocation for a node session whose allocation is over: a new first window asks for it. */
export async function renewNodeSession(c: NodeCli, o: { name: string; sessionId: string; request: NodeRequest; command: string[] | null }): Promise<NodeRecord> {
  requireSlurm(c, o.request);
  const old = readRecord(c.stateDir, o.name);
  if (old?.jobId && !old.ended && old.phase !== 'failed') {
    const q = await queryJobs([old.jobId], c.env);
    const j = q.ok ? q.jobs.get(old.jobId) : undefined;
    // Past its time limit the job is as good as over (Slurm refuses new steps and ends it within about 30 s), and
    // --window says to renew: release it now rather than send the user to wait or to `stop`.
    if (j?.overdue) {
      const err = await cancelJob(old.jobId, c.env);
      if (err) throw new RequestError(`scancel ${old.jobId}: ${err}`);
    } else if (!q.ok || (j && isAlive(j.state))) {
      throw new RequestError(`${o.name} still has job ${old.jobId}${j ? ` (${j.state})` : ''}; release it first: roost node stop ${o.name}`);
    }
  }
  writeRecord(c.stateDir, {
    ...newRecord({ name: o.name, host: c.host, socket: c.tmux.socket ?? null, request: o.request, command: o.command ?? old?.command ?? null, now: Date.now() }),
    session: old?.session ?? null,
  });
  await newWindow(c.tmux, { session: o.sessionId, command: windowArgv(c, o.name, { extra: false }) });
  return firstAnswer(c, o.name, o.sessionId);
}

/** Another window on the allocation; resolves with its id (@N). */
export async function addNodeWindow(c: NodeCli, o: { name: string; sessionId: string; command: string[] | null }): Promise<string> {
  const r = readRecord(c.stateDir, o.name);
  if (!r?.jobId || r.ended || r.phase === 'failed') throw new RequestError(`${o.name} has no allocation to open a window on${r?.ended ? ` (it ended: ${r.ended.state}); ask for a new one: roost node ${o.name} --renew` : ''}`);
  const q = await queryJobs([r.jobId], c.env);
  const j = q.ok ? q.jobs.get(r.jobId) : undefined;
  if (q.ok && (!j || j.state !== 'RUNNING')) {
    throw new RequestError(`job ${r.jobId} of ${o.name} is ${j ? j.state : 'over'}${j?.state === 'PENDING' ? `${j.reason ? ` (${j.reason})` : ''}: a window can join once it runs` : `; ask for a new one: roost node ${o.name} --renew`}`);
  }
  // Past its time limit, Slurm refuses new steps and ends the job at its next check (within about 30 s).
  if (j?.overdue) throw new RequestError(`job ${r.jobId} of ${o.name} is past its time limit and Slurm is ending it; ask for a new one: roost node ${o.name} --renew`);
  return newWindow(c.tmux, { session: o.sessionId, command: windowArgv(c, o.name, { extra: true, command: o.command ?? undefined }) });
}

/** What `roost node stop` found: a job it released, a job that was over already (its state; null when Slurm no longer knows it), or no job. */
export type StopOutcome = { kind: 'released'; jobId: string } | { kind: 'over'; jobId: string; state: string | null } | { kind: 'none' };

/**
 * Release the allocation of node session `name` (scancel); the session's
 * windows fall back to login-node shells. With killSession (only where the
 * session is held), end the session too. A job that is over already is not
 * released but recorded as over: scancel says nothing of such a job, and
 * exits 0 (measured with 22.05).
 */
export async function stopNodeSession(c: NodeCli, o: { name: string; killSession: boolean }): Promise<StopOutcome> {
  const r = readRecord(c.stateDir, o.name);
  if (!r) throw new RequestError(`no node session named "${o.name}" (see roost node ls)`);
  const here = r.host === c.host && r.socket === (c.tmux.socket ?? null);
  if (o.killSession && !here) throw new RequestError(`${o.name} is held on ${r.host}${r.host === c.host ? ` by tmux server ${r.socket ?? 'default'}` : ''}: run this there, or without --kill-session`);
  let outcome: StopOutcome = { kind: 'none' };
  if (r.jobId && r.ended) outcome = { kind: 'over', jobId: r.jobId, state: r.ended.state };
  else if (r.jobId && r.phase !== 'failed') {
    const q = await queryJobs([r.jobId], c.env);
    const j = q.ok ? q.jobs.get(r.jobId) : undefined;
    // Over already: nothing to release. When Slurm cannot be asked, scancel all the same (it says why if it fails too).
    if (q.ok && !(j && isAlive(j.state))) {
      outcome = { kind: 'over', jobId: r.jobId, state: j?.state ?? null };
      // COMPLETING: the final state follows within seconds, for the windows to record.
      if (j?.state !== 'COMPLETING') recordJobEnd(c.stateDir, o.name, r.jobId, j?.state ?? 'ENDED', j?.reason ?? null);
    } else {
      const err = await cancelJob(r.jobId, c.env);
      if (err) throw new RequestError(`scancel ${r.jobId}: ${err}`);
      outcome = { kind: 'released', jobId: r.jobId };
    }
  }
  if (o.killSession) {
    try {
      await killSession(c.tmux, o.name);
    } catch (e) {
      // Already gone is what was asked for.
      if (!(e instanceof TmuxError && (e.kind === 'no-session' || e.kind === 'no-server'))) throw e;
    }
    removeRecord(c.stateDir, o.name);
  } else if (outcome.kind === 'released') {
    // The windows record the final state as their steps end; this covers a session whose windows are all on the login node.
    updateRecord(c.stateDir, o.name, (x) => {
      if (!x.ended) Object.assign(x, { phase: 'ended', ended: { state: 'CANCELLED', reason: 'roost node stop', at: Date.now() } });
    });
  }
  return outcome;
}
