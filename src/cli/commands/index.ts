/**
 * Every CLI command, in the order `roost --help` lists them. A command's
 * module is imported only when it runs: `roost hook` runs at every Claude
 * Code event and must not pay for loading the daemon, the web server or
 * SQLite. `roost --help` loads them all.
 */
import type { Command } from '../command.js';

export interface CommandEntry {
  name: string;
  aliases?: readonly string[];
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'attach', aliases: ['a'], load: async () => (await import('./attach.js')).attach },
  { name: 'new', load: async () => (await import('./new.js')).newCommand },
  { name: 'ls', aliases: ['list'], load: async () => (await import('./ls.js')).ls },
  { name: 'kill', load: async () => (await import('./kill.js')).kill },
  { name: 'rename', load: async () => (await import('./rename.js')).rename },
  { name: 'run', load: async () => (await import('./run.js')).run },
  { name: 'jobs', load: async () => (await import('./jobs.js')).jobsCommand },
  { name: 'logs', load: async () => (await import('./logs.js')).logs },
  { name: 'stop', load: async () => (await import('./stop.js')).stop },
  { name: 'rm', load: async () => (await import('./rm.js')).rm },
  { name: 'adopt', load: async () => (await import('./adopt.js')).adopt },
  { name: 'job-runner', load: async () => (await import('./job-runner.js')).jobRunner },
  { name: 'schedule', load: async () => (await import('./schedule.js')).schedule },
  { name: 'node', load: async () => (await import('./node.js')).node },
  { name: 'node-window', load: async () => (await import('./node-window.js')).nodeWindow },
  { name: 'init', load: async () => (await import('./init.js')).init },
  { name: 'doctor', load: async () => (await import('./doctor.js')).doctor },
  { name: 'snapshot', load: async () => (await import('./snapshot.js')).snapshot },
  { name: 'restore', load: async () => (await import('./restore.js')).restore },
  { name: 'service', load: async () => (await import('./service.js')).service },
  { name: 'watch', load: async () => (await import('./watch.js')).watch },
  { name: 'hooks', load: async () => (await import('./hooks.js')).hooks },
  { name: 'hook', load: async () => (await import('./hook.js')).hook },
  { name: 'notify', load: async () => (await import('./notify.js')).notify },
  { name: 'serve', load: async () => (await import('./serve.js')).serve },
  { name: 'open', load: async () => (await import('./open.js')).open },
  { name: 'token', load: async () => (await import('./token.js')).token },
  { name: 'passwd', load: async () => (await import('./passwd.js')).passwd },
];

export async function findCommand(name: string): Promise<Command | undefined> {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name))?.load();
}

export function loadAllCommands(): Promise<Command[]> {
  return Promise.all(COMMANDS.map((c) => c.load()));
}
