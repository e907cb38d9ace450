/**
 * The guide's window layout for session `main` (claude, logs, shell) as a
 * template block in config.toml, which `roost` uses when it creates main.
 *
 * The claude and logs windows fall back to a shell when their program ends
 * (or is not installed): the window stays, and `roost` never sees a session
 * that died the moment it was made.
 */
import { existsSync } from 'node:fs';
import { parseConfig } from '../config/config.js';

/** What the logs window follows: the journal where there is one, else syslog; null: a plain shell. */
export function logsCommand(journalctl: boolean, syslog = '/var/log/syslog', exists: (p: string) => boolean = existsSync): string | null {
  if (journalctl) return 'journalctl -f';
  if (exists(syslog)) return `tail -F ${syslog}`;
  return null;
}

/** A TOML string: literal (no escapes) when it can be, for readability. */
const q = (s: string) => (/['\n]/.test(s) ? JSON.stringify(s) : `'${s}'`);

export function layoutBlock(logs: string | null): string {
  const thenShell = (cmd: string) => q(`${cmd}; exec "$SHELL"`);
  return `# Added by roost init: the layout of session "main", used when roost
# creates main. Edit it freely: roost init leaves it as it is, and
# roost init --uninstall removes it. A window whose program ends keeps a shell.
[sessions.main]

[[sessions.main.windows]]
name = "claude"
command = ${thenShell('claude')}

[[sessions.main.windows]]
name = "logs"
${logs ? `command = ${thenShell(logs)}\n` : ''}
[[sessions.main.windows]]
name = "shell"
`;
}

/** Whether config.toml text already templates "main" (then the layout is not offered). */
export function hasMainTemplate(text: string, file: string): boolean {
  return parseConfig(text, file).sessions['main'] !== undefined;
}
