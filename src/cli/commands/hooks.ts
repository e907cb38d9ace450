/**
 * roost hooks install|uninstall|status: Roost's entries in Claude Code's
 * settings (src/attention/claude-settings.ts does the merging).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { daemonAnswers } from '../../daemon/client.js';
import { roostBin } from '../../config/install.js';
import { noExtra, onlyOptions, str, UsageError, UserError, type Command, type Context } from '../command.js';
import {
  CLAUDE_HOOK_EVENTS, SettingsError, claudeSettingsBackup, claudeSettingsFile, hookCommand, installClaudeHooks, readSettings, roostEntries, uninstallClaudeHooks,
} from '../../attention/claude-settings.js';

/** How long status waits for the daemon to answer (ms). */
const PROBE_MS = 1000;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // absent or unreadable: either way not a project folder we can use
  }
}

function settingsFileFor(ctx: Context, project: string | undefined): string {
  // A mistyped --project must not create a new folder with a .claude inside.
  if (project !== undefined && !isDirectory(resolve(project))) throw new UserError(`--project ${project}: no such folder`);
  return claudeSettingsFile(ctx.paths.home, project === undefined ? undefined : resolve(project));
}

function tilde(ctx: Context, p: string): string {
  return p.startsWith(`${ctx.paths.home}/`) ? `~${p.slice(ctx.paths.home.length)}` : p;
}

function agentArg(args: { positionals: string[] }): void {
  const agent = args.positionals[1];
  if (agent === undefined) throw new UsageError('missing agent (claude)');
  if (agent !== 'claude') throw new UserError(`unknown agent "${agent}": Roost has hooks for claude`);
}

export const hooks: Command = {
  name: 'hooks',
  summary: "add Roost's hooks to Claude Code (exact waiting signals)",
  usage: `roost hooks install claude [--project DIR]
roost hooks uninstall claude [--project DIR]
roost hooks status [--project DIR] [--json]

Claude Code hooks tell Roost exactly when Claude needs permission, is idle or
is done, and which Claude session runs in which tmux pane. install merges
Roost's entries (Notification, Stop, SessionStart, SessionEnd) into
~/.claude/settings.json, or DIR/.claude/settings.json with --project, beside
your own hooks; running it again changes nothing. uninstall removes only
Roost's entries. Before a change the file is copied to one backup per file in
Roost's state folder (the path is printed), never beside it; a symlinked
settings.json stays a link and its target gets the change.

The hook runs "roost hook claude" from this install; it reports to the Roost
daemon in well under a second and never blocks or fails Claude.

Options:
  --project DIR   a project's settings instead of your own
  --json          (status) print a JSON object`,
  options: { project: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx, args) {
    const action = args.positionals[0];
    const project = str(args, 'project');
    try {
      if (action === 'install') {
        onlyOptions(args, 'hooks install', ['project']);
        noExtra(args, 2);
        agentArg(args);
        const command = hookCommand(roostBin());
        const file = settingsFileFor(ctx, project);
        const r = installClaudeHooks(file, command, claudeSettingsBackup(ctx.paths.stateDir, file));
        if (!r.changed) ctx.out(`Claude Code hooks already installed in ${tilde(ctx, r.file)}`);
        else {
          ctx.out(`installed Claude Code hooks in ${tilde(ctx, r.file)} (${CLAUDE_HOOK_EVENTS.map((e) => e.event).join(', ')})`);
          if (r.backup) ctx.out(`backup: ${tilde(ctx, r.backup)}`);
        }
        return 0;
      }
      if (action === 'uninstall') {
        onlyOptions(args, 'hooks uninstall', ['project']);
        noExtra(args, 2);
        agentArg(args);
        const file = settingsFileFor(ctx, project);
        const r = uninstallClaudeHooks(file, claudeSettingsBackup(ctx.paths.stateDir, file));
        if (!r.changed) ctx.out(`no Roost hooks in ${tilde(ctx, r.file)}`);
        else ctx.out(`removed ${r.removed} Roost hook entr${r.removed === 1 ? 'y' : 'ies'} from ${tilde(ctx, r.file)}${r.backup ? ` (backup: ${tilde(ctx, r.backup)})` : ''}`);
        return 0;
      }
      if (action === 'status') {
        onlyOptions(args, 'hooks status', ['project', 'json']);
        noExtra(args, 1);
        return await status(ctx, project, args.values['json'] === true);
      }
    } catch (e) {
      if (e instanceof SettingsError) throw new UserError(e.message);
      throw e;
    }
    throw new UsageError(action === undefined ? 'missing action (install, uninstall or status)' : `unknown action "${action}"`);
  },
};

async function status(ctx: Context, project: string | undefined, json: boolean): Promise<number> {
  const expected = hookCommand(roostBin());
  const files = [settingsFileFor(ctx, undefined), ...(project !== undefined ? [settingsFileFor(ctx, project)] : [])];
  const claude = files.map((file) => {
    const settings = readSettings(file);
    const entries = settings ? roostEntries(settings) : [];
    const events = CLAUDE_HOOK_EVENTS.map((e) => e.event);
    return {
      file,
      exists: settings !== null,
      installed: events.filter((e) => entries.some((x) => x.event === e)),
      missing: events.filter((e) => !entries.some((x) => x.event === e)),
      commands: [...new Set(entries.map((x) => x.command))],
      current: entries.length > 0 && entries.every((x) => x.command === expected),
    };
  });
  const daemon = { socket: ctx.paths.socket, running: await daemonAnswers(ctx.paths.socket, PROBE_MS) };
  if (json) {
    ctx.out(JSON.stringify({ claude, daemon }, null, 2));
    return 0;
  }
  for (const c of claude) {
    const where = tilde(ctx, c.file);
    if (c.installed.length === 0) ctx.out(`claude  ${where}: not installed (roost hooks install claude${c.file === files[0] ? '' : ' --project DIR'})`);
    else {
      ctx.out(`claude  ${where}: ${c.missing.length === 0 ? 'installed' : `partly installed (missing ${c.missing.join(', ')})`}`);
      ctx.out(`        runs ${c.commands.join(', ')}${c.current ? '' : ` (not this install: run roost hooks install claude again)`}`);
    }
  }
  ctx.out(`daemon  ${tilde(ctx, daemon.socket)}: ${daemon.running ? 'running' : 'not running (hook signals are skipped until it runs)'}`);
  return 0;
}
