/** roost ls [--json]: sessions with their windows and what each is doing (the daemon's view when it runs). */
import { noExtra, roostCmd, type Command } from '../command.js';
import { listSessions } from '../../tmux/index.js';
import { daemonListing } from '../../attention/listing.js';
import { silenceFor } from '../../config/config.js';
import { commandConfig } from '../config.js';
import type { SessionInfo, WindowInfo } from '../../shared/api.js';
import { allocationSummary } from '../../shared/node-status.js';
import { addNodeAllocations, reachCommand } from '../../slurm/listing.js';
import { withoutAllocation } from '../../slurm/env.js';
import { commandLine } from '../../shared/jobs.js';
import { decorateJobWindows, jobWindows } from '../../jobs/windows.js';
import { exitedText } from '../../shared/pane-end.js';
import { jobRowsHere } from '../jobs.js';

export const ls: Command = {
  name: 'ls',
  summary: 'list sessions, their windows and their status',
  usage: `roost ls [--json]

List every session with its windows: name, attached clients, and for each
window its current command and status:
  working   a program is running and printed within the silence threshold
  shell     your shell waits at its prompt: nothing runs (quiet)
  waiting ~ a program printed nothing for the threshold (default 20 s)
  bell    ! the window rang the bell; marked until a device shows it
  exited    every pane has exited (with the exit status)
A job's window (roost run) shows the job's command, and how it ended, as
roost jobs does (exited (3), killed by SIGTERM).
While the daemon (roost serve) runs, the list is its own, with the agent
states its hooks report (roost hooks install claude):
  needs permission !   the agent asks for permission to go on
  agent idle ~         the agent waits for your input
  agent done ~         the agent finished its turn
Without the daemon, tmux alone tells (no agent states).
A node session (roost node) shows its Slurm allocation too, and node
sessions held on other login hosts are listed with how to reach them.

Options:
  --json    print an array of sessions (schema in docs/cli.md)`,
  options: { json: { type: 'boolean' } },
  async run(ctx, args) {
    noExtra(args, 0);
    const config = commandConfig(ctx);
    const fromDaemon = await daemonListing(ctx.paths.socket, ctx.tmux.socketPath());
    const sessions = fromDaemon ?? await listSessions(ctx.tmux, { silenceFor: (s) => silenceFor(config, s) });
    const jobRows = sessions.some((s) => s.kind === 'job') ? jobRowsHere(ctx) : [];
    // Without the daemon, job windows get what its listing gives them: the program's name, and the end the job's record knows.
    if (!fromDaemon && jobRows.length) decorateJobWindows(sessions, jobRows);
    const elsewhere = await addNodeAllocations(sessions, { stateDir: ctx.paths.stateDir, socket: ctx.tmux.socket ?? null, env: withoutAllocation(ctx.env), pollSeconds: config.node.poll_seconds });
    if (args.values['json']) {
      ctx.out(JSON.stringify(sessions, null, 2));
      return 0;
    }
    if (sessions.length === 0 && elsewhere.length === 0) {
      ctx.out(`no sessions (start one with: ${roostCmd(ctx)})`);
      return 0;
    }
    // A job's window shows the job's command (as roost jobs), not its runner's (node) that tmux reports around it.
    const jobs = jobWindows(sessions, jobRows);
    if (sessions.length) ctx.out(formatSessions(sessions, Math.floor(Date.now() / 1000), jobs));
    if (elsewhere.length) ctx.out(['node sessions held on other hosts:', ...elsewhere.map((r) => `  ${r.name}  on ${r.host}: ${reachCommand(r)}`)].join('\n'));
    return 0;
  },
};

const MARK: Record<WindowInfo['status'], string> = { working: '', shell: '', waiting: ' ~', bell: ' !', exited: '' };
const AGENT: Record<NonNullable<WindowInfo['agent']>, string> = { 'needs-permission': 'needs permission !', idle: 'agent idle ~', done: 'agent done ~' };

/** `jobs`: window id -> the job's argv, shown in place of the window's command. */
export function formatSessions(sessions: SessionInfo[], now: number, jobs: ReadonlyMap<string, readonly string[]> = new Map()): string {
  const lines: string[] = [];
  for (const s of sessions) {
    const clients = s.attached === 0 ? 'detached' : s.attached === 1 ? '1 client' : `${s.attached} clients`;
    lines.push(`${s.name}  (${s.windows.length} window${s.windows.length === 1 ? '' : 's'}, ${clients})`);
    if (s.node) lines.push(`  node: ${allocationSummary(s.node, now * 1000)}${s.node.jobId ? ` (job ${s.node.jobId})` : ''}`);
    const nameW = Math.max(...s.windows.map((w) => w.name.length), 4);
    const command = (w: WindowInfo) => {
      const argv = jobs.get(w.id);
      return argv ? commandLine(argv) : w.command;
    };
    const cmdW = Math.max(...s.windows.map((w) => command(w).length), 4);
    for (const w of s.windows) {
      // An exited window reads as on the dashboard: "exited (3)", "killed by SIGTERM" (a job's record says), "exited".
      let status: string = w.status === 'exited' ? exitedText(w) : w.status + MARK[w.status];
      if (w.status === 'waiting') status += ` for ${ago(now - w.activity)}`;
      // An agent's own state says more than the window's (as the dashboard's badge).
      if (w.agent && w.status !== 'exited') status = AGENT[w.agent];
      lines.push(`  ${w.active ? '*' : ' '}${String(w.index).padStart(2)} ${w.name.padEnd(nameW)}  ${command(w).padEnd(cmdW)}  ${status}`);
    }
  }
  return lines.join('\n');
}

function ago(s: number): string {
  if (s < 90) return `${s}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}
