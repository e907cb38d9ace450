/** roost new NAME [-c DIR] [-- CMD ARGS...]: create a detached session. */
import { resolve } from 'node:path';
import { UsageError, UserError, noExtra, requireName, str, roostCmd, type Command } from '../command.js';
import { TmuxError } from '../../tmux/index.js';
import { createSession } from '../../sessions/create.js';
import { commandConfig } from '../config.js';
import { missingSessionProgram } from '../../process/programs.js';

export const newCommand: Command = {
  name: 'new',
  takesCommand: true,
  summary: 'create a detached session',
  usage: `roost new NAME [-c DIR] [--json] [-- CMD ARGS...]

Create session NAME without attaching to it. With CMD, its first window runs
CMD; without, it follows NAME's template in config.toml, or starts a shell.

Options:
  -c, --cwd DIR     starting directory (an existing one: otherwise nothing
                    is created)
  --json            print {"id", "name"} of the new session`,
  options: { cwd: { type: 'string', short: 'c' }, json: { type: 'boolean' } },
  async run(ctx, args) {
    noExtra(args, 1);
    // `roost new -- CMD`: the words after -- are the command, so the name was left out (not "-x" meant as a name).
    if (args.positionals[0] === undefined && args.dashDash) throw new UsageError('needs a session name before -- (roost new NAME -- CMD ARGS...)');
    const name = requireName(args.positionals[0]);
    const config = commandConfig(ctx);
    const cwd = str(args, 'cwd');
    // As roost run does: a typo in the program is said now, not found later as a dead window (exit 127).
    const missing = missingSessionProgram(args.rest, ctx.env['PATH'], cwd === undefined ? process.cwd() : resolve(cwd));
    if (missing) throw new UserError(`${missing}; nothing was created`);
    let id: string;
    try {
      // A relative DIR is this shell's, not the tmux server's (which tmux would use).
      id = await createSession(ctx.tmux, { name, cwd: cwd === undefined ? undefined : resolve(cwd), command: args.rest.length ? args.rest : undefined, template: config.sessions[name], home: ctx.paths.home });
    } catch (e) {
      if (e instanceof TmuxError && e.kind === 'duplicate') throw new UserError(`session "${name}" already exists (attach with: ${roostCmd(ctx)} attach ${name})`);
      throw e;
    }
    ctx.out(args.values['json'] ? JSON.stringify({ id, name }) : `created session ${name}`);
    return 0;
  },
};
