/** roost job-runner --state DIR ID (hidden): the process in a job's pane (src/jobs/runner.ts). */
import { UsageError, str, type Command } from '../command.js';
import { openRoostDb } from '../../daemon/schemas.js';
import { runJob } from '../../jobs/runner.js';

export const jobRunner: Command = {
  name: 'job-runner',
  summary: 'run a job in its tmux pane (started by roost run)',
  hidden: true,
  usage: `roost job-runner --state DIR ID

Started by roost run and roost adopt in the job's tmux pane: runs job ID of
the state folder DIR, logs its output, records how it ended. Not for use by hand.`,
  options: { state: { type: 'string' } },
  async run(ctx, args) {
    const stateDir = str(args, 'state');
    const id = Number(args.positionals[0]);
    if (!stateDir || !Number.isSafeInteger(id) || id < 1 || args.positionals.length !== 1) throw new UsageError('needs --state DIR and a job id');
    const code = await runJob({ stateDir, id, env: ctx.env, openDb: () => openRoostDb(stateDir), say: (l) => ctx.err(l) });
    // The pane must die now, so tmux shows it ended: nothing left over (a pipe, a timer) may keep this process.
    process.exit(code);
  },
};
