/** roost jobs [--all] [--json]: background jobs and how they are doing. */
import { localTime, noExtra, printTable, roostCmd, type Command } from '../command.js';
import { commandLine, describeState, formatBytes, formatDuration, type JobInfo } from '../../shared/jobs.js';
import { sweepQuietly, withJobs } from '../jobs.js';

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'list background jobs: state, exit status, log size',
  usage: `roost jobs [--all] [--json]

List the background jobs (roost run, roost adopt) of this tmux server: name,
state, pid, when it started and ended, how long it ran, log size, directory
and command. Finished jobs stay listed until roost rm (or the retention
period, config [jobs] retention_days, default 14 days). States:
  running          the program runs
  exited N         it ended with exit status N
  killed by SIG    a signal ended it
  lost             nobody saw it end (the machine rebooted, its runner was
                   killed); its log is kept

Options:
  --all     also jobs started on other tmux servers (roost -L NAME run ...),
            with a SERVER column: the -L name, or default
  --json    print an array of jobs (schema in docs/cli.md)`,
  options: { all: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(ctx, args) {
    noExtra(args, 0);
    return withJobs(ctx, async (jobs) => {
      await sweepQuietly(jobs);
      const list = await jobs.list({ all: args.values['all'] === true });
      if (args.values['json']) {
        ctx.out(JSON.stringify(list, null, 2));
        return 0;
      }
      if (list.length === 0) {
        ctx.out(`no jobs (start one with: ${roostCmd(ctx)} run -- CMD ARGS...)`);
        return 0;
      }
      // Only --all mixes servers: without it every job is on this one, and the table stays as it always was.
      const all = args.values['all'] === true;
      const header = ['NAME', 'STATE', 'PID', 'STARTED', 'ENDED', 'RAN', 'LOG', 'DIRECTORY', 'COMMAND'];
      printTable(ctx, all ? [withServer(header, 'SERVER'), ...list.map((j) => withServer(row(j), serverName(j)))] : [header, ...list.map(row)]);
      return 0;
    });
  },
};

/** The -L name of the job's tmux server; "default" for the default one (tmux's own name for its socket). */
function serverName(j: JobInfo): string {
  return j.tmuxSocket ?? 'default';
}

/** The server goes second: a job's name and its server say where its session is (roost -L SERVER attach NAME). */
function withServer(cells: string[], server: string): string[] {
  return [cells[0]!, server, ...cells.slice(1)];
}

function row(j: JobInfo): string[] {
  return [
    j.name, describeState(j), j.pid === null ? '-' : String(j.pid), localTime(j.started), localTime(j.ended),
    formatDuration(j.durationMs), formatBytes(j.log.bytes), j.cwd, commandLine(j.command),
  ];
}
