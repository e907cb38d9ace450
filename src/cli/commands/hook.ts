/**
 * roost hook claude: run by Claude Code's hooks (installed with `roost hooks
 * install claude`). Reads Claude's JSON on stdin and $TMUX_PANE, reports to
 * the daemon over its unix socket, and always exits 0 at once with nothing
 * on stdout: Claude reads a hook's stdout, and treats exit code 2 as "block".
 * Every step has a deadline (hook-client.ts) and leaves no handle open, so
 * the process ends by itself; Claude's hook timeout (settings) is the backstop.
 */
import type { Command } from '../command.js';
import { buildReport, postReport, readInput } from '../../attention/hook-client.js';

export const hook: Command = {
  name: 'hook',
  hidden: true,
  summary: 'report an agent hook event to the daemon (run by the agent)',
  usage: `roost hook claude

Run by Claude Code's hooks (see: roost hooks install claude). Reads the hook
JSON on stdin and $TMUX_PANE, reports to the Roost daemon over its unix
socket, prints nothing and exits 0, even when the daemon is not running.`,
  async run(ctx, args) {
    try {
      if (args.positionals[0] !== 'claude') return 0;
      const text = await readInput(ctx.stdin);
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch {
        return 0; // not a hook payload: nothing to report
      }
      const report = buildReport(input, ctx.env);
      if (report) await postReport(ctx.paths.socket, report);
    } catch (e) {
      // Never fail the agent; --debug shows what went wrong (on stderr only).
      if (ctx.debug) ctx.err(`roost hook: ${(e as Error).message}`);
    }
    return 0;
  },
};
