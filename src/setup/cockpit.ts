/**
 * Cockpit's idle timeout: Cockpit ends web sessions idle for 15 minutes,
 * which ends the terminal and (without tmux) the work in it. `[Session]
 * IdleTimeout=0` turns that off. The file belongs to root: without the
 * right to write it, roost prints the exact commands to run with sudo.
 */
import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import { getIniValue } from './ini.js';

export const RESTART_COCKPIT = 'systemctl restart cockpit.service';

/** Whether this process may write the file (or create it in its folder). */
export function canWrite(path: string, before: string | null): boolean {
  if (process.getuid?.() === 0) return true;
  try {
    accessSync(before === null ? dirname(path) : path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Cockpit's idle timeout in minutes as the file sets it; undefined: the default (15). */
export function idleTimeout(text: string): string | undefined {
  return getIniValue(text, 'Session', 'IdleTimeout');
}

/**
 * Shell commands that make the file `after` with sudo: a backup, the new
 * content through tee from a quoted here-document (nothing in it expands),
 * and a restart. `before` null: the file does not exist yet.
 */
export function sudoCommands(path: string, before: string | null, after: string, backup: string): string[] {
  let eof = 'ROOST_EOF';
  while (after.split('\n').includes(eof)) eof += '_';
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const lines: string[] = [];
  if (before === null) lines.push(`sudo mkdir -p ${q(dirname(path))}`);
  else lines.push(`sudo cp -p ${q(path)} ${q(backup)}`);
  lines.push(`sudo tee ${q(path)} >/dev/null <<'${eof}'`, ...after.replace(/\n$/, '').split('\n'), eof);
  lines.push(`sudo ${RESTART_COCKPIT}`);
  return lines;
}
