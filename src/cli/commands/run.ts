/** roost run [--name NAME] [-c DIR] [--env K=V]... [--notify] -- CMD [ARGS...]: start a background job. */
import { UsageError, noExtra, str, type Command } from '../command.js';
import { sweepQuietly, withJobs } from '../jobs.js';

export const run: Command = {
  name: 'run',
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
  --notify             push a notification when it ends (default: config [jobs] notify)
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
      return 0;
    });
  },
};
