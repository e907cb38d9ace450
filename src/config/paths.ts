/**
 * Where Roost keeps its files, following the XDG base directory spec:
 * config in $XDG_CONFIG_HOME/roost (~/.config/roost), state (database,
 * logs, keys) in $XDG_STATE_HOME/roost (~/.local/state/roost), the daemon's
 * socket in $XDG_RUNTIME_DIR/roost (or the state folder when there is none).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Paths {
  home: string;
  configDir: string;
  configFile: string;
  stateDir: string;
  runtimeDir: string;
  /** The daemon's unix socket (HTTP API for the CLI and agent hooks). */
  socket: string;
}

export function resolvePaths(env: NodeJS.ProcessEnv = process.env): Paths {
  const home = env['HOME'] || homedir();
  const xdg = (key: string, fallback: string) => {
    const v = env[key];
    // The spec says relative values are invalid and must be ignored.
    return v && v.startsWith('/') ? v : fallback;
  };
  const configDir = join(xdg('XDG_CONFIG_HOME', join(home, '.config')), 'roost');
  const stateDir = join(xdg('XDG_STATE_HOME', join(home, '.local', 'state')), 'roost');
  const runtimeDir = env['XDG_RUNTIME_DIR']?.startsWith('/') ? join(env['XDG_RUNTIME_DIR'], 'roost') : join(stateDir, 'run');
  return { home, configDir, configFile: join(configDir, 'config.toml'), stateDir, runtimeDir, socket: join(runtimeDir, 'roost.sock') };
}
