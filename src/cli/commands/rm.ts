/** roost rm NAME | --all-finished: forget finished jobs and delete their logs. */
import { UsageError, UserError, noExtra, requireName, roostCmd, type Command } from '../command.js';
import { withJobs } from '../jobs.js';
import { UnknownJobError } from '../../jobs/jobs.js';
import { hasSession } from '../../tmux/index.js';

export const rm: Command = {
  name: 'rm',
  summary: 'forget a finished job and delete its log',
  usage: `roost rm NAME
roost rm --all-finished

Forget job NAME, which has ended (or was lost): delete its log and close its
tmux session (the dead pane with its last screen). A running job is refused:
stop it first (roost stop NAME).

Options:
  --all-finished   every job that is not running`,
  options: { 'all-finished': { type: 'boolean' } },
  async run(ctx, args) {
    noExtra(args, 1);
    const all = args.values['all-finished'] === true;
    if (all && args.positionals.length) throw new UsageError('give a NAME or --all-finished, not both');
    return withJobs(ctx, async (jobs) => {
      if (all) {
        const gone = await jobs.removeFinished();
        ctx.out(gone.length ? `removed ${gone.join(', ')}` : 'no finished jobs');
        return 0;
      }
      const name = requireName(args.positionals[0], 'job name');
      try {
        await jobs.remove(name);
      } catch (e) {
        // A session that is no job: what was meant is probably to end it, which is roost kill's.
        if (e instanceof UnknownJobError && (await hasSession(ctx.tmux, name).catch(() => false))) {
          throw new UserError(`"${name}" is a session, not a job: ${roostCmd(ctx)} kill ${name} ends it and the programs in it`);
        }
        throw e;
      }
      ctx.out(`removed job ${name}`);
      return 0;
    });
  },
};
