/** roost logs NAME [-f] [-n LINES] [--raw] [--timestamps]: a job's output. */
import { constants as osConstants } from 'node:os';
import { UsageError, UserError, noExtra, requireName, str, type Command } from '../command.js';
import { withJobs } from '../jobs.js';
import { LogPrinter } from '../log-printer.js';
import { jobDir } from '../../jobs/paths.js';
import { afterCut, logExtent, readRange, tailStart } from '../../jobs/log-reader.js';
import type { Jobs } from '../../jobs/jobs.js';
import type { JobInfo } from '../../shared/jobs.js';

/** While following: how often (ms) the log is looked at, and how often tmux is asked whether the job was lost. */
const POLL_MS = 200;
const JUDGE_MS = 2000;
/** `-f` of a job tmux lost ends with this code (it has no exit status of its own). */
export const LOST_EXIT_CODE = 125;
const CHUNK = 1024 * 1024;

export const logs: Command = {
  name: 'logs',
  summary: "show a job's output; -f follows it until the job ends",
  usage: `roost logs NAME [-f] [-n LINES] [--raw] [--timestamps]

Print job NAME's output as text: terminal escape sequences removed, lines
redrawn with a carriage return (progress bars) shown in their last state.
Where older output was cut to keep the log under its cap, a line says so.

Options:
  -f, --follow       keep printing as the log grows; end when the job ends,
                     exiting with its status (exited N: N; killed by a
                     signal: 128+N; lost: ${LOST_EXIT_CODE}). Starts with the last 10 lines
                     unless -n says otherwise.
  -n, --lines N      only the last N lines (read from the end: fast on any size)
  --raw              the bytes as the terminal got them (escapes, \\r)
  --timestamps       start each line with the local time its first byte came`,
  options: {
    follow: { type: 'boolean', short: 'f' },
    lines: { type: 'string', short: 'n' },
    raw: { type: 'boolean' },
    timestamps: { type: 'boolean' },
  },
  async run(ctx, args) {
    noExtra(args, 1);
    const name = requireName(args.positionals[0], 'job name');
    const linesOpt = str(args, 'lines');
    if (linesOpt !== undefined && !/^\d{1,9}$/.test(linesOpt)) throw new UsageError(`-n needs a number of lines, got ${JSON.stringify(linesOpt)}`);
    const raw = args.values['raw'] === true;
    const timestamps = args.values['timestamps'] === true;
    if (raw && timestamps) throw new UsageError('--timestamps does not apply to --raw');
    const follow = args.values['follow'] === true;
    return withJobs(ctx, async (jobs) => {
      const row = jobs.row(name);
      const dir = jobDir(ctx.paths.stateDir, row.id);
      const printer = new LogPrinter(ctx.stdout, ctx.stderr, { raw, timestamps, dir, live: follow && !raw && ctx.stdout.isTTY === true, columns: ctx.stdout.columns });
      const extent = logExtent(dir);
      const lines = linesOpt !== undefined ? Number(linesOpt) : follow ? 10 : null;
      let pos = lines === null ? extent.start : tailStart(dir, lines);
      if (pos <= extent.start && extent.start > 0) {
        // Text starts at the first whole line after the cut; --raw keeps the bytes as they are.
        pos = raw ? extent.start : afterCut(dir, extent.start);
        await printer.cut(pos);
      }
      pos = await printUpTo(printer, dir, pos, extent.end);
      if (!follow) {
        await printer.end();
        return 0;
      }
      const end = await followLog(jobs, name, printer, dir, pos);
      await printer.end();
      return exitCodeOf(end);
    });
  },
};

/** Print [from, to) in chunks; returns where it got to. */
async function printUpTo(printer: LogPrinter, dir: string, from: number, to: number): Promise<number> {
  let pos = from;
  while (pos < to && !printer.closed) {
    const r = readRange(dir, pos, to, CHUNK);
    if (r.data.length === 0) break;
    if (r.from > pos) {
      // Cut while being read (following a job that outgrows its cap): text goes on at a whole line.
      const at = printer.raw ? r.from : afterCut(dir, r.from);
      await printer.cut(at);
      if (at > r.from) {
        pos = at;
        continue;
      }
    }
    await printer.bytes(r.from, r.data);
    pos = r.to;
  }
  return pos;
}

/** Print what comes until the job has ended and its log is complete; returns the job as it ended (null: removed meanwhile). */
async function followLog(jobs: Jobs, name: string, printer: LogPrinter, dir: string, from: number): Promise<JobInfo | null> {
  let pos = from;
  let judged = Date.now();
  const id = jobs.row(name).id;
  for (;;) {
    pos = await printUpTo(printer, dir, pos, Number.MAX_SAFE_INTEGER);
    if (printer.closed) return null;
    const row = jobs.store.byId(id);
    if (!row) throw new UserError(`job "${name}" was removed while following it`);
    // The runner records the end only after the last byte reached the log: read once more, then stop.
    let ended = row.ended !== null || row.lost !== null;
    if (!ended && Date.now() - judged >= JUDGE_MS) {
      judged = Date.now();
      ended = (await jobs.get(name))?.state !== 'running';
    }
    if (ended) {
      await printUpTo(printer, dir, pos, Number.MAX_SAFE_INTEGER);
      return jobs.get(name);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function exitCodeOf(j: JobInfo | null): number {
  if (!j) return 0;
  if (j.state === 'exited') return j.exitCode ?? 0;
  if (j.state === 'killed') return 128 + ((osConstants.signals as Record<string, number>)[j.signal ?? ''] ?? 0);
  return LOST_EXIT_CODE;
}
