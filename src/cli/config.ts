/**
 * config.toml as a command that runs no schedule reads it: a
 * [schedules.NAME] table that does not check is left out with a warning
 * instead of refusing the command (config.ts, skipBadSchedules). `roost
 * schedule`, `roost doctor` and the daemon read the file whole.
 */
import { loadConfig, type Config } from '../config/config.js';
import type { Context } from './command.js';

export function commandConfig(ctx: Pick<Context, 'paths' | 'err'>): Config {
  return loadConfig(ctx.paths.configFile, {
    skipBadSchedules: (problem) => ctx.err(`roost: warning: ${problem} (this command leaves that schedule out; roost schedule and the daemon refuse the file until it is fixed)`),
  });
}
