/**
 * Whether typing `roost` runs this Roost, and if not, the command that makes
 * it so: a symlink to this clone's bin/roost in a folder on PATH. `roost
 * doctor` reports it; `npm start` offers it (a clone's bin is on no PATH).
 */
import { lstatSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from '../attention/claude-settings.js';
import { which } from './host.js';

export interface OnPathOptions {
  /** This Roost's bin/roost. */
  bin: string;
  env: NodeJS.ProcessEnv;
  home: string;
  /** root may link into /usr/local/bin; a user links into a folder of their own. */
  root: boolean;
}

export type OnPath =
  | { ok: true; found: string }
  | { ok: false; found: string | null; message: string; fix: string };

const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p; // a dangling link or a race: compare the path as it is
  }
};

/** The symlink command for a folder on PATH; without one of the user's own, ~/.local/bin and how it gets on PATH. */
function linkCommand(o: OnPathOptions, replace: string | null): string {
  const bin = shellQuote(o.bin);
  if (replace !== null) return `ln -sf ${bin} ${shellQuote(replace)}`;
  const path = (o.env['PATH'] ?? '').split(':');
  const mine = [join(o.home, '.local', 'bin'), join(o.home, 'bin')].find((d) => path.includes(d));
  if (mine) return `ln -s ${bin} ${shellQuote(join(mine, 'roost'))}`;
  if (o.root && path.includes('/usr/local/bin')) return `ln -s ${bin} /usr/local/bin/roost`;
  // Debian's ~/.profile puts ~/.local/bin on PATH at login when the folder exists.
  return `mkdir -p ~/.local/bin && ln -s ${bin} ~/.local/bin/roost, then log in again (~/.profile adds ~/.local/bin to PATH once it exists)`;
}

export function roostOnPath(o: OnPathOptions): OnPath {
  const found = which('roost', o.env);
  if (found !== null && real(found) === real(o.bin)) return { ok: true, found };
  if (found === null) return { ok: false, found, message: `roost is not on PATH (this Roost is ${o.bin})`, fix: linkCommand(o, null) };
  // Another roost comes first: a link (to another clone) can be pointed here; anything else is the user's to sort out.
  let link = false;
  try {
    link = lstatSync(found).isSymbolicLink();
  } catch {
    // Gone since which() saw it: treat it as a file.
  }
  return {
    ok: false,
    found,
    message: `roost on PATH is ${found}, not this Roost (${o.bin})`,
    fix: link ? linkCommand(o, found) : `remove ${found}, or run this Roost as ${o.bin}`,
  };
}
