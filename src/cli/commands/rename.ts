/** roost rename OLD NEW: rename a session. */
import { UserError, noExtra, requireName, type Command } from '../command.js';
import { sessionToRename } from '../session-name.js';
import { hasSession, renameSession, TmuxError } from '../../tmux/index.js';

export const rename: Command = {
  name: 'rename',
  summary: 'rename a session',
  usage: `roost rename OLD NEW

Rename session OLD to NEW. Programs in it keep running. OLD may be a name
Roost refuses (a session made with tmux new -s "my work"): renaming it to a
valid name makes it usable with roost attach and roost kill.`,
  async run(ctx, args) {
    noExtra(args, 2);
    const from = await sessionToRename(ctx, args.positionals[0]);
    const to = requireName(args.positionals[1], 'new session name');
    if (await hasSession(ctx.tmux, to)) throw new UserError(`session "${to}" already exists`);
    try {
      await renameSession(ctx.tmux, from.target, to);
    } catch (e) {
      if (e instanceof TmuxError && (e.kind === 'no-session' || e.kind === 'no-server')) throw new UserError(`no session named "${from.name}" (see roost ls)`);
      throw e;
    }
    ctx.out(`renamed session ${from.name} to ${to}`);
    return 0;
  },
};
