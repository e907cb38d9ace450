/**
 * Real read-only and full disks for tests, without privileges: a shell script
 * run in a private user and mount namespace (`unshare -Urm`), where it may
 * mount a tmpfs read-only or of a few kilobytes. Root in the namespace is the
 * caller outside it; the mounts vanish with the namespace's last process.
 */
import { execFile, execFileSync } from 'node:child_process';
import { ROOST_BIN, cliEnv, type CliOptions } from './cli.js';
import { stretch } from './tmux.js';

/** Whether this kernel or container lets an unprivileged process make such a namespace and mount in it. */
export const userNamespaces = (() => {
  try {
    execFileSync('unshare', ['-Urm', 'sh', '-c', 'mount -t tmpfs -o size=16k none /mnt'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
})();

export const NO_NAMESPACES = 'this kernel or container allows no unprivileged user and mount namespaces (unshare -Urm), so no read-only or full disk can be made';

/**
 * Run `script` (sh) in a private namespace with `roost` defined as a function
 * running the built CLI (stderr folded into stdout, then a line "exit N"),
 * and $NODE and $ROOST for running it otherwise; resolves with its stdout.
 * The environment is the CLI's (cliEnv); `args` are the script's $1, $2, ...
 */
export function inNamespace(o: CliOptions, script: string, ms = 60_000, args: string[] = []): Promise<string> {
  const full = `set -u\nNODE="${process.execPath}"; ROOST="${ROOST_BIN}"\nroost() { "$NODE" "$ROOST" "$@" 2>&1; echo "exit $?"; }\n${script}`;
  return new Promise((resolve, reject) => {
    execFile('unshare', ['-Urm', 'sh', '-c', full, 'sh', ...args], { env: cliEnv(o), cwd: o.home, encoding: 'utf8', timeout: stretch(ms) }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
