/** roost doctor: check the set-up, one line per check with a fix. */
import { UsageError, noExtra, type Command } from '../command.js';
import { hasTerminfo, setupFiles, which } from '../../setup/host.js';
import { readText } from '../../setup/apply.js';
import { formatCheck, runChecks, type Check } from '../../setup/doctor.js';
import { ConfigError, configHasTable, loadConfig } from '../../config/config.js';
import { existsSync } from 'node:fs';
import { restoreChecks } from '../../restore/doctor.js';
import { snapshotStore } from '../../restore/restore.js';
import { serviceEnvFor } from './service.js';
import { userInfo } from 'node:os';
import { roostBin } from '../../config/install.js';
import { controllerCheck } from '../../slurm/doctor.js';
import { withoutAllocation } from '../../slurm/env.js';

/** config.toml loads: a broken one stops every command that reads it (snapshots, schedules, the daemon's start). */
function configCheck(file: string): Check {
  try {
    loadConfig(file);
    return existsSync(file)
      ? { id: 'config', level: 'ok', message: `config.toml: valid (${file})` }
      : { id: 'config', level: 'info', message: `config.toml: none; every setting has its default (${file})` };
  } catch (e) {
    const fix = e instanceof ConfigError ? 'correct that line (docs/config.md lists every key)' : 'make it a readable file';
    return { id: 'config', level: 'fail', message: `config.toml: ${(e as Error).message}`, fix };
  }
}

export const doctor: Command = {
  name: 'doctor',
  summary: 'check tmux, Node, the shell and tmux set-up, Cockpit, roost on PATH, Slurm and the boot service',
  usage: `roost doctor [--json]

Check what Roost needs and what roost init sets up, one line each:
  tmux present and its version (3.2 or later for the prefix+H popup),
  the roost block in the tmux config and in ~/.bashrc (~/.zshrc for zsh)
  and lines that win over it (an exec tmux before it in ~/.bashrc, a
  status-right naming Ctrl+B or a prefix+H binding after it in tmux.conf),
  Cockpit's idle timeout (only where /etc/cockpit exists), whether this
  terminal is inside tmux, the Node version (20.19 or later), whether roost
  on PATH runs this Roost (if not, the command that links it), the Slurm
  commands (salloc, srun, squeue, scancel; only needed for roost node),
  reptyr (for roost adopt), whether config.toml loads, whether Slurm's
  controller answers (one squeue --me, 5 s at most; only where Slurm is
  installed or config.toml has a [node] table), whether the daemon starts
  at boot (roost service) and the newest snapshot.
Each line starts with ok, warn, fail or info; warn and fail lines end with
"; fix: " and the fix, an info line may end with a hint after "; ".

Options:
  --json    print {"ok": boolean, "checks": [{"id", "level", "message", "fix"?}]}

Exit codes: 0 nothing needed is missing (warnings allowed), 1 a requirement
(tmux, Node) is missing or config.toml does not load, 2 usage.`,
  options: { json: { type: 'boolean' } },
  async run(ctx, args) {
    noExtra(args, 0);
    if (args.dashDash) throw new UsageError('doctor takes no command after --');
    const files = setupFiles(ctx.paths, ctx.env);
    const checks = await runChecks({
      tmux: ctx.tmux,
      env: ctx.env,
      files,
      read: readText,
      which: (cmd) => which(cmd, ctx.env),
      terminal: hasTerminfo('tmux-256color', ctx.env, files.home) ? 'tmux-256color' : 'screen-256color',
      nodeVersion: process.versions.node,
      roostBin: roostBin(),
      root: process.getuid?.() === 0,
    });
    checks.push(configCheck(ctx.paths.configFile));
    const controller = await controllerCheck({ env: withoutAllocation(ctx.env), configured: configHasTable(ctx.paths.configFile, 'node') });
    if (controller) checks.push(controller);
    checks.push(...await restoreChecks(serviceEnvFor(ctx), snapshotStore(ctx.paths), ctx.tmux.socketPath(), userInfo().username));
    const ok = !checks.some((c) => c.level === 'fail');
    if (args.values['json']) ctx.out(JSON.stringify({ ok, checks }, null, 2));
    // An info line reports, it needs no fix: its hint (what to install, how to get a snapshot) follows without "fix:".
    else for (const c of checks) ctx.out(c.level === 'info' && c.fix ? `${formatCheck({ ...c, fix: undefined })}; ${c.fix}` : formatCheck(c));
    return ok ? 0 : 1;
  },
};
