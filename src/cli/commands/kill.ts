/** roost kill NAME: end a session and everything running in it. */
import { UserError, noExtra, type Command } from '../command.js';
import { requireSessionName } from '../session-name.js';
import { killSession, TmuxError } from '../../tmux/index.js';

export const kill: Command = {
  name: 'kill',
  summary: 'end a session and the programs in it',
  usage: `roost kill NAME

End session NAME: every window and the programs running in them.`,
  async run(ctx, args) {
    noExtra(args, 1);
    const name = await requireSessionName(ctx, args.positionals[0]);
    try {
      await killSession(ctx.tmux, name);
    } catch (e) {
      if (e instanceof TmuxError && (e.kind === 'no-session' || e.kind === 'no-server')) throw new UserError(`no session named "${name}" (see roost ls)`);
      throw e;
    }
    ctx.out(`killed session ${name}`);
    return 0;
  },
};
