/**
 * roost restore [--dry-run] [--from GEN] [SESSION...]: bring back the
 * sessions of a snapshot that are not running (src/restore/ does the work).
 */
import { existsSync } from 'node:fs';
import { UserError, localTime, roostCmd, str, type Command, type Context } from '../command.js';
import { quoteWord } from '../../restore/quote.js';
import { commandConfig } from '../config.js';
import { openRoostDb } from '../../daemon/schemas.js';
import { SqlitePaneAgentStore } from '../../attention/pane-agents.js';
import { noSnapshotOf, pickSnapshot, planFor, runRestore, snapshotStore } from '../../restore/restore.js';
import { SnapshotReadError, type SnapshotStore } from '../../restore/store.js';
import type { Snapshot } from '../../restore/model.js';
import { formatOutcome, formatPlan } from '../../restore/format.js';
import type { Progress } from '../../restore/execute.js';
import { generationArg } from './snapshot.js';
import { lostToRestore, markTookOver, serverHistory } from '../../restore/previous-server.js';

/**
 * For a session the chosen snapshot lacks: the newest earlier generation of
 * the same tmux server (socket) that has it. Another server's snapshots share
 * the folder, but theirs is another server's session of that name.
 */
function olderWith(store: SnapshotStore, name: string, before: number, socket: string): number | null {
  for (const g of store.generations()) {
    if (g >= before) continue;
    try {
      const s = store.read(g);
      if (s.server.socket === socket && s.sessions.some((x) => x.name === name)) return g;
    } catch {
      // A damaged generation: look further back.
    }
  }
  return null;
}

function progressLine(ctx: Context): (p: Progress) => void {
  return (p) => {
    if (p.type === 'session') ctx.out(`[${p.n}/${p.total}] ${p.name}: ${p.windows} window${p.windows === 1 ? '' : 's'}, ${p.panes} pane${p.panes === 1 ? '' : 's'}`);
    else if (p.type === 'failed') ctx.err(`[${p.n}/${p.total}] ${p.name}: failed: ${p.error}`);
    else if (p.type === 'running') ctx.out(`[${p.n}/${p.total}] ${p.name}: already running (made while this restore ran): left alone`);
    else if (p.type === 'waiting') ctx.out(`starting programs in ${p.panes} pane${p.panes === 1 ? '' : 's'}...`);
    else ctx.out(`waiting up to ${p.seconds} s for ${p.programs} program${p.programs === 1 ? '' : 's'} to show...`);
  };
}

export const restore: Command = {
  name: 'restore',
  summary: 'bring back the sessions of a snapshot after a reboot or crash',
  usage: `roost restore [--dry-run] [--from GEN] [--json] [SESSION...]

Recreate the sessions of the latest snapshot (or generation GEN, see roost
snapshot ls) that are not running; with SESSION names, only those. A
session that is running is never touched or duplicated, so running this
twice restores once; one another restore makes meanwhile (the daemon's at
start) is left alone as already running. After tmux crashed or was killed
while the daemon ran, the latest snapshot is the newest of the server that
ran before this one, until a restore brought its sessions back: the new
server's own snapshots do not hide what was lost. Panes are numbered as tmux
numbers them (pane-base-index), as in roost snapshot show.

Each window comes back with its name, index and layout, each pane in its
directory showing its saved last lines, then:
  - an agent whose session is known is resumed with its own options
    (claude --model opus as claude --resume ID --model opus; not -c,
    -p or a prompt);
  - a program on the safe list (editors, pagers, tail -f, journalctl -f,
    htop, REPLs) is started again with its arguments;
  - anything else is typed at the prompt but not run: you decide.
[restore] in config.toml changes these rules (docs/restore.md).

Options:
  --dry-run    print what would be done, change nothing
  --from GEN   restore from generation GEN instead of the latest
  --json       (with --dry-run) the plan as JSON; else the outcome as JSON`,
  options: { 'dry-run': { type: 'boolean' }, from: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx, args) {
    const json = args.values['json'] === true;
    const fromArg = str(args, 'from');
    const from = fromArg === undefined ? undefined : generationArg(fromArg, '--from');
    const names = args.positionals;
    const config = commandConfig(ctx).restore;
    const store = snapshotStore(ctx.paths);
    let source;
    try {
      source = pickSnapshot(store, ctx.tmux.socketPath(), from === 'latest' ? undefined : from);
    } catch (e) {
      if (e instanceof SnapshotReadError) throw new UserError(e.message);
      throw e;
    }
    if (!source) throw new UserError(noSnapshotOf(store, ctx.tmux.socketPath(), `${roostCmd(ctx)} restore --from GEN restores one`, roostCmd(ctx)));
    for (const k of source.skipped) ctx.err(`roost restore: ${k.problem}; using snapshot ${source.snapshot.generation}, the newest readable one`);
    let snap = source.snapshot;
    // --from may name another server's snapshot: allowed (moving sessions between servers), but said.
    if (snap.server.socket !== ctx.tmux.socketPath()) ctx.err(`roost restore: snapshot ${snap.generation} was taken of another tmux server (${snap.server.socket}); its sessions go onto this one (${ctx.tmux.socketPath()})`);
    let plan = await planFor(ctx.tmux, snap, config, { only: names, roost: roostCmd(ctx) });
    const history = await serverHistory(store, ctx.tmux);
    const dry = args.values['dry-run'] === true;
    // Every session of the server before this one runs here (a full restore from it, or nothing missing): from now
    // on this server's own snapshots are the ones restored from.
    const tookOver = (from: Snapshot) => markTookOver(ctx.tmux, history, from).catch((e: unknown) => ctx.err(`roost restore: warning: ${(e as Error).message}`));
    // tmux crashed and the daemon snapshotted the new server since: the old server's sessions are what was lost.
    const lost = fromArg === undefined ? lostToRestore(history, snap) : null;
    if (lost) {
      const older = await planFor(ctx.tmux, lost, config, { only: names, roost: roostCmd(ctx) });
      if (older.missing.length === 0 && (names.length > 0 || older.sessions.length > 0)) {
        ctx.err(`roost restore: using snapshot ${lost.generation}, the newest of the tmux server that ran before this one (it stopped: a crash or kill-server); snapshot ${snap.generation} is of this server`);
        snap = lost;
        plan = older;
      } else if (!names.length && older.sessions.length === 0 && !dry) await tookOver(lost);
    }
    if (plan.missing.length) {
      const name = plan.missing[0]!;
      const older = olderWith(store, name, snap.generation, snap.server.socket);
      throw new UserError(`no session ${JSON.stringify(name)} in snapshot ${snap.generation}${older ? `; snapshot ${older} has it: ${roostCmd(ctx)} restore --from ${older} ${quoteWord(name)}` : ''}`);
    }

    if (dry) {
      if (json) ctx.out(JSON.stringify(plan, null, 2));
      else for (const l of formatPlan(plan, ctx.paths.home, localTime(snap.createdAt), (dir) => !existsSync(dir))) ctx.out(l);
      return 0;
    }
    if (plan.sessions.length === 0) {
      // The outcome's shape as a restore that did something prints it (docs/cli.md), so a script reads one shape.
      if (json) ctx.out(JSON.stringify({ generation: snap.generation, restored: [], failed: [], resumed: 0, relaunched: 0, typed: 0, notes: [], skipped: plan.skipped }, null, 2));
      else {
        ctx.out(`nothing to restore: ${plan.skipped.length ? `every session of snapshot ${snap.generation} is running` : `snapshot ${snap.generation} has no sessions`}`);
        // Named ones were wanted: say why each is not restored (and how to get its saved windows).
        if (names.length) for (const s of plan.skipped) ctx.out(`skipped ${s.name}: ${s.why}`);
      }
      if (!names.length) await tookOver(snap);
      return 0;
    }

    let db = null;
    try {
      db = openRoostDb(ctx.paths.stateDir);
    } catch (e) {
      ctx.err(`roost restore: warning: cannot open the database (${(e as Error).message.split('\n')[0]}): resumed agents are known again once their hooks report`);
    }
    let outcome;
    try {
      if (!json) ctx.out(`restoring ${plan.sessions.length} session${plan.sessions.length === 1 ? '' : 's'} from snapshot ${snap.generation} (${localTime(snap.createdAt)})`);
      outcome = await runRestore({ tmux: ctx.tmux, paths: ctx.paths, store, plan, paneAgents: db ? new SqlitePaneAgentStore(db) : undefined, progress: json ? undefined : progressLine(ctx) });
    } finally {
      db?.close();
    }
    if (!names.length && !outcome.failed.length) await tookOver(snap);
    // Skipped when planned, or found running when its turn came (another restore made it): one list either way.
    const skipped = [...plan.skipped, ...outcome.skipped];
    if (json) ctx.out(JSON.stringify({ ...outcome, skipped }, null, 2));
    else {
      for (const n of outcome.notes) ctx.err(`roost restore: ${n}`);
      for (const s of skipped) ctx.out(`skipped ${s.name}: ${s.why}`);
      ctx.out(formatOutcome(outcome));
    }
    return outcome.failed.length ? 1 : 0;
  },
};
