/**
 * roost schedule add|ls|rm|pause|resume|run|history|show|open: scheduled
 * runs (src/schedule/). Everything but `run` works on the database directly
 * (the daemon need not run; it sees changes within a second); `run` asks
 * the daemon, which runs every schedule. config.toml's [schedules.NAME]
 * are copied in first, so `ls` shows them too.
 */
import { resolve } from 'node:path';
import { UsageError, UserError, localTime, noExtra, onlyOptions, printTable, str, type Command, type Context, type Parsed } from '../command.js';
import { openRoostDb } from '../../daemon/schemas.js';
import { callDaemon, daemonAnswers, DaemonError, DaemonNotRunningError } from '../../daemon/client.js';
import { ConfigError, loadConfig, type Config } from '../../config/config.js';
import { commandLine, formatDuration } from '../../shared/jobs.js';
import type { RunInfo, ScheduleInfo } from '../../shared/schedules.js';
import { missingProgramWarning, ScheduleInputError, Schedules, type KeyNamer } from '../../schedule/schedules.js';
import { openConversation } from '../../schedule/open.js';
import { programOf } from '../../schedule/command-program.js';

const OPTION_OF: Record<string, string> = {
  cron: '--cron', tz: '--tz', cwd: '--cwd', env: '--env', guards: '--guard', overlap: '--overlap',
  catch_up: '--catch-up', timeout: '--timeout', notify: '--notify', command: 'the command',
};
const cliKeys: KeyNamer = (k) => OPTION_OF[k] ?? k;

async function withSchedules<T>(ctx: Context, fn: (s: Schedules) => Promise<T> | T, o: { sync?: boolean } = {}): Promise<T> {
  let config: Config | null = null;
  const db = openRoostDb(ctx.paths.stateDir);
  try {
    const s = new Schedules({ db, config: () => (config ??= loadConfig(ctx.paths.configFile)), home: ctx.paths.home });
    if (o.sync) {
      try {
        s.sync();
      } catch (e) {
        // An invalid config.toml: list what the table holds; the problem is said once.
        if (e instanceof ConfigError) ctx.err(`roost schedule: ${e.message} (config schedules not updated)`);
        else throw e;
      }
    }
    return await fn(s);
  } catch (e) {
    if (e instanceof ScheduleInputError) throw new UserError(e.message);
    throw e;
  } finally {
    db.close();
  }
}

function nameArg(args: Parsed, sub: string): string {
  const name = args.positionals[1];
  if (name === undefined) throw new UsageError(`missing schedule name: roost schedule ${sub} NAME`);
  return name;
}

/** "succeeded", "failed (exit 1)", "skipped: a person is at main ...". */
export function describeRun(r: RunInfo): string {
  switch (r.outcome) {
    case 'failed':
      if (r.started === null) return `failed: ${r.reason ?? 'could not start'}`;
      return `failed (${r.signal ?? `exit ${r.exitCode ?? '?'}`})`;
    case 'skipped':
    case 'missed':
    case 'lost':
      return r.reason ? `${r.outcome}: ${r.reason}` : r.outcome;
    default:
      return r.outcome;
  }
}

function claudeText(r: RunInfo): string {
  const c = r.claude;
  if (!c) return '';
  const parts = [c.kind, c.turns !== null ? `${c.turns} turns` : null, c.costUsd !== null ? `$${c.costUsd.toFixed(4)}` : null, c.sessionId ? `session ${c.sessionId}` : null];
  return `claude: ${parts.filter(Boolean).join(', ')}`;
}

const ranFor = (r: RunInfo) => (r.started !== null && r.ended !== null ? formatDuration(r.ended - r.started) : r.started !== null ? 'running' : '-');

/** What the default guard watches for this command, or that it cannot tell (command-program.ts). */
function defaultGuardText(command: readonly string[]): string {
  const program = programOf(command);
  return program === null
    ? 'default, but the program this command runs cannot be told (a shell script): nothing is watched; name it with --guard busy:PROGRAM or --guard present'
    : `default (skip while a person is at a session where ${program} runs)`;
}

function showSchedule(ctx: Context, s: ScheduleInfo): void {
  const lines: [string, string][] = [
    ['name', s.name],
    ['state', s.paused ? 'paused' : s.running ? `running (job ${s.running})` : 'active'],
    ['cron', `${s.cron}${s.tz ? ` (${s.tz})` : ' (local time)'}`],
    ['next', s.next.length ? s.next.map(withSeconds).join(', ') : '-'],
    ['command', commandLine(s.command)],
    ['directory', s.cwd],
    ['env', s.env.length ? s.env.map((e) => e.split('=')[0]).join(' ') : '-'],
    ['guards', s.guards.length ? s.guards.join(' ') : defaultGuardText(s.command)],
    ['overlap', s.overlap],
    ['catch-up', s.catchUp],
    ['timeout', s.timeout ?? 'none'],
    ['notify', s.notify],
    ['from', s.origin === 'config' ? 'config.toml' : 'roost schedule add'],
    ['last', s.last ? `${localTime(s.last.started ?? s.last.due ?? s.last.created)} ${describeRun(s.last)}` : '-'],
  ];
  printTable(ctx, lines.map(([k, v]) => [`${k}:`, v]));
}

export const schedule: Command = {
  name: 'schedule',
  takesCommand: true,
  summary: 'run commands on a cron schedule, stepping aside while you work',
  usage: `roost schedule add NAME --cron EXPR [--tz ZONE] [-c DIR] [--env KEY=VALUE]...
                    [--guard GUARD]... [--overlap skip|queue] [--catch-up once|none]
                    [--timeout DURATION] [--notify failure|always|never] -- CMD [ARGS...]
roost schedule ls [--json]
roost schedule show NAME [--json]
roost schedule history NAME [-n N] [--json]
roost schedule pause NAME | resume NAME | rm NAME
roost schedule run NAME [--force] [--json]
roost schedule open NAME [RUN]

The daemon (roost serve) runs CMD at the times of EXPR, each run a
background job with a log (roost logs JOB). Before each run its guards are
checked; a run they stop is kept in the history as skipped, with the reason.
Schedules can also be declared in config.toml ([schedules.NAME], same keys).

Cron (croner): five fields (minute hour day month weekday), or six with
seconds first; nicknames @hourly, @daily, @weekly, @monthly, @yearly. Times
are the daemon's local time unless --tz names an IANA zone.

Guards (repeatable; all must agree):
  busy:PROGRAM[@SESSION]  skip while a pane (of SESSION) runs PROGRAM, e.g. busy:claude@main
  present[:SESSION]       skip while a person is at SESSION (any): a client attached, not
                          read-only, active (input, or attaching) within the
                          last 30 minutes (config [schedule] present_minutes)
  load:X                  skip while the 1-minute load average is above X
  lock:NAME               at most one run at a time among schedules with this lock
  none                    no guard
  Default: skip while a person is present at a session where a pane runs
  the same program as CMD.

Options (add):
  --cron EXPR          when to run (required)
  --tz ZONE            time zone, e.g. Europe/Paris
  -c, --cwd DIR        working directory (default: the current one)
  --env KEY=VALUE      set a variable for the runs (repeatable)
  --guard GUARD        see above (repeatable)
  --overlap skip|queue the previous run still alive: skip this one (default), or
                       run it once the previous ends (at most one waits)
  --catch-up once|none run times missed while the daemon was down: run one at
                       start, or record "missed N runs" (default)
  --timeout DURATION   stop a run still alive after this long (TERM, then KILL),
                       e.g. 90s, 30m, 1h30m
  --notify WHEN        failure (default: failed, timed out, lost, a streak of
                       skips), always (also successes), never. A permission
                       prompt is told by attention, as for any window
Other options:
  --force              run: ignore the guards
  -n N                 history: the newest N entries (default 20)
  --json               machine-readable output (schemas in docs/cli.md)

open NAME [RUN] starts \`claude --resume ID\` for the conversation of a
headless Claude run (claude -p ... --output-format json) in a new session,
in the run's directory: the latest such run, or run number RUN.`,
  options: {
    cron: { type: 'string' },
    tz: { type: 'string' },
    cwd: { type: 'string', short: 'c' },
    env: { type: 'string', multiple: true },
    guard: { type: 'string', multiple: true },
    overlap: { type: 'string' },
    'catch-up': { type: 'string' },
    timeout: { type: 'string' },
    notify: { type: 'string' },
    force: { type: 'boolean' },
    n: { type: 'string', short: 'n' },
    json: { type: 'boolean' },
  },
  async run(ctx, args) {
    const sub = args.positionals[0];
    const json = args.values['json'] === true;
    const print = (v: unknown) => ctx.out(JSON.stringify(v, null, 2));
    switch (sub) {
      case 'add': {
        onlyOptions(args, 'schedule add', ['cron', 'tz', 'cwd', 'env', 'guard', 'overlap', 'catch-up', 'timeout', 'notify', 'json']);
        noExtra(args, 2);
        const name = nameArg(args, 'add');
        const cron = str(args, 'cron');
        if (cron === undefined) throw new UsageError('missing --cron EXPR');
        if (!args.dashDash || args.rest.length === 0) throw new UsageError('missing command: roost schedule add NAME --cron EXPR [options] -- CMD [ARGS...]');
        const spec: Record<string, unknown> = {
          cron, command: args.rest, cwd: str(args, 'cwd') === undefined ? process.cwd() : resolveDir(str(args, 'cwd')!),
          env: args.values['env'] ?? [], guards: args.values['guard'] ?? [],
        };
        for (const [opt, key] of [['tz', 'tz'], ['overlap', 'overlap'], ['catch-up', 'catch_up'], ['timeout', 'timeout'], ['notify', 'notify']] as const) {
          const v = str(args, opt);
          if (v !== undefined) spec[key] = v;
        }
        const info = await withSchedules(ctx, (s) => s.add(name, spec, cliKeys));
        if (json) print(info);
        else {
          ctx.out(`added ${info.name}; next runs:`);
          for (const t of info.next) ctx.out(`  ${withSeconds(t)}`);
          if (info.guards.length === 0) ctx.out(`guards: ${defaultGuardText(info.command)}`);
        }
        // The daemon's PATH is not known here; the caller's is the best guess of what runs will have.
        const missing = missingProgramWarning(info, ctx.env['PATH']);
        if (missing) ctx.err(`roost schedule: warning: ${missing}`);
        return 0;
      }
      case 'ls':
      case 'list': {
        onlyOptions(args, `schedule ${sub}`, ['json']);
        noExtra(args, 1);
        const list = await withSchedules(ctx, (s) => s.list(), { sync: true });
        if (json) {
          print(list);
          return 0;
        }
        if (list.length === 0) {
          ctx.out('no schedules (add one with: roost schedule add NAME --cron EXPR -- CMD ARGS...)');
          return 0;
        }
        printTable(ctx, [['NAME', 'CRON', 'NEXT', 'LAST', 'RESULT', 'STATE'], ...list.map((s) => [
          s.name, s.cron, s.paused ? '-' : withSeconds(s.next[0]!), s.last ? localTime(s.last.started ?? s.last.due ?? s.last.created) : '-',
          s.last ? describeRun(s.last) : '-', s.paused ? 'paused' : s.running ? 'running' : 'active',
        ])]);
        // The daemon runs schedules: without it, NEXT is only a promise.
        if (!(await daemonAnswers(ctx.paths.socket, 1000))) ctx.err('roost schedule: the daemon is not running, so nothing runs at these times; start it with: roost serve (or roost service install)');
        return 0;
      }
      case 'show': {
        onlyOptions(args, 'schedule show', ['json']);
        noExtra(args, 2);
        const info = await withSchedules(ctx, (s) => s.show(nameArg(args, 'show')), { sync: true });
        if (json) print(info);
        else showSchedule(ctx, info);
        return 0;
      }
      case 'history': {
        onlyOptions(args, 'schedule history', ['n', 'json']);
        noExtra(args, 2);
        const nText = str(args, 'n') ?? '20';
        if (!/^\d{1,4}$/.test(nText) || Number(nText) < 1) throw new UsageError(`-n needs a number of entries, 1 to 9999, got ${JSON.stringify(nText)}`);
        const runs = await withSchedules(ctx, (s) => s.history(nameArg(args, 'history'), Number(nText)), { sync: true });
        if (json) {
          print(runs);
          return 0;
        }
        if (runs.length === 0) {
          ctx.out('no runs yet');
          return 0;
        }
        printTable(ctx, [['RUN', 'DUE', 'STARTED', 'TRIGGER', 'RAN', 'JOB', 'RESULT'], ...runs.map((r) => [
          String(r.id), localTime(r.due ?? r.created), localTime(r.started), r.trigger + (r.forced ? ' (forced)' : ''), ranFor(r), r.job ?? '-',
          [describeRun(r), claudeText(r)].filter(Boolean).join('; '),
        ])]);
        return 0;
      }
      case 'pause':
      case 'resume': {
        onlyOptions(args, `schedule ${sub}`, ['json']);
        noExtra(args, 2);
        const info = await withSchedules(ctx, (s) => s.setPaused(nameArg(args, sub), sub === 'pause'), { sync: true });
        if (json) print(info);
        else ctx.out(sub === 'pause' ? `paused ${info.name}` : `resumed ${info.name}; next run ${info.next[0] === undefined ? '-' : withSeconds(info.next[0])}`);
        return 0;
      }
      case 'rm': {
        onlyOptions(args, 'schedule rm', []);
        noExtra(args, 2);
        const gone = await withSchedules(ctx, (s) => {
          const info = s.show(nameArg(args, 'rm'));
          s.remove(info.name);
          return info;
        }, { sync: true });
        // Its run, if one is going, is a job of its own: it goes on, and saying so beats finding it later.
        ctx.out(`removed ${gone.name}${gone.running ? `; its running job ${gone.running} goes on (roost stop ${gone.running})` : ''}`);
        return 0;
      }
      case 'run': {
        onlyOptions(args, 'schedule run', ['force', 'json']);
        noExtra(args, 2);
        const name = nameArg(args, 'run');
        // The name is checked here, so a bad one never reaches a URL.
        await withSchedules(ctx, (s) => s.row(name), { sync: true });
        let run: RunInfo;
        try {
          run = await callDaemon<RunInfo>(ctx.paths.socket, 'POST', `/api/schedules/${name}/run`, { force: args.values['force'] === true }, { timeoutMs: 60_000 });
        } catch (e) {
          if (e instanceof DaemonNotRunningError || e instanceof DaemonError) throw new UserError(e.message);
          throw e;
        }
        if (json) {
          print(run);
          return run.outcome === 'skipped' ? 1 : 0;
        }
        if (run.outcome === 'skipped') {
          // --force passes the guards, not the overlap rule: a run still going is stopped or waited for.
          const overlap = /\(overlap (skip|queue)\)$/.test(run.reason ?? '');
          const live = /\(job ([A-Za-z0-9_-]+)\)/.exec(run.reason ?? '')?.[1];
          const next = overlap ? (live ? `roost stop ${live} first, or wait for it` : 'wait for it') : args.values['force'] === true ? null : '--force runs it anyway';
          throw new UserError(`${name} skipped: ${run.reason ?? 'a guard stopped it'}${next ? ` (${next})` : ''}`);
        }
        if (run.outcome === 'failed') throw new UserError(`${name} failed: ${run.reason ?? 'see roost schedule history'}`);
        ctx.out(`${name}: started job ${run.job} (roost logs ${run.job} -f)`);
        return 0;
      }
      case 'open': {
        onlyOptions(args, 'schedule open', ['json']);
        noExtra(args, 3);
        const name = nameArg(args, 'open');
        const runText = args.positionals[2];
        if (runText !== undefined && !/^\d{1,15}$/.test(runText)) throw new UsageError(`RUN is a run number (see roost schedule history ${name}), got ${JSON.stringify(runText)}`);
        const opened = await withSchedules(ctx, (s) => openConversation(ctx.tmux, s, name, runText === undefined ? undefined : Number(runText)));
        if (json) print(opened);
        else ctx.out(`${opened.created ? 'opened' : 'already open in'} session ${opened.session}: roost attach ${opened.session}`);
        return 0;
      }
      case undefined:
        throw new UsageError('missing subcommand: add, ls, show, history, pause, resume, rm, run or open');
      default:
        throw new UsageError(`unknown subcommand "${sub}"`);
    }
  },
};

/** A local time with seconds (for schedules of six fields): "2026-12-03 11:30:02 +00:00". */
function withSeconds(ms: number): string {
  return localTime(ms).replace(/^(\S+ \d\d:\d\d)/, (m) => `${m}:${String(new Date(ms).getSeconds()).padStart(2, '0')}`);
}

/** -c DIR relative to the current directory (the daemon runs elsewhere). */
function resolveDir(dir: string): string {
  return dir.startsWith('~') ? dir : resolve(process.cwd(), dir);
}
