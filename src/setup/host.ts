/**
 * Facts about this machine and user that set-up depends on, read from the
 * environment and the file system (never by running a shell): which files
 * to edit, what is on PATH, which terminfo entries exist.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Paths } from '../config/paths.js';

/** Cockpit's config; ROOST_COCKPIT_CONF points elsewhere (tests, other layouts). */
export const COCKPIT_CONF = '/etc/cockpit/cockpit.conf';

export interface SetupFiles {
  home: string;
  /** The tmux config roost init writes: ~/.tmux.conf, or the XDG one if only that exists. */
  tmuxConf: string;
  /** Every user tmux config tmux reads (it reads all that exist). */
  tmuxConfs: string[];
  bashrc: string;
  /** ${ZDOTDIR:-$HOME}/.zshrc */
  zshrc: string;
  /** $SHELL is zsh. */
  zsh: boolean;
  /** Roost's config.toml (for the layout of "main"). */
  configFile: string;
  cockpitConf: string;
}

export function setupFiles(paths: Paths, env: NodeJS.ProcessEnv): SetupFiles {
  const home = paths.home;
  const xdgConfig = env['XDG_CONFIG_HOME']?.startsWith('/') ? env['XDG_CONFIG_HOME'] : join(home, '.config');
  const dotTmux = join(home, '.tmux.conf');
  // The order tmux searches (3.1+); it loads each that exists.
  const tmuxConfs = [...new Set([dotTmux, join(xdgConfig, 'tmux', 'tmux.conf'), join(home, '.config', 'tmux', 'tmux.conf')])];
  const tmuxConf = existsSync(dotTmux) ? dotTmux : tmuxConfs.find((f) => existsSync(f)) ?? dotTmux;
  const zdot = env['ZDOTDIR']?.startsWith('/') ? env['ZDOTDIR'] : home;
  return {
    home,
    tmuxConf,
    tmuxConfs,
    bashrc: join(home, '.bashrc'),
    zshrc: join(zdot, '.zshrc'),
    zsh: basename(env['SHELL'] ?? '') === 'zsh',
    configFile: paths.configFile,
    cockpitConf: env['ROOST_COCKPIT_CONF'] || COCKPIT_CONF,
  };
}

/** The full path of an executable on env's PATH, or null (what `command -v` does). */
export function which(cmd: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env['PATH'] ?? '').split(':')) {
    if (!dir.startsWith('/')) continue; // relative PATH entries depend on the cwd: skip them
    const p = join(dir, cmd);
    try {
      if (!statSync(p).isFile()) continue;
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // Not there or not executable: try the next folder.
    }
  }
  return null;
}

/** Whether a terminfo entry exists where ncurses looks for it. */
export function hasTerminfo(name: string, env: NodeJS.ProcessEnv, home: string): boolean {
  const dirs = [
    env['TERMINFO'],
    join(home, '.terminfo'),
    ...(env['TERMINFO_DIRS'] ?? '').split(':'),
    '/etc/terminfo', '/lib/terminfo', '/usr/share/terminfo', '/usr/lib/terminfo',
  ].filter((d): d is string => !!d && d.startsWith('/'));
  // ncurses files entries by first letter, or by its hex code on some systems.
  const sub = [name[0]!, name.charCodeAt(0).toString(16)];
  return dirs.some((d) => sub.some((s) => existsSync(join(d, s, name))));
}

/** Shorten a path under HOME to ~/... for messages. */
export function tilde(path: string, home: string): string {
  return home && home !== '/' && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}
