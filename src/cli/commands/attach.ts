/** roost attach [NAME] [-c DIR] [-- CMD ARGS...]: attach to a session, creating it if needed. */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError, noExtra, str, roostCmd, type Command, type Context } from '../command.js';
import { requireSessionName } from '../session-name.js';
import { attachArgs, hasSession, switchClient, type TmuxClient } from '../../tmux/index.js';
import { createSession } from '../../sessions/create.js';
import { loadConfig } from '../../config/config.js';
import { heldElsewhere } from '../../slurm/listing.js';
import { thisHost } from '../../slurm/records.js';
import { missingSessionProgram } from '../../jobs/spec.js';

export const DEFAULT_SESSION = 'main';

export const attach: Command = {
  name: 'attach',
  summary: 'attach to a session, creating it if it does not exist',
  usage: `roost attach [NAME] [-c DIR] [-- CMD ARGS...]

Attach this terminal to session NAME (default: main). If it does not exist,
create it first: from its template in config.toml, or running CMD (only when
the session is created), in DIR. Inside tmux, switch this client to it
instead of nesting. Detach with the tmux prefix then d (Ctrl-b d).

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
  if (!exists) {
    // As roost new does: a typo in the program is said now, not shown as a dead pane this terminal attaches to.
    const missing = missingSessionProgram(command, ctx.env['PATH'], cwd ?? process.cwd());
    if (missing) throw new UserError(`${missing}; nothing was created`);
    const config = loadConfig(ctx.paths.configFile);
    await createSession(ctx.tmux, { name, cwd, command: command.length ? command : undefined, template: config.sessions[name], home: ctx.paths.home });
  }
  if (inside) {
    await switchClient(ctx.tmux, name);
    return 0;
  }
  return ctx.tmux.runOnTerminal(attachArgs(name));
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
