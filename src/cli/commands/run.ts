/** roost run [--name NAME] [-c DIR] [--env K=V]... [--notify] -- CMD [ARGS...]: start a background job. */
import { UsageError, noExtra, str, type Command } from '../command.js';
import type { JobEndReach } from '../../jobs/notify-reach.js';
import { jobEndReachHere, sweepQuietly, withJobs } from '../jobs.js';

/** What sets up a channel; the dashboard's Web Push subscriptions count as channels too. */
const ADD_CHANNEL = 'roost notify add ntfy --url URL --topic TOPIC, or roost notify add webhook --url URL (see roost notify --help)';

/** Why a job's end would reach nobody; the job runs all the same. */
const NOT_REACHED: Record<JobEndReach, ((name: string) => string) | null> = {
  reached: null,
  'no-channel': (name) => `no notification channel is set up, so nothing will be sent when ${name} ends`,
  filtered: (name) => `none of your notification channels takes ${name}'s end (disabled, or left out by its --states or --sessions; see roost notify ls), so nothing will be sent`,
};

export const run: Command = {
  name: 'run',
  takesCommand: true,
  summary: 'run a command as a background job with a log (better nohup)',
  usage: `roost run [--name NAME] [-c DIR] [--env KEY=VALUE]... [--notify] [--json] -- CMD [ARGS...]

Start CMD as a background job: a detached tmux session (kind job) named after
the job, running CMD with exactly these arguments (no shell: write sh -c '...'
for one), in DIR, with your environment. Prints the job's name and returns.

The job survives your logout; it has a real terminal (Python line-buffers,
prompts work: roost attach NAME to answer one); its output goes to a log
(roost logs NAME -f); how it ended is kept (roost jobs) with its last screen.

Options:
  --name NAME          the job's name (default: from the program, python-1, python-2, ...)
  -c, --cwd DIR        working directory (default: the current one)
  --env KEY=VALUE      set a variable for the job (repeatable); PYTHONUNBUFFERED=1 unless set
  --notify             push a notification when it ends (default: config [jobs] notify);
                       says so on stderr when no channel would take it (roost notify add)
  --json               print the job as JSON (schema in docs/cli.md, roost jobs --json)`,
  options: {
    name: { type: 'string' },
    cwd: { type: 'string', short: 'c' },
    env: { type: 'string', multiple: true },
    notify: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(ctx, args) {
    noExtra(args, 0);
    if (!args.dashDash || args.rest.length === 0) throw new UsageError('missing command: roost run [options] -- CMD [ARGS...]');
    return withJobs(ctx, async (jobs) => {
      await sweepQuietly(jobs);
      const job = await jobs.start({
        name: str(args, 'name'),
        command: args.rest,
        cwd: str(args, 'cwd') ?? process.cwd(),
        env: (args.values['env'] as string[] | undefined) ?? [],
        notify: args.values['notify'] === true ? true : null,
      }, { base: process.cwd() });
      // --json: as `roost jobs --json` shows it once running (its session and pid), not the row as just made.
      ctx.out(args.values['json'] ? JSON.stringify((await jobs.started(job.name)) ?? job, null, 2) : job.name);
      if (job.notify) {
        const warning = NOT_REACHED[jobEndReachHere(ctx, job.name)];
        if (warning) ctx.err(`roost run: ${warning(job.name)}; add one: ${ADD_CHANNEL}`);
      }
      return 0;
    });
  },
};
