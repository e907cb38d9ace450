/** roost rename OLD NEW: rename a session (a node session's record follows it: src/slurm/sessions.ts). */
import { UserError, noExtra, requireName, type Command } from '../command.js';
import { sessionToRename } from '../session-name.js';
import { hasSession, listSessions, renameSession, TmuxError } from '../../tmux/index.js';
import { withoutAllocation } from '../../slurm/env.js';
import { thisHost } from '../../slurm/records.js';
import { RequestError } from '../../slurm/request.js';
import { renameNodeSession } from '../../slurm/sessions.js';

export const rename: Command = {
  name: 'rename',
  summary: 'rename a session',
  usage: `roost rename OLD NEW

Rename session OLD to NEW. Programs in it keep running; a node session keeps
its allocation (roost node NEW reaches it). OLD may be a name Roost refuses
(a session made with tmux new -s "my work"): renaming it to a valid name
makes it usable with roost attach and roost kill.`,
  async run(ctx, args) {
    noExtra(args, 2);
    const from = await sessionToRename(ctx, args.positionals[0]);
    const to = requireName(args.positionals[1], 'new session name');
    if (from.name === to) throw new UserError(`session "${to}" is already named so`);
    if (await hasSession(ctx.tmux, to)) throw new UserError(`session "${to}" already exists`);
    try {
      const s = (await listSessions(ctx.tmux)).find((x) => (from.target.startsWith('$') ? x.id === from.target : x.name === from.name));
      if (s?.kind === 'node') {
        await renameNodeSession({ tmux: ctx.tmux, stateDir: ctx.paths.stateDir, host: thisHost(), env: withoutAllocation(ctx.env) }, s, to);
      } else {
        await renameSession(ctx.tmux, from.target, to);
      }
    } catch (e) {
      if (e instanceof TmuxError && (e.kind === 'no-session' || e.kind === 'no-server')) throw new UserError(`no session named "${from.name}" (see roost ls)`);
      if (e instanceof RequestError) throw new UserError(e.message);
      throw e;
    }
    ctx.out(`renamed session ${from.name} to ${to}`);
    return 0;
  },
};
