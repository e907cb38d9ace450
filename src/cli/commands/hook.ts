/**
 * roost hook claude: run by Claude Code's hooks (installed with `roost hooks
 * install claude`). Reads Claude's JSON on stdin and $TMUX_PANE, reports to
 * the daemon over its unix socket, and always exits 0 at once with nothing
 * on stdout: Claude reads a hook's stdout, and treats exit code 2 as "block".
 * Every step has a deadline (hook-client.ts) and leaves no handle open, so
 * the process ends by itself; Claude's hook timeout (settings) is the backstop.
 *
 * With --debug, or ROOST_DEBUG=1 in the environment (Claude runs the hook
 * command line exactly as configured, so an option cannot be added there),
 * it says on stderr, one line each, what it reported and what came of it.
 */
import type { Command, Context } from '../command.js';
import { buildReport, postReport, readInput } from '../../attention/hook-client.js';
import { handOffAnswer, holdAnswer, HOLD_OPTION } from '../../attention/answer-hold.js';

/** --debug, or ROOST_DEBUG set to anything but "" or "0". */
function debugging(ctx: Context): boolean {
  const v = ctx.env['ROOST_DEBUG'];
  return ctx.debug || (v !== undefined && v !== '' && v !== '0');
}

/** Why buildReport gave nothing: the environment (a payload that surely qualifies is refused too) or the payload. */
function whyNoReport(env: NodeJS.ProcessEnv): string {
  if (buildReport({ hook_event_name: 'Stop' }, env) === null) {
    const pane = env['TMUX_PANE'];
    return pane ? `not in tmux ($TMUX_PANE ${JSON.stringify(pane)} is not a pane id)` : 'not in tmux ($TMUX_PANE is not set)';
  }
  return 'not a hook payload (no hook_event_name)';
}

export const hook: Command = {
  name: 'hook',
  hidden: true,
  runByAgent: true,
  options: { [HOLD_OPTION]: { type: 'boolean' } },
  summary: 'report an agent hook event to the daemon (run by the agent)',
  usage: `roost hook claude [--debug]

Run by Claude Code's hooks (see: roost hooks install claude). Reads the hook
JSON on stdin and $TMUX_PANE, reports to the Roost daemon over its unix
socket, prints nothing and exits 0, even when the daemon is not running.
A daemon that has not answered within half a second (a busy machine) still
gets the report: a background process holds the connection until it
answers, for up to a minute, while the hook exits.

With --debug, or ROOST_DEBUG=1 in the environment, it prints on stderr (never
stdout) the report it built or why there is none, the socket it posts to,
and the daemon's answer or why there was none. It still exits 0.`,
  async run(ctx, args) {
    const debug = debugging(ctx);
    const say = (line: string) => void (debug && ctx.err(`roost hook: ${line}`));
    if (args.values[HOLD_OPTION] === true) {
      await holdAnswer();
      return 0;
    }
    try {
      const agent = args.positionals[0];
      if (agent !== 'claude') {
        say(agent === undefined ? 'no report: no agent given (roost hook claude)' : `no report: unknown agent ${JSON.stringify(agent)}`);
        return 0;
      }
      const text = await readInput(ctx.stdin);
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch {
        say(`no report: not a hook payload (stdin is not JSON, ${Buffer.byteLength(text)} bytes)`);
        return 0;
      }
      const report = buildReport(input, ctx.env);
      if (!report) {
        say(`no report: ${whyNoReport(ctx.env)}`);
        return 0;
      }
      say(`report ${JSON.stringify(report)}`);
      const socket = ctx.paths.socket;
      say(`posting to ${socket}`);
      let handed = false;
      const outcome = await postReport(socket, report, {
        handOff: (conn) => {
          handOffAnswer(conn, process.argv[1]!);
          handed = true;
        },
      });
      say('status' in outcome ? `the daemon answered ${outcome.status}`
        : handed ? `${outcome.failed}; a process of its own waits for the daemon's answer` : `not delivered: ${outcome.failed}`);
    } catch (e) {
      // Never fail the agent; --debug shows what went wrong (on stderr only).
      say((e as Error).message);
    }
    return 0;
  },
};
