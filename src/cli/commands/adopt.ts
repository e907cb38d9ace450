/** roost adopt PID [--name NAME]: move a running program from another terminal into a job. */
import { UsageError, noExtra, str, type Command } from '../command.js';
import { withJobs } from '../jobs.js';
import { adopt as adoptProcess } from '../../jobs/adopt.js';

export const adopt: Command = {
  name: 'adopt',
  summary: 'take a program running in another terminal into a job (forgot nohup?)',
  usage: `roost adopt PID [--name NAME] [--json]

Move process PID, running in some other terminal (an SSH session you are
about to close), into a new job: its terminal moves into tmux (reptyr), so
it survives the disconnect, roost attach NAME reaches it, and its output
goes to the job's log from now on (what it printed before stays in the old
terminal, which closes if the program was all that ran there). Its exit
status will not be known: it is not Roost's child. Give the program's pid,
not its shell's.

Refused, with the reason and what to do instead, when the kernel forbids it
(kernel.yama.ptrace_scope), the process is another user's, is a shell
running a program in the foreground, shares its process group or has
children on its terminal, or has no terminal.

Options:
  --name NAME    the job's name (default: from the program, python-1, ...)
  --json         print the job as JSON (schema in docs/cli.md)`,
  options: { name: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx, args) {
    noExtra(args, 1);
    const raw = args.positionals[0];
    if (raw === undefined) throw new UsageError('missing PID');
    if (!/^[1-9]\d{0,9}$/.test(raw)) throw new UsageError(`PID must be a process id (a number), got ${JSON.stringify(raw)}`);
    return withJobs(ctx, async (jobs) => {
      const job = await adoptProcess(jobs, Number(raw), { name: str(args, 'name'), env: ctx.env });
      ctx.out(args.values['json'] ? JSON.stringify(job, null, 2) : job.name);
      return 0;
    });
  },
};
