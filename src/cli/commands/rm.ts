/** roost rm NAME | --all-finished: forget finished jobs and delete their logs. */
import { UsageError, noExtra, requireName, type Command } from '../command.js';
import { withJobs } from '../jobs.js';

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
      await jobs.remove(name);
      ctx.out(`removed job ${name}`);
      return 0;
    });
  },
};
