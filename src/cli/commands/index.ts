/** Every CLI command, in the order `roost --help` lists them. */
import type { Command } from '../command.js';
import { attach } from './attach.js';
import { newCommand } from './new.js';
import { ls } from './ls.js';
import { kill } from './kill.js';
import { rename } from './rename.js';
import { init } from './init.js';
import { doctor } from './doctor.js';
import { hooks } from './hooks.js';
import { hook } from './hook.js';
import { watch } from './watch.js';
import { notify } from './notify.js';
import { serve } from './serve.js';
import { open } from './open.js';
import { token } from './token.js';
import { passwd } from './passwd.js';

export const COMMANDS: Command[] = [attach, newCommand, ls, kill, rename, init, doctor, watch, hooks, hook, notify, serve, open, token, passwd];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}
