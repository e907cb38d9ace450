/**
 * roost node-window NAME [--window] [-- CMD...] (hidden): the program of
 * each window of a node session, started by `roost node` (src/slurm/runner.ts
 * does the work). Here: the process around it, signals, and the notify
 * stack it needs while it is the one looking at Slurm (no daemon running).
 */
import { noExtra, requireName, type Command } from '../command.js';
import { commandConfig } from '../config.js';
import { openRoostDb } from '../../daemon/schemas.js';
import { createNotifier, type Notifier } from '../../notify/notifier.js';
import type { NotifyEvent } from '../../notify/event.js';
import type { Db } from '../../store/db.js';
import { withoutAllocation } from '../../slurm/env.js';
import { thisHost } from '../../slurm/records.js';
import { NodeWindow } from '../../slurm/runner.js';

export const nodeWindow: Command = {
  name: 'node-window',
  takesCommand: true,
  hidden: true,
  summary: 'the program of a node session\'s windows (started by roost node)',
  usage: `roost node-window NAME [--window] [-- CMD ARGS...]

Runs in a window of node session NAME (roost node starts it; there is no
need to run it by hand). The first window asks Slurm for the allocation and
opens a shell on the node; with --window, a shell (or CMD) on the
allocation the session has. When the shell on the node ends, the window
says why and continues with a login-node shell.`,
  options: { window: { type: 'boolean' } },
  async run(ctx, args) {
    noExtra(args, 1);
    const name = requireName(args.positionals[0]);
    let db: Db | null = null;
    let notifier: Notifier | null = null;
    const notify = (e: NotifyEvent) => {
      try {
        if (!notifier) {
          db = openRoostDb(ctx.paths.stateDir);
          notifier = createNotifier({ db, stateDir: ctx.paths.stateDir });
        }
        notifier.handle(e);
      } catch {
        // No database (a read-only state folder): the window has nobody to tell, and its work goes on.
      }
    };
    const w = new NodeWindow({
      name,
      first: args.values['window'] !== true,
      command: args.rest.length ? args.rest : null,
      stateDir: ctx.paths.stateDir,
      host: thisHost(),
      tmux: ctx.tmux,
      pane: ctx.env['TMUX_PANE'] ?? null,
      env: withoutAllocation(ctx.env),
      config: () => commandConfig(ctx),
      notify,
      write: (text) => void ctx.stdout.write(text),
      // tmux shows the window's foreground process by this name: "queued", then the node it runs on.
      setTitle: (title) => { process.title = title; },
    });
    // Writing to a window that was closed fails (EIO): the hang-up below is what matters then.
    process.stdout.on('error', () => undefined);
    const hangUp = () => void w.hangUp().finally(() => process.exit(129));
    process.on('SIGHUP', hangUp);
    process.on('SIGTERM', hangUp);
    // Ctrl-C belongs to what runs in the window (salloc cancels a queued request on it; srun passes it on).
    process.on('SIGINT', () => undefined);
    try {
      return await w.run();
    } finally {
      (notifier as Notifier | null)?.close();
      (db as Db | null)?.close();
    }
  },
};
