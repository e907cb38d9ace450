/**
 * roost snapshot [ls | show GEN]: take a snapshot of every tmux session now,
 * list the generations kept, or show one (src/restore/ does the work).
 */
import { UsageError, UserError, localTime, noExtra, onlyOptions, printTable, roostCmd, type Command, type Context } from '../command.js';
import { commandConfig } from '../config.js';
import { openRoostDb } from '../../daemon/schemas.js';
import { SqlitePaneAgentStore, type PaneAgent } from '../../attention/pane-agents.js';
import { noSnapshotOf, snapshotStore } from '../../restore/restore.js';
import { takeSnapshot } from '../../restore/snapshot.js';
import { SnapshotReadError, SnapshotWriteError } from '../../restore/store.js';
import { countOf } from '../../restore/model.js';
import { formatSnapshot, plural } from '../../restore/format.js';

/** The agent sessions attention learnt, read from the database; [] (with a warning) when it cannot be opened. */
export function readPaneAgents(ctx: Context): PaneAgent[] {
  let db;
  try {
    db = openRoostDb(ctx.paths.stateDir);
  } catch (e) {
    ctx.err(`roost: warning: agent sessions unknown (cannot open the database: ${(e as Error).message.split('\n')[0]})`);
    return [];
  }
  try {
    return new SqlitePaneAgentStore(db).list();
  } finally {
    db.close();
  }
}

/** A generation number from the command line ("latest" is the newest readable one). */
export function generationArg(value: string | undefined, what: string): number | 'latest' {
  if (value === undefined) throw new UsageError(`missing ${what}`);
  if (value === 'latest') return 'latest';
  if (!/^\d{1,8}$/.test(value) || Number(value) < 1) throw new UsageError(`invalid ${what} ${JSON.stringify(value)}: a generation number (see roost snapshot ls)`);
  return Number(value);
}

const mb = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

export const snapshot: Command = {
  name: 'snapshot',
  summary: 'save every session now; list and show saved snapshots',
  usage: `roost snapshot [--json]
roost snapshot ls [--json]
roost snapshot show GEN|latest [--json]

A snapshot records every tmux session: windows (names, order, layout, the
current one), panes (directory, the program and its command line, title,
the agent session from Claude Code's hooks) and each pane's last lines with
their colours ([restore] lines in config.toml, default 2000). The daemon
takes one after every change to sessions, windows and panes and every few
minutes while output changes; this takes one now. roost restore brings
them back (docs/restore.md).

Snapshots are kept as generations in $XDG_STATE_HOME/roost/snapshots
(~/.local/state/roost/snapshots by default; the newest [restore] keep ones
of each tmux server, default 20); a damaged newest one is skipped for the
one before.

  (none)     take a snapshot now and print its generation
  ls         the generations, newest first
  show GEN   what a generation holds (GEN: a number, or latest)

Options:
  --json     machine-readable output (schemas in docs/cli.md)`,
  options: { json: { type: 'boolean' } },
  async run(ctx, args) {
    const [sub] = args.positionals;
    const json = args.values['json'] === true;
    const store = snapshotStore(ctx.paths);
    if (sub === undefined) {
      onlyOptions(args, 'snapshot', ['json']);
      const config = commandConfig(ctx).restore;
      let r;
      try {
        r = await takeSnapshot({ tmux: ctx.tmux, store, lines: config.lines, keep: config.keep, paneAgents: () => readPaneAgents(ctx) });
      } catch (e) {
        if (e instanceof SnapshotWriteError) throw new UserError(e.message);
        throw e;
      }
      if (json) {
        ctx.out(JSON.stringify(r.snapshot ? { generation: r.generation, ...countOf(r.snapshot), captured: r.captured, reused: r.reused, file: store.fileOf(r.generation!) } : { generation: null }));
      } else if (!r.snapshot) {
        const latest = store.latest(ctx.tmux.socketPath()).snapshot?.generation;
        ctx.out(`no tmux sessions: nothing to save${latest ? ` (snapshot ${latest} stays the latest)` : ''}`);
      } else {
        const c = countOf(r.snapshot);
        ctx.out(`snapshot ${r.generation}: ${plural(c.sessions, 'session')}, ${plural(c.windows, 'window')}, ${plural(c.panes, 'pane')} (${r.captured} captured, ${r.reused} unchanged) in ${store.fileOf(r.generation!)}`);
      }
      return 0;
    }
    if (sub === 'ls' || sub === 'list') {
      onlyOptions(args, `snapshot ${sub}`, ['json']);
      noExtra(args, 1);
      const list = store.list();
      if (json) {
        ctx.out(JSON.stringify(list.map((g) => ({
          generation: g.generation, file: g.file, bytes: g.bytes, ok: g.snapshot !== null, problem: g.problem,
          createdAt: g.snapshot?.createdAt ?? null, pinnedUntil: g.pinnedUntil, sessions: g.snapshot?.sessions.map((s) => s.name) ?? [],
          windows: g.snapshot ? countOf(g.snapshot).windows : 0, panes: g.snapshot ? countOf(g.snapshot).panes : 0,
        })), null, 2));
        return 0;
      }
      if (list.length === 0) {
        ctx.out(`no snapshots yet in ${store.dir} (take one with: roost snapshot)`);
        return 0;
      }
      // The one restore and show latest take: this tmux server's newest (other servers' snapshots share the folder).
      const socket = ctx.tmux.socketPath();
      const latest = list.find((g) => g.snapshot?.server.socket === socket)?.generation;
      const rows = [['GEN', 'TAKEN', 'SESSIONS', 'WINDOWS', 'PANES', 'SIZE', '']];
      for (const g of list) {
        const s = g.snapshot;
        const c = s ? countOf(s) : null;
        rows.push([String(g.generation), localTime(s?.createdAt), c ? String(c.sessions) : '-', c ? String(c.windows) : '-', c ? String(c.panes) : '-', mb(g.bytes),
          s ? `${g.generation === latest ? 'latest: ' : s.server.socket !== socket ? `server ${s.server.socket}: ` : ''}${g.pinnedUntil !== null ? `kept until ${localTime(g.pinnedUntil)}: ` : ''}${s.sessions.map((x) => x.name).join(', ')}` : `unreadable: ${g.problem}`]);
      }
      printTable(ctx, rows);
      return 0;
    }
    if (sub === 'show') {
      onlyOptions(args, 'snapshot show', ['json']);
      noExtra(args, 2);
      const gen = generationArg(args.positionals[1], 'generation');
      let s;
      try {
        if (gen === 'latest') {
          const l = store.latest(ctx.tmux.socketPath());
          for (const k of l.skipped) ctx.err(`roost snapshot: ${k.problem}; showing the one before`);
          if (!l.snapshot) throw new UserError(noSnapshotOf(store, ctx.tmux.socketPath(), 'roost snapshot show GEN shows one', roostCmd(ctx)));
          s = l.snapshot;
        } else s = store.read(gen);
      } catch (e) {
        if (e instanceof SnapshotReadError) throw new UserError(e.message);
        throw e;
      }
      if (json) ctx.out(JSON.stringify(s, null, 2));
      else for (const l of formatSnapshot(s, ctx.paths.home, localTime(s.createdAt))) ctx.out(l);
      return 0;
    }
    throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}: use ls or show (or nothing, to take one)`);
  },
};
