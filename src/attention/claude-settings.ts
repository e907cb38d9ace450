/**
 * Roost's entries in Claude Code's settings.json: merged in beside the
 * user's own hooks, found again by their command (it runs `roost hook
 * claude`), and removed without touching anything else. Before every change
 * the file is copied to one backup per settings file in Roost's state folder
 * (never beside it: a project's .claude/ is often committed), then rewritten
 * atomically with its mode kept and through a symlink (dotfiles); a run that
 * would change nothing writes nothing.
 *
 * Claude Code's hook layout:
 *   {"hooks": {"Stop": [{"matcher": "...", "hooks": [{"type": "command", "command": "...", "timeout": 5}]}]}}
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic, writePrivateFile } from '../config/files.js';

/** The events Roost listens to, with the matcher each needs. */
export const CLAUDE_HOOK_EVENTS: readonly { event: string; matcher?: string }[] = [
  { event: 'Notification', matcher: 'permission_prompt|idle_prompt' },
  { event: 'Stop' },
  { event: 'SessionStart' },
  { event: 'SessionEnd' },
];

/** Seconds Claude waits for our hook; it finishes in well under one (see hook-client.ts). */
const HOOK_TIMEOUT_SECONDS = 5;

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** ~/.claude/settings.json, or DIR/.claude/settings.json for a project. */
export function claudeSettingsFile(home: string, project?: string): string {
  return join(project ?? home, '.claude', 'settings.json');
}

/**
 * Where the copy of `file` taken before a change goes: STATE/backups/claude/
 * NAME-HASH.settings.json, NAME the folder holding .claude (the project, or
 * your home) and HASH from the file's path, so each settings file has exactly
 * one backup, replaced at each change.
 */
export function claudeSettingsBackup(stateDir: string, file: string): string {
  const path = resolve(file);
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 12);
  const name = basename(dirname(dirname(path))).replace(/[^A-Za-z0-9._-]/g, '_') || 'root';
  return join(stateDir, 'backups', 'claude', `${name}-${hash}.settings.json`);
}

/** Quote a word for the POSIX shell that runs Claude's hook commands. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_\/.,:+@%=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command Claude runs: the absolute path of this install's roost, then `hook claude`. */
export function hookCommand(roostBin: string): string {
  return `${shellQuote(roostBin)} hook claude`;
}

/** Whether a hook command is one of ours: it runs a `roost` program with `hook claude`. */
export function isRoostCommand(command: unknown): boolean {
  return typeof command === 'string' && /(^|[\/\s'"])roost['"]?\s+hook\s+claude(\s|$)/.test(command);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Remove our entries; keys emptied by the removal go too, everything else stays as it was. */
export function withoutRoost(settings: Json): { next: Json; removed: number } {
  const hooks = settings['hooks'];
  if (!isObject(hooks)) return { next: settings, removed: 0 };
  let removed = 0;
  const nextHooks: Json = {};
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) {
      nextHooks[event] = groups;
      continue;
    }
    const nextGroups: unknown[] = [];
    for (const g of groups) {
      if (!isObject(g) || !Array.isArray(g['hooks'])) {
        nextGroups.push(g);
        continue;
      }
      const kept = g['hooks'].filter((h) => !(isObject(h) && isRoostCommand(h['command'])));
      removed += g['hooks'].length - kept.length;
      if (kept.length === g['hooks'].length) nextGroups.push(g);
      else if (kept.length > 0) nextGroups.push({ ...g, hooks: kept });
    }
    if (nextGroups.length > 0 || groups.length === 0) nextHooks[event] = nextGroups;
  }
  const next: Json = { ...settings };
  if (Object.keys(nextHooks).length > 0 || Object.keys(hooks).length === 0) next['hooks'] = nextHooks;
  else delete next['hooks'];
  return { next, removed };
}

/** Settings with exactly one Roost entry per event, after the user's own. */
export function withRoost(settings: Json, command: string): Json {
  const { next } = withoutRoost(settings);
  const hooks: Json = isObject(next['hooks']) ? { ...next['hooks'] } : {};
  if (next['hooks'] !== undefined && !isObject(next['hooks'])) throw new SettingsError('"hooks" is not an object');
  for (const { event, matcher } of CLAUDE_HOOK_EVENTS) {
    const groups = hooks[event];
    if (groups !== undefined && !Array.isArray(groups)) throw new SettingsError(`"hooks.${event}" is not a list`);
    const entry: Json = { ...(matcher ? { matcher } : {}), hooks: [{ type: 'command', command, timeout: HOOK_TIMEOUT_SECONDS }] };
    hooks[event] = [...(groups ?? []), entry];
  }
  return { ...next, hooks };
}

/** Our installed commands, by event. */
export function roostEntries(settings: Json): { event: string; command: string }[] {
  const out: { event: string; command: string }[] = [];
  const hooks = settings['hooks'];
  if (!isObject(hooks)) return out;
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    for (const g of groups) {
      if (!isObject(g) || !Array.isArray(g['hooks'])) continue;
      for (const h of g['hooks']) if (isObject(h) && isRoostCommand(h['command'])) out.push({ event, command: h['command'] as string });
    }
  }
  return out;
}

export function readSettings(file: string): Json | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new SettingsError(`${file} is not valid JSON (${(e as Error).message}); nothing changed`);
  }
  if (!isObject(v)) throw new SettingsError(`${file} does not hold a JSON object; nothing changed`);
  return v;
}

export interface ChangeResult {
  file: string;
  changed: boolean;
  /** Copy of the file before the change (see claudeSettingsBackup), or null (nothing changed, or there was no file). */
  backup: string | null;
  /** Our hook entries removed (uninstall; install replaces older ones). */
  removed: number;
}

function write(file: string, before: Json | null, after: Json, backupFile: string): string | null {
  let backup: string | null = null;
  let mode = 0o600;
  if (before !== null) {
    mode = statSync(file).mode & 0o777; // through a link: the target's mode
    writePrivateFile(backupFile, readFileSync(file)); // 0600: settings may hold tokens
    backup = backupFile;
  } else {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  }
  writeFileAtomic(file, `${JSON.stringify(after, null, 2)}\n`, mode);
  return backup;
}

/** Merge our hooks into a settings file (created if absent). Idempotent. */
export function installClaudeHooks(file: string, command: string, backupFile: string): ChangeResult {
  const before = readSettings(file);
  const current = before ?? {};
  const after = withRoost(current, command);
  if (before !== null && JSON.stringify(after) === JSON.stringify(before)) return { file, changed: false, backup: null, removed: 0 };
  const removed = withoutRoost(current).removed;
  return { file, changed: true, backup: write(file, before, after, backupFile), removed };
}

/** Remove our hooks from a settings file; the user's own entries stay exactly as they were. */
export function uninstallClaudeHooks(file: string, backupFile: string): ChangeResult {
  const before = readSettings(file);
  if (before === null) return { file, changed: false, backup: null, removed: 0 };
  const { next, removed } = withoutRoost(before);
  if (removed === 0) return { file, changed: false, backup: null, removed: 0 };
  return { file, changed: true, backup: write(file, before, next, backupFile), removed };
}
