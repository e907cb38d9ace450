/** roost init: set up tmux, the shell and Cockpit as the setup guide does by hand. */
import { UsageError, UserError, noExtra, type Command, type Context } from '../command.js';
import { version as tmuxVersion } from '../../tmux/index.js';
import { hasTerminfo, setupFiles, tilde, which, type SetupFiles } from '../../setup/host.js';
import { asWritten, planInstall, planUninstall, SetupError, type FileChange, type Plan } from '../../setup/plan.js';
import { applyChange, backupPath, readText, writable, type Outcome } from '../../setup/apply.js';
import { unifiedDiff } from '../../setup/diff.js';
import { hasTurnedOff } from '../../setup/turn-off.js';
import { canWrite, RESTART_COCKPIT, sudoCommands } from '../../setup/cockpit.js';
import { logsCommand } from '../../setup/layout.js';
import { parseTmuxVersion, POPUP_MIN_TMUX, type Version } from '../../setup/versions.js';

export const init: Command = {
  name: 'init',
  summary: 'set up tmux, your shell (and Cockpit) for persistent sessions',
  usage: `roost init [--ssh] [--cockpit] [--no-layout] [--dry-run]
roost init --uninstall [--dry-run] [--cockpit]

Set up what the setup guide does by hand, each part between
"# >>> roost >>>" and "# <<< roost <<<" lines; running it again updates
those lines and nothing else. Every file it changes is first copied to
FILE.roost-backup-YYYYMMDD-HHMMSS.

  ~/.tmux.conf   true colour, mouse, windows numbered from 1, 10,000 lines of
                 history, a readable status bar, silence (~) and bell (!)
                 marks, and a prefix+H quick reference (tmux 3.2 or later).
                 If only ~/.config/tmux/tmux.conf exists, that file instead.
  ~/.bashrc      terminals opened in Cockpit attach to the session "main"
                 (also ~/.zshrc when your shell is zsh)
  config.toml    the layout of "main": windows claude, logs and shell
                 (only if the file has no [sessions.main])

The setup guide's own auto-attach in ~/.bashrc (~/.zshrc) and its
status-right and prefix+H popup in ~/.tmux.conf would win over roost's
lines: init comments them out (each line prefixed "#roost# ", under a note;
--uninstall puts them back) and warns, with file:line, about lines that do
the same but are not the guide's, which it leaves as they are.

Options:
  --ssh          also attach interactive SSH logins (not "ssh host cmd")
  --cockpit      set [Session] IdleTimeout=0 in /etc/cockpit/cockpit.conf
                 (ROOST_COCKPIT_CONF overrides the path); as root, or it
                 prints the commands to run with sudo
  --no-layout    do not add the layout of "main" to config.toml
  --dry-run      print what would change as a diff; change nothing
  --uninstall    remove roost's lines again; a file roost created is removed

Exit codes: 0 done (or nothing to do), 1 a file could not be changed
(broken markers, no permission): then nothing was changed, 2 usage.`,
  options: {
    ssh: { type: 'boolean' },
    cockpit: { type: 'boolean' },
    'no-layout': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    uninstall: { type: 'boolean' },
  },
  async run(ctx, args) {
    noExtra(args, 0);
    if (args.dashDash) throw new UsageError('init takes no command after --');
    const v = args.values;
    if (v['uninstall'] && (v['ssh'] || v['no-layout'])) throw new UsageError('--uninstall takes only --dry-run and --cockpit');
    const files = setupFiles(ctx.paths, ctx.env);
    const dryRun = v['dry-run'] === true;
    if (v['uninstall']) return uninstall(ctx, files, dryRun, v['cockpit'] === true);

    const tmuxV = await installedTmux(ctx);
    const planned = guard(() => planInstall({
      files,
      tmux: { version: tmuxV, terminal: hasTerminfo('tmux-256color', ctx.env, files.home) ? 'tmux-256color' : 'screen-256color' },
      ssh: v['ssh'] === true,
      layout: v['no-layout'] !== true,
      logs: logsCommand(which('journalctl', ctx.env) !== null),
      cockpit: v['cockpit'] === true,
      read: readText,
    }));
    if (dryRun) return showDiffs(ctx, files, planned);
    // Printed after the files are written: file:line names the line there (a note above each snippet turned off, the block at the top of the tmux config, move lines down).
    const plan = asWritten(planned);

    checkWritable(plan, (c) => c.kind !== 'cockpit'); // cockpit.conf without root: the sudo commands below
    const now = new Date();
    const changed = new Set<FileChange['kind']>();
    const shellFiles: string[] = [];
    for (const c of plan.changes) {
      if (c.kind === 'cockpit' && c.before !== c.after && !canWrite(c.path, c.before)) {
        ctx.out(`needs root: ${c.path}; run these commands (a backup, the new file, a restart):`);
        for (const line of sudoCommands(c.path, c.before, c.after ?? '', backupPath(c.path, now))) ctx.out(line);
        continue;
      }
      const o = applyChange(c, now);
      if (o.did !== 'unchanged') changed.add(c.kind);
      if (o.did !== 'unchanged' && c.kind === 'shell') shellFiles.push(c.path);
      ctx.out(outcomeLine(o, files.home));
      turnedOffLines(ctx, c, files.home);
    }
    for (const s of plan.skipped) ctx.out(`skipped   ${tilde(s.path, files.home)}: ${s.reason}`);
    warningLines(ctx, plan, files.home);
    if (!tmuxV) ctx.out(`note: ${tmuxMissing}`);
    const who = v['ssh'] ? 'Cockpit terminals and SSH logins' : 'Cockpit terminals';
    const blocked = plan.warnings.some((w) => shellFiles.includes(w.path));
    if (changed.has('shell') && blocked) ctx.out(`New ${who} attach to "main" once the lines warned about above are fixed.`);
    else if (changed.has('shell')) ctx.out(`New ${who} attach to "main"; a terminal already open does not (${readsWhenStarting(shellFiles, files)}): open a new one.`);
    if (changed.has('tmux')) ctx.out(`tmux reads ${tilde(files.tmuxConf, files.home)} when its server starts; for sessions already running: tmux source-file ${tilde(files.tmuxConf, files.home)}`);
    if (changed.has('cockpit')) ctx.out(`Restart Cockpit to apply the idle timeout: ${RESTART_COCKPIT}`);
    return 0;
  },
};

const tmuxMissing = `tmux not found or its version not recognised: the tmux block leaves out the prefix+H popup (it needs tmux ${POPUP_MIN_TMUX.major}.${POPUP_MIN_TMUX.minor}); install tmux, then run roost init again`;

async function installedTmux(ctx: Context): Promise<Version | null> {
  try {
    return parseTmuxVersion(await tmuxVersion(ctx.tmux));
  } catch {
    return null; // no tmux: the block is written without the popup, and the note says so
  }
}

function guard(f: () => Plan): Plan {
  try {
    return f();
  } catch (e) {
    if (e instanceof SetupError) throw new UserError(e.message);
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EACCES' || err.code === 'EISDIR') throw new UserError(`${err.message}; nothing was changed`);
    throw e;
  }
}

/** Refuse before writing anything if one of the files cannot be written. */
function checkWritable(plan: Plan, which: (c: FileChange) => boolean): void {
  const denied = plan.changes.find((c) => which(c) && c.before !== c.after && !writable(c.path));
  if (denied) throw new UserError(`cannot write ${denied.path} (or its folder): permission denied; nothing was changed`);
}

function outcomeLine(o: Outcome, home: string): string {
  const p = tilde(o.path, home);
  switch (o.did) {
    case 'unchanged': return `unchanged ${p}`;
    case 'created': return `created   ${p}`;
    case 'updated': return `updated   ${p} (backup: ${tilde(o.backup, home)})`;
    case 'removed': return `removed   ${p} (roost had created it; backup: ${tilde(o.backup, home)})`;
  }
}

/** "bash reads ~/.bashrc and zsh reads ~/.zshrc when it starts": the shell files this run changed. */
function readsWhenStarting(paths: string[], files: SetupFiles): string {
  const reads = paths.map((p) => `${p === files.zshrc ? 'zsh' : 'bash'} reads ${tilde(p, files.home)}`);
  return `${reads.join(' and ')} when it starts`;
}

/** "~/.bashrc:5-9" (lines counted from 1, as editors do). */
function at(path: string, first: number, last: number, home: string): string {
  return `${tilde(path, home)}:${first + 1}${last > first ? `-${last + 1}` : ''}`;
}

/** One line per guide snippet the change comments out. */
function turnedOffLines(ctx: Context, c: FileChange, home: string): void {
  if (c.before === c.after) return;
  for (const s of c.turnedOff ?? []) ctx.out(`disabled  ${at(c.path, s.first, s.last, home)}: ${s.what}, commented out: roost's block replaces it (roost init --uninstall turns it back on)`);
}

/** One line per line init left alone that keeps its block from working. */
function warningLines(ctx: Context, plan: Plan, home: string): void {
  for (const w of plan.warnings) ctx.out(`warning   ${at(w.path, w.line, w.line, home)}: ${w.text}: ${w.problem}; fix: ${w.fix}`);
}

function showDiffs(ctx: Context, files: SetupFiles, plan: Plan): number {
  for (const c of plan.changes) {
    const label = tilde(c.path, files.home);
    const d = unifiedDiff(c.before, c.after, label, label);
    if (d) ctx.stdout.write(d);
    else ctx.out(`unchanged ${label}`);
    turnedOffLines(ctx, c, files.home);
  }
  for (const s of plan.skipped) ctx.out(`skipped   ${tilde(s.path, files.home)}: ${s.reason}`);
  warningLines(ctx, plan, files.home);
  ctx.out('dry run: nothing was changed');
  return 0;
}

function uninstall(ctx: Context, files: SetupFiles, dryRun: boolean, cockpit: boolean): number {
  const plan = guard(() => planUninstall(files, readText));
  if (dryRun) return showDiffs(ctx, files, plan);
  checkWritable(plan, () => true);
  const now = new Date();
  for (const c of plan.changes) {
    ctx.out(outcomeLine(applyChange(c, now), files.home));
    if (c.before !== null && hasTurnedOff(c.before)) ctx.out(`restored  ${tilde(c.path, files.home)}: the guide's lines roost init had commented out`);
  }
  if (plan.changes.length === 0) ctx.out('nothing to remove: no roost lines found');
  if (cockpit) ctx.out(`left ${files.cockpitConf} as it is: to bring back Cockpit's idle timeout, remove IdleTimeout=0 under [Session] (as root) and ${RESTART_COCKPIT}`);
  return 0;
}
