/**
 * Every word that names a command: each command's name and aliases (as
 * commands/index.ts lists them; command.test.ts checks they agree) and
 * "help". A leaf without imports, so command.ts and main.ts can ask without
 * a cycle through the command modules.
 */
export const COMMAND_WORDS: ReadonlySet<string> = new Set([
  'attach', 'a', 'new', 'ls', 'list', 'kill', 'rename', 'run', 'jobs', 'logs', 'stop', 'rm', 'adopt', 'job-runner',
  'schedule', 'node', 'node-window', 'init', 'doctor', 'snapshot', 'restore', 'service', 'watch', 'hooks', 'hook',
  'notify', 'serve', 'open', 'token', 'passwd',
]);

/** Whether `word` names a command (or an alias), or is "help". */
export function isCommandName(word: string): boolean {
  return word === 'help' || COMMAND_WORDS.has(word);
}

/**
 * `roost` as typed to reach tmux server `socket` (tmux -L; undefined: the
 * default server): `roost -L work`. A server named after a command is
 * written `roost --socket=ls`: `roost -L ls` is refused as a forgotten name
 * (main.ts).
 */
export function roostOnServer(socket: string | undefined): string {
  if (socket === undefined) return 'roost';
  return isCommandName(socket) ? `roost --socket=${socket}` : `roost -L ${socket}`;
}
