/** roost attach [NAME] [-c DIR] [-- CMD ARGS...]: attach to a session, creating it if needed. */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError, noExtra, str, roostCmd, type Command, type Context } from '../command.js';
import { requireSessionName } from '../session-name.js';
import { attachArgs, hasSession, listClients, sessionOf, switchClient, type TmuxClient } from '../../tmux/index.js';
import { createSession } from '../../sessions/create.js';
import { commandConfig } from '../config.js';
import { heldElsewhere } from '../../slurm/listing.js';
import { thisHost } from '../../slurm/records.js';
import { missingSessionProgram } from '../../process/programs.js';

export const DEFAULT_SESSION = 'main';

export const attach: Command = {
  name: 'attach',
  takesCommand: true,
  summary: 'attach to a session, creating it if it does not exist',
  usage: `roost attach [NAME] [-c DIR] [-- CMD ARGS...]

Attach this terminal to session NAME (default: main). If it does not exist,
create it first: from its template in config.toml, or running CMD (only when
the session is created), in DIR. Inside tmux, switch the terminal showing
this pane to it instead of nesting (none: exit 1, nothing created). Detach
with the tmux prefix then d (Ctrl-b d).

Options:
  -c, --cwd DIR     starting directory for a new session (an existing one:
                    otherwise nothing is created)
  -L, --socket NAME use the tmux server NAME (tmux -L; also ROOST_TMUX_SOCKET)`,
  options: { cwd: { type: 'string', short: 'c' } },
  async run(ctx, args) {
    noExtra(args, 1);
    const cwd = str(args, 'cwd');
    // A relative DIR is this shell's, not the tmux server's (which tmux would use).
    return attachTo(ctx, await requireSessionName(ctx, args.positionals[0] ?? DEFAULT_SESSION), cwd === undefined ? undefined : resolve(cwd), args.rest);
  },
};

/** Shared by `roost` alone and `roost attach`. */
export async function attachTo(ctx: Context, name: string, cwd: string | undefined, command: string[]): Promise<number> {
  const exists = await hasSession(ctx.tmux, name);
  if (!exists) {
    // A node session held by another login host (they share the home folder): say where, rather than make a new one here.
    const elsewhere = heldElsewhere(name, { stateDir: ctx.paths.stateDir, host: thisHost(), socket: ctx.tmux.socket ?? null });
    if (elsewhere) throw new UserError(elsewhere.message);
  }
  const inside = ctx.env['TMUX'];
  if (!inside && !(ctx.stdin.isTTY && ctx.stdout.isTTY)) {
    throw new UserError(`cannot attach to "${name}": not a terminal (use "${roostCmd(ctx)} new ${name}" to create it detached)`);
  }
  // Refuse before creating anything: a session made here could not be reached from this terminal.
  if (inside && !sameServer(ctx.tmux, inside)) {
    throw new UserError(`this terminal is inside another tmux server; detach first (Ctrl-b d), then run ${roostCmd(ctx)} attach ${name}`);
  }
  // Which terminal to switch, found before creating anything: a session made for no terminal would be left behind.
  const client = inside ? await typingClient(ctx, `${roostCmd(ctx)} attach ${name}`) : null;
  if (!exists) {
    // As roost new does: a typo in the program is said now, not shown as a dead pane this terminal attaches to.
    const missing = missingSessionProgram(command, ctx.env['PATH'], cwd ?? process.cwd());
    if (missing) throw new UserError(`${missing}; nothing was created`);
    const config = commandConfig(ctx);
    await createSession(ctx.tmux, { name, cwd, command: command.length ? command : undefined, template: config.sessions[name], home: ctx.paths.home });
  }
  if (client) {
    await switchClient(ctx.tmux, name, client);
    return 0;
  }
  return ctx.tmux.runOnTerminal(attachArgs(name));
}

/**
 * The tmux client (its name) that `roost attach` typed inside a pane should
 * switch: a terminal showing the pane's session (TMUX_PANE; else the session
 * in $TMUX), the most recently active when several do, as it is the one that
 * just typed the command. Never a control-mode client (the daemon's), a
 * browser's spare or view client (the daemon owns those). None: a UserError
 * saying what to do (`again`: the command to run outside tmux), before
 * anything is created.
 */
export async function typingClient(ctx: Context, again: string): Promise<string> {
  const fromTmuxVar = ctx.env['TMUX']?.split(',')[2];
  const target = ctx.env['TMUX_PANE'] || (fromTmuxVar ? `$${fromTmuxVar}` : undefined);
  const session = target === undefined ? null : await sessionOf(ctx.tmux, target);
  const shows = (await listClients(ctx.tmux))
    .filter((c) => session && c.sessionId === session.id && !c.controlMode && !c.spare && c.viewOf === '')
    .sort((a, b) => b.activity - a.activity);
  if (shows[0]) return shows[0].name;
  const where = session ? `session "${session.name}" (this pane's)` : 'this pane';
  throw new UserError(`no terminal shows ${where}, so none can be switched; run ${again} in a terminal outside tmux${session ? `, or attach to ${session.name} first` : ''}`);
}

/** Does $TMUX (socket path,pid,session) point at the server this client talks to? */
export function sameServer(tmux: TmuxClient, tmuxVar: string): boolean {
  if (tmux.socket === undefined) return true; // no -L: tmux itself uses $TMUX's server
  const path = tmuxVar.split(',')[0] ?? '';
  const mine = tmux.socketPath();
  try {
    return realpathSync(path) === realpathSync(mine);
  } catch {
    return path === mine;
  }
}
