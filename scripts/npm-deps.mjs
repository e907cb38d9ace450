// Whether `npm start` / `npm test` must (re)install npm packages. The
// installed tree is current when it was installed from this very lockfile:
// a digest of package-lock.json is kept beside the packages after each
// install. Comparing contents, not modification times, means a checkout or
// pull that touches package.json or the lockfile without changing them
// (git rewrites files it switches) costs no two-minute reinstall, and an
// edit made within the same second as an install is still seen.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const MARKER = join('node_modules', '.roost-lock-sha256');
const NODEDIR = 'npm_package_config_node_gyp_nodedir';
const FROM_SOURCE = 'prebuild-install_buildFromSource';

/** sha256 of the lockfile, or null without one. */
export function lockDigest(root) {
  const lock = join(root, 'package-lock.json');
  return existsSync(lock) ? createHash('sha256').update(readFileSync(lock)).digest('hex') : null;
}

/** Why node_modules must be (re)installed, said for people; null when it matches the lockfile. */
export function whyStale(root) {
  if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) return 'node_modules is not installed';
  const digest = lockDigest(root);
  if (digest === null) return 'there is no package-lock.json'; // npm install decides
  const marker = join(root, MARKER);
  if (!existsSync(marker)) return 'node_modules was not installed from this package-lock.json';
  return readFileSync(marker, 'utf8').trim() === digest ? null : 'package-lock.json changed since the last install';
}

/** True when node_modules is missing or was installed from another lockfile (or none is recorded). */
export function depsStale(root) {
  return whyStale(root) !== null;
}

/** Record that node_modules now matches the lockfile (call after a successful install). */
export function markInstalled(root) {
  const digest = lockDigest(root);
  if (digest !== null) writeFileSync(join(root, MARKER), `${digest}\n`);
}

/**
 * The environment for `npm ci`: packages come from npm's registry alone.
 * - node-gyp builds native modules against the running Node's own headers
 *   (Debian: /usr/include/node) instead of downloading them, unless the
 *   user's npm config already names a nodedir.
 * - better-sqlite3 compiles from source: its install script would otherwise
 *   fetch a prebuilt binary from GitHub (prebuild-install) where the network
 *   allows. node-pty compiles on Linux anyway (it ships prebuilds for macOS
 *   and Windows only).
 * Both are set through each tool's own variables (node-gyp's
 * npm_package_config_node_gyp_*, prebuild-install's rc prefix), not npm's
 * npm_config_nodedir / npm_config_build_from_source: those work as well,
 * but npm 11 warns of an unknown config for each and says npm 12 drops them.
 */
export function installEnv(env, execPath) {
  const out = { ...env };
  const prefix = dirname(dirname(execPath));
  if (!out.npm_config_nodedir && !out[NODEDIR] && existsSync(join(prefix, 'include', 'node', 'node_version.h'))) out[NODEDIR] = prefix;
  if (!out.npm_config_build_from_source && !out[FROM_SOURCE]) out[FROM_SOURCE] = 'true';
  return out;
}
