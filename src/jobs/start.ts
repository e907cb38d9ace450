/**
 * Starting a job: check the request (spec.ts), claim the name (a row; the
 * name is also the tmux session's), make its folder and FIFO, then one tmux
 * command list: a detached session of kind `job` running the job runner
 * (runner.ts), its pane kept when it ends, its output piped into the FIFO.
 * Any failure on the way takes back what was made: a refused job leaves no
 * row, folder or session.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { hasSession, keepPaneArgs, killSession, newSession, pipeToFileArgs, TmuxError, type TmuxClient } from '../tmux/index.js';
import { runProgram } from '../process/run.js';
import { ROOST_BIN } from '../config/install.js';
import { JobStore, NameTakenError, type JobRow } from './store.js';
import { JobInputError, checkCommand, checkDirectory, checkJobName, nameBase, parseEnvPairs } from './spec.js';
import { missingProgram } from '../process/programs.js';
import { makeJobDir, pipePath } from './paths.js';
import type { Launch } from './runner.js';

export interface JobRequest {
  /** Default: from the program (python-1, python-2, ...). */
  name?: string | undefined;
  command: readonly string[];
  /** Absolute (or relative to `base`). */
  cwd: string;
  /** KEY=VALUE pairs added to the environment. */
  env?: readonly string[] | undefined;
  /** Push when it ends; null or absent: config [jobs] notify. */
  notify?: boolean | null | undefined;
}

export interface StartContext {
  db: Database;
  stateDir: string;
  tmux: TmuxClient;
  /** The environment the program inherits (the caller's, as nohup would). */
  env: NodeJS.ProcessEnv;
  logMax: number;
  now: number;
  /** Relative directories resolve against this (the CLI's working directory). */
  base?: string | undefined;
  /** An adopted process: no program to look up; reptyr takes it over. */
  adopt?: { pid: number; pidStart: number } | undefined;
}

/** The runner's argv in the pane: this Node, this Roost, the state folder and the job's id. */
export function runnerArgv(stateDir: string, id: number): string[] {
  return [process.execPath, ROOST_BIN, 'job-runner', '--state', stateDir, String(id)];
}

/** What the program inherits: the caller's environment, `--env` on top, PYTHONUNBUFFERED=1 unless set. */
export function launchEnv(base: NodeJS.ProcessEnv, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  // The runner puts tmux's own in (runner.ts); the caller's would name another server or pane.
  for (const k of ['TMUX', 'TMUX_PANE']) delete env[k];
  Object.assign(env, extra);
  // A pane is a terminal, so Python line-buffers anyway; this also covers programs that check differently.
  env['PYTHONUNBUFFERED'] ??= '1';
  return env;
}

/** Start a job; resolves with its row (session made, runner starting). Throws JobInputError for a refused request. */
export async function startJob(ctx: StartContext, req: JobRequest): Promise<JobRow> {
  const store = new JobStore(ctx.db);
  const command = checkCommand(req.command);
  const cwd = checkDirectory(req.cwd, ctx.base);
  const extra = parseEnvPairs(req.env ?? []);
  const env = launchEnv(ctx.env, extra);
  const missing = ctx.adopt ? null : missingProgram(command[0]!, env['PATH'], cwd);
  if (missing) throw new JobInputError(missing);
  const explicit = req.name !== undefined;
  const launch: Launch = { env };
  const base = nameBase(command[0]!);
  const first = explicit ? 0 : nextNumber(store, base);
  // An automatic name taken meanwhile (a plain session, a job started at the same moment) moves on to the next number.
  for (let n = first; n < first + 50; n++) {
    const name = explicit ? checkJobName(req.name) : `${base}-${n}`;
    const taken = explicit ? store.byName(name) : null;
    if (taken) throw nameInUse(name, taken.tmuxSocket, ctx.tmux.socket ?? null);
    if (await hasSession(ctx.tmux, name)) {
      if (explicit) throw new JobInputError(`the name "${name}" is in use by a session (see roost ls); pick another with --name`);
      continue;
    }
    let id: number;
    try {
      id = store.insert({ ...rowFields(ctx, name, command, cwd, req), launch: JSON.stringify(launch) });
    } catch (e) {
      if (!(e instanceof NameTakenError)) throw e;
      if (explicit) throw nameInUse(name, store.byName(name)?.tmuxSocket ?? null, ctx.tmux.socket ?? null);
      continue;
    }
    return await create(ctx, store, id, name, command);
  }
  throw new JobInputError(`no free name for ${base}-N; give one with --name`);
}

/**
 * A name a job uses, said with where that job is listed: job names are one set for every tmux server (`its`, the
 * job's), and roost jobs lists this one's (`here`).
 */
function nameInUse(name: string, its: string | null, here: string | null): JobInputError {
  const where = its === here ? 'see roost jobs' : `on ${its === null ? 'the default tmux server' : `tmux server ${its}`}: see roost jobs --all`;
  return new JobInputError(`the name "${name}" is in use by a job (${where}); pick another with --name`);
}

function rowFields(ctx: StartContext, name: string, command: string[], cwd: string, req: JobRequest) {
  return {
    name, command, cwd,
    tmuxSocket: ctx.tmux.socket ?? null,
    adopted: Boolean(ctx.adopt),
    notify: req.notify ?? null,
    logMax: ctx.logMax,
    endMarker: randomBytes(12).toString('hex'),
    created: ctx.now,
    pid: ctx.adopt?.pid ?? null,
    pidStart: ctx.adopt?.pidStart ?? null,
  };
}

/** N of the next automatic name "<base>-N": one past the highest in use, so a number is not reused while a job keeps it. */
function nextNumber(store: JobStore, base: string): number {
  let max = 0;
  for (const n of store.namesStartingWith(`${base}-`)) {
    const m = /-(\d{1,9})$/.exec(n);
    if (m && n === `${base}-${m[1]}`) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

async function create(ctx: StartContext, store: JobStore, id: number, name: string, command: string[]): Promise<JobRow> {
  let dir: string | null = null;
  let sessionMade = false;
  try {
    dir = makeJobDir(ctx.stateDir, id);
    const fifo = pipePath(dir);
    const made = await runProgram(['mkfifo', '-m', '600', fifo], { timeoutMs: 10_000 });
    if (!made.ok) throw new Error(`could not make the job's pipe: ${made.message}`);
    const pane = `=${name}:`;
    const sessionId = await newSession(ctx.tmux, {
      name,
      windowName: nameBase(command[0]!),
      command: runnerArgv(ctx.stateDir, id),
      kind: 'job',
      then: [keepPaneArgs(pane), pipeToFileArgs(pane, fifo)],
    });
    sessionMade = true;
    store.setSession(id, sessionId);
    return store.byId(id)!;
  } catch (e) {
    if (sessionMade) await killSession(ctx.tmux, name).catch(() => undefined); // best effort: the error below is what the caller needs
    if (dir) rmSync(dir, { recursive: true, force: true });
    store.remove(id);
    if (e instanceof TmuxError && e.kind === 'duplicate') throw new JobInputError(`the name "${name}" is in use by a session (see roost ls); pick another with --name`);
    throw e;
  }
}
