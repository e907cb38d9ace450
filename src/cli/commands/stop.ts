/** roost stop NAME [--signal SIG] [--grace SECONDS]: end a job, politely first. */
import { UsageError, UserError, noExtra, requireName, str, type Command } from '../command.js';
import { withJobs } from '../jobs.js';
import { DEFAULT_GRACE_MS, parseSignal } from '../../jobs/stop.js';
import { describeState } from '../../shared/jobs.js';

export const stop: Command = {
  name: 'stop',
  summary: 'stop a job: SIGTERM, then SIGKILL after a grace period',
  usage: `roost stop NAME [--signal SIG] [--grace SECONDS]

Send SIGTERM (or SIG) to job NAME's process group; if it still runs after
the grace period, send SIGKILL. Returns when the job has ended.

Options:
  -s, --signal SIG    the first signal: a name (TERM, INT, HUP, USR1...) or a number
  --grace SECONDS     how long to wait before SIGKILL (default ${DEFAULT_GRACE_MS / 1000}; 0 kills at once after SIG)`,
  options: { signal: { type: 'string', short: 's' }, grace: { type: 'string' } },
  async run(ctx, args) {
    noExtra(args, 1);
    const name = requireName(args.positionals[0], 'job name');
    const graceOpt = str(args, 'grace');
    if (graceOpt !== undefined && !/^\d{1,6}(\.\d+)?$/.test(graceOpt)) throw new UsageError(`--grace needs a number of seconds, got ${JSON.stringify(graceOpt)}`);
    const sigOpt = str(args, 'signal');
    let signal: NodeJS.Signals = 'SIGTERM';
    try {
      if (sigOpt !== undefined) signal = parseSignal(sigOpt);
    } catch (e) {
      // A bad option value is a usage error (exit 2), as --grace's is: checked before any job is looked at.
      throw new UsageError((e as Error).message);
    }
    return withJobs(ctx, async (jobs) => {
      jobs.row(name);
      const outcome = await jobs.stop(name, { signal, graceMs: graceOpt === undefined ? DEFAULT_GRACE_MS : Number(graceOpt) * 1000 });
      const after = await jobs.get(name);
      const state = after ? describeState(after) : 'gone';
      if (outcome === 'not-running') throw new UserError(`job "${name}" is not running (${state})`);
      if (outcome === 'killed') ctx.out(`${name} did not stop within ${graceOpt ?? DEFAULT_GRACE_MS / 1000} s after ${signal}: sent SIGKILL (${state})`);
      else ctx.out(`stopped ${name} (${state})`);
      return 0;
    });
  },
};
