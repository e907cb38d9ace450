/**
 * roost node [NAME] [flags] [-- CMD], roost node ls, roost node stop NAME:
 * sessions that hold a Slurm allocation (docs/cluster.md). The work is in
 * src/slurm/; this file reads the command line and prints.
 */
import { resolve } from 'node:path';
import { localTime, noExtra, onlyOptions, printTable, requireName, str, UsageError, UserError, type Command, type Context, type Parsed } from '../command.js';
import { attachArgs, listSessions, switchClient, windowIndex } from '../../tmux/index.js';
import { runInteractive } from '../../process/run.js';
import { checkDirectory } from '../../sessions/create.js';
import { type Config } from '../../config/config.js';
import { commandConfig } from '../config.js';
import { allocationSummary, timeLeftAt } from '../../shared/node-status.js';
import { shortDuration } from '../../shared/slurm-time.js';
import type { NodeAllocation } from '../../shared/api.js';
import { withoutAllocation } from '../../slurm/env.js';
import { ROOST_BIN } from '../../config/install.js';
import { followSessionNames, listRecords, readRecord, sessionOfRecord, thisHost, type NodeRecord } from '../../slurm/records.js';
import { RequestError, resolveRequest, type NodeRequest, type RequestFlags } from '../../slurm/request.js';
import { allocationsOf, heldElsewhere, type Where } from '../../slurm/listing.js';
import { addNodeWindow, createNodeSession, renewNodeSession, stopNodeSession, type NodeCli } from '../../slurm/sessions.js';
import { sameServer, typingClient } from './attach.js';

const REQUEST_OPTIONS = ['profile', 'time', 'mem', 'cpus', 'gpus', 'partition', 'account', 'qos', 'constraint', 'slurm-arg', 'launcher'];

export const node: Command = {
  name: 'node',
  takesCommand: true,
  summary: 'a session on a Slurm allocation: create, attach, list, release',
  usage: `roost node [NAME] [--profile P] [--time T] [--mem M] [--cpus N] [--gpus N]
           [--partition P] [--account A] [--qos Q] [--constraint C]
           [--slurm-arg=ARG]... [--launcher CMD] [-d] [-c DIR] [-- CMD ARGS...]
roost node NAME --window [-d] [-- CMD ARGS...]
roost node NAME --renew [request options] [-d]
roost node ls [--json]
roost node stop NAME [--kill-session]

Attach to node session NAME (default: [node] name in config.toml, else
"node"), or create it: its first window asks Slurm for an allocation that
belongs to the session (salloc --no-shell), shows why it waits while it is
queued, then runs your login shell (or CMD) on the allocated node. When the
shell on the node ends, the window stays, on the login node, and says how to
get back; when the allocation ends, every window says how it ended.

Request options (override the profile, which overrides [node] in config.toml):
  --profile P        a [node.profiles.P] of config.toml
  --time T           time limit: minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S, UNLIMITED
  --mem M            memory: 4000 (MB), 512M, 48G
  --cpus N           CPUs (--cpus-per-task)
  --gpus N           GPUs: a count or TYPE:COUNT
  --partition P, --account A, --qos Q, --constraint C
  --slurm-arg=ARG    another salloc option, e.g. --slurm-arg=--exclusive (repeatable)
  --launcher CMD     run your site's wrapper (e.g. "sinteractive -g 1") instead of
                     salloc + srun; Roost finds the job it starts

Other options:
  -d, --detach       do not attach; print the state (creating it if needed)
  -c, --cwd DIR      starting directory of a new session (an existing one)
  --window           open another window with a shell (or CMD) on the allocation
  --renew            ask for a new allocation for a session whose allocation ended
  --go               when the session is held on another login host, ssh there
  --json             (ls) print the list as JSON (schema in docs/cli.md)
  --kill-session     (stop) end the tmux session too

roost node ls lists every node session of yours, on every login host: job,
state, reason, nodes, time limit, time left, end, host, windows.
roost node stop NAME releases the allocation (scancel); the session stays,
on the login node, unless --kill-session.`,
  options: {
    profile: { type: 'string' }, time: { type: 'string' }, mem: { type: 'string' }, cpus: { type: 'string' }, gpus: { type: 'string' },
    partition: { type: 'string' }, account: { type: 'string' }, qos: { type: 'string' }, constraint: { type: 'string' },
    'slurm-arg': { type: 'string', multiple: true }, launcher: { type: 'string' },
    detach: { type: 'boolean', short: 'd' }, cwd: { type: 'string', short: 'c' }, window: { type: 'boolean' }, renew: { type: 'boolean' },
    go: { type: 'boolean' }, json: { type: 'boolean' }, 'kill-session': { type: 'boolean' },
  },
  async run(ctx, args) {
    const sub = args.positionals[0];
    if (sub === 'ls') return list(ctx, args);
    if (sub === 'stop') return stop(ctx, args);
    return open(ctx, args);
  },
};

function nodeCli(ctx: Context): NodeCli {
  return {
    tmux: ctx.tmux, stateDir: ctx.paths.stateDir, host: thisHost(), env: withoutAllocation(ctx.env),
    roost: [process.execPath, ROOST_BIN],
    // For a person at a terminal; a script reads the outcome alone.
    progress: ctx.stderr.isTTY ? (line) => ctx.err(line) : undefined,
  };
}

function where(ctx: Context, config: Config): Where {
  return { stateDir: ctx.paths.stateDir, host: thisHost(), socket: ctx.tmux.socket ?? null, env: withoutAllocation(ctx.env), pollSeconds: config.node.poll_seconds };
}

function flags(args: Parsed): RequestFlags {
  const s = (k: string) => str(args, k);
  const extra = args.values['slurm-arg'];
  return {
    profile: s('profile'), time: s('time'), mem: s('mem'), cpus: s('cpus'), gpus: s('gpus'), partition: s('partition'), account: s('account'),
    qos: s('qos'), constraint: s('constraint'), launcher: s('launcher'), slurmArgs: Array.isArray(extra) ? extra : undefined,
  };
}

function request(config: Config, args: Parsed): NodeRequest {
  try {
    return resolveRequest(config.node, flags(args));
  } catch (e) {
    if (e instanceof RequestError) throw new UserError(e.message);
    throw e;
  }
}

/** RequestError (Slurm refused, no Slurm) as the CLI's one-line user error. */
async function asUserError<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof RequestError) throw new UserError(e.message);
    throw e;
  }
}

async function open(ctx: Context, args: Parsed): Promise<number> {
  noExtra(args, 1);
  onlyOptions(args, 'node', [...REQUEST_OPTIONS, 'detach', 'cwd', 'window', 'renew', 'go']);
  const config = commandConfig(ctx);
  const name = requireName(args.positionals[0] ?? config.node.name);
  const detach = args.values['detach'] === true;
  const window = args.values['window'] === true;
  const renew = args.values['renew'] === true;
  if (window && renew) throw new UsageError('--window and --renew do not go together');
  const asked = REQUEST_OPTIONS.some((k) => args.values[k] !== undefined);
  if (window && asked) throw new UsageError('--window uses the allocation the session has: request options do not apply');
  // Checked as roost new checks it (one rule, sessions/create.ts), before anything is asked of Slurm.
  const cwd = str(args, 'cwd');
  const dir = cwd === undefined ? undefined : checkDirectory(resolve(cwd));
  const w = where(ctx, config);

  const elsewhere = heldElsewhere(name, w);
  if (elsewhere) {
    const r = elsewhere.record;
    if (args.values['go'] === true && r.host !== w.host) {
      return runInteractive(['ssh', '-t', r.host, 'roost', ...(r.socket ? ['-L', r.socket] : []), 'node', name]);
    }
    throw new UserError(elsewhere.message);
  }
  const inside = ctx.env['TMUX'];
  if (!detach && !inside && !(ctx.stdin.isTTY && ctx.stdout.isTTY)) throw new UserError(`cannot attach to "${name}": not a terminal (use roost node ${name} -d to create it detached)`);
  if (!detach && inside && !sameServer(ctx.tmux, inside)) throw new UserError(`this terminal is inside another tmux server; detach first (Ctrl-b d), then run roost node ${name}`);

  // The terminal to switch, found before anything is requested or created (attach.ts).
  const client = !detach && inside ? await typingClient(ctx, `roost node ${name}`) : null;
  const c = nodeCli(ctx);
  const sessions = await listSessions(ctx.tmux);
  // A session renamed on the dashboard or with tmux while nobody polled: its record follows it before it is looked up.
  followSessionNames(w.stateDir, w.host, w.socket, sessions);
  const session = sessions.find((s) => s.name === name);
  if (session && session.kind !== 'node') throw new UserError(`a ${session.kind} session named "${name}" exists; pick another name for the node session`);
  const command = args.rest.length ? args.rest : null;
  if (!session) {
    // Without a NAME the default one was meant: `roost node` creates it, and `roost node node` would read oddly.
    if (window || renew) throw new UserError(`no node session named "${name}" (create it with: roost node${args.positionals[0] === undefined ? '' : ` ${name}`})`);
    // Ctrl-C while Slurm has not answered cancels the request and leaves nothing (sessions.ts), rather than
    // ending this process and leaving the window asking.
    const interrupted = new AbortController();
    const onInterrupt = () => interrupted.abort();
    process.on('SIGINT', onInterrupt);
    let rec: NodeRecord;
    try {
      rec = await asUserError(createNodeSession(c, { name, request: request(config, args), command, cwd: dir, cancel: interrupted.signal }));
    } finally {
      process.off('SIGINT', onInterrupt);
    }
    if (detach) return printState(ctx, rec, w);
  } else if (renew) {
    const rec = await asUserError(renewNodeSession(c, { name, sessionId: session.id, request: request(config, args), command }));
    if (detach) return printState(ctx, rec, w);
  } else if (window) {
    const id = await asUserError(addNodeWindow(c, { name, sessionId: session.id, command }));
    if (detach) {
      // The number a person selects it by (C-b N), not tmux's @id.
      ctx.out(`node session ${name}: window ${await windowIndex(ctx.tmux, id)} on the allocation`);
      return 0;
    }
  } else {
    // Checked all the same: a bad option (an unknown profile) is an error, not a note that it was not used.
    if (asked) request(config, args);
    if (asked || command) ctx.err(`roost node: ${name} exists; ${detach ? 'left as it is' : 'attaching'} (request options and CMD apply when it is created, or with --renew)`);
    if (detach) {
      const rec = readRecord(w.stateDir, name);
      if (!rec) throw new UserError(`node session ${name} has no record of its allocation (roost kill ${name} ends the session)`);
      return printState(ctx, rec, w);
    }
  }
  if (client) {
    await switchClient(ctx.tmux, name, client);
    return 0;
  }
  return ctx.tmux.runOnTerminal(attachArgs(name));
}

/** After -d: one line with the state Slurm gives the new allocation. */
async function printState(ctx: Context, rec: NodeRecord, w: Where): Promise<number> {
  const a = (await allocationsOf([rec], w)).get(rec.name)!;
  ctx.out(`node session ${rec.name}: ${allocationSummary(a, Date.now())}${rec.jobId ? ` (job ${rec.jobId})` : ''}`);
  return 0;
}

/** The JSON of `roost node ls --json` (docs/cli.md). */
export interface NodeListEntry extends NodeAllocation {
  name: string;
  /** Held by this host's tmux server (the one roost talks to). */
  here: boolean;
  /** Windows of the session; null when it is held elsewhere. */
  windows: number | null;
  profile: string | null;
}

async function list(ctx: Context, args: Parsed): Promise<number> {
  noExtra(args, 1);
  onlyOptions(args, 'node ls', ['json']);
  const config = commandConfig(ctx);
  const w = where(ctx, config);
  const sessions = listRecords(w.stateDir).some((r) => r.host === w.host && r.socket === w.socket) ? await listSessions(ctx.tmux) : [];
  followSessionNames(w.stateDir, w.host, w.socket, sessions);
  const records = listRecords(w.stateDir);
  const allocations = await allocationsOf(records, w);
  const entries: NodeListEntry[] = records.map((r) => {
    const here = r.host === w.host && r.socket === w.socket;
    const s = here ? sessionOfRecord(r, sessions) : undefined;
    return { name: r.name, here, windows: s ? s.windows.length : null, profile: r.request.profile, ...allocations.get(r.name)! };
  });
  if (args.values['json']) {
    ctx.out(JSON.stringify(entries, null, 2));
    return 0;
  }
  if (entries.length === 0) {
    ctx.out('no node sessions (start one with: roost node)');
    return 0;
  }
  const now = Date.now();
  const dur = (s: number | null) => (s === null ? '-' : shortDuration(s));
  const rows = [['NAME', 'JOB', 'STATE', 'REASON', 'NODES', 'LIMIT', 'LEFT', 'ENDS', 'HOST', 'WINDOWS']];
  for (const e of entries) {
    const running = e.state === 'RUNNING';
    rows.push([
      e.name, e.jobId ?? '-', e.state, e.reason ?? '-', e.nodes ?? '-', dur(e.timeLimit), running ? dur(timeLeftAt(e, now)) : '-',
      running && e.endAt !== null ? localTime(e.endAt) : '-', e.here ? `${e.host} (here)` : e.host, e.windows === null ? '-' : String(e.windows),
    ]);
  }
  printTable(ctx, rows);
  return 0;
}

async function stop(ctx: Context, args: Parsed): Promise<number> {
  noExtra(args, 2);
  onlyOptions(args, 'node stop', ['kill-session']);
  const name = requireName(args.positionals[1]);
  const killed = args.values['kill-session'] === true;
  const o = await asUserError(stopNodeSession(nodeCli(ctx), { name, killSession: killed }));
  const what = o.kind === 'released' ? `released job ${o.jobId} of node session ${name}`
    : o.kind === 'none' ? `node session ${name} had no allocation to release`
    : o.state ? `job ${o.jobId} of node session ${name} had already ended (${o.state}); nothing to release`
    : `Slurm no longer knows job ${o.jobId} of node session ${name} (it ended); nothing to release`;
  ctx.out(killed ? `${what}; killed the session` : what);
  return 0;
}
