/** Every CLI command, in the order `roost --help` lists them. */
import type { Command } from '../command.js';
import { attach } from './attach.js';
import { newCommand } from './new.js';
import { ls } from './ls.js';
import { kill } from './kill.js';
import { rename } from './rename.js';
import { init } from './init.js';
import { doctor } from './doctor.js';

export const COMMANDS: Command[] = [attach, newCommand, ls, kill, rename, init, doctor];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}
