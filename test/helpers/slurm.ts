/**
 * A real single-node Slurm 22.05 for the node-session tests: the shared
 * folder's start-local-slurm.sh (munge, slurmctld, slurmd; it installs the
 * Debian packages when missing), found beside the repository or above it
 * (CI: ../shared). One cluster per machine (its ports are fixed): one that
 * already ran before the tests is used and left running; one the tests
 * started is stopped by stop-local-slurm.sh when the last test process using
 * it is done (after its file, or on exit if that never came). Jobs the tests
 * made are cancelled either way.
 *
 * When the cluster cannot start, useSlurm says why: the tests are skipped
 * with that reason, or fail with it under CI=true.
 */
import { after } from 'node:test';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './cli.js';

/** Where start-local-slurm.sh keeps the cluster (its default). */
export const SLURM_DIR = '/tmp/local-slurm';
/** Installing the packages takes ~18 s; starting ~1 s; a cluster that needs longer is broken. */
const START_TIMEOUT_MS = 180_000;

export type SlurmAvailability = { ok: true; conf: string; startedHere: boolean } | { ok: false; reason: string };

/** The shared folder's slurm scripts: ROOST_SHARED_DIR, or `shared/slurm` beside the repository or one of its parents. */
function scriptsDir(): string | null {
  const fromEnv = process.env['ROOST_SHARED_DIR'];
  if (fromEnv && existsSync(join(fromEnv, 'slurm', 'start-local-slurm.sh'))) return join(fromEnv, 'slurm');
  for (let d = dirname(ROOT); ; d = dirname(d)) {
    if (existsSync(join(d, 'shared', 'slurm', 'start-local-slurm.sh'))) return join(d, 'shared', 'slurm');
    if (dirname(d) === d) return null;
  }
}

/** The pid of the cluster's running slurmctld, or null. */
function controller(dir: string): string | null {
  try {
    const pid = readFileSync(join(dir, 'slurmctld.pid'), 'utf8').trim();
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'slurmctld' ? pid : null;
  } catch {
    return null; // no pid file, or no such process: not running
  }
}

function run(file: string, args: string[], timeout: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', timeout, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

let cached: Promise<SlurmAvailability> | null = null;

/**
 * Test processes using the cluster, one file each (by pid) in the cluster's
 * folder, so that two test runs on one machine share it: the last one out
 * stops it, if a test run started it (the marker file), never one that was
 * running before.
 */
const USERS = join(SLURM_DIR, 'roost-test-users');
const STARTED_BY_TESTS = join(SLURM_DIR, 'roost-test-started');

function liveUsers(): string[] {
  try {
    return readdirSync(USERS).filter((pid) => {
      try {
        process.kill(Number(pid), 0);
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EPERM') return true; // alive, another user's
        rmSync(join(USERS, pid), { force: true }); // a test process that died without its after hooks
        return false;
      }
    });
  } catch {
    return []; // no folder: nobody
  }
}

/**
 * The local cluster, started if needed (once per test process); sets
 * SLURM_CONF in process.env so that tmux servers and CLIs started after
 * this find it.
 */
export function useSlurm(): Promise<SlurmAvailability> {
  cached ??= (async (): Promise<SlurmAvailability> => {
    const scripts = scriptsDir();
    if (!scripts) return { ok: false, reason: 'shared/slurm/start-local-slurm.sh not found beside the repository (set ROOST_SHARED_DIR)' };
    const startedHere = controller(SLURM_DIR) === null;
    const r = await run(join(scripts, 'start-local-slurm.sh'), [SLURM_DIR], START_TIMEOUT_MS);
    const conf = /export SLURM_CONF=(\S+)/.exec(r.stdout)?.[1];
    if (existsSync(SLURM_DIR)) {
      mkdirSync(USERS, { recursive: true });
      writeFileSync(join(USERS, String(process.pid)), '');
      // The marker names the controller the tests started: a cluster started later by someone else is not theirs to stop.
      if (startedHere) writeFileSync(STARTED_BY_TESTS, controller(SLURM_DIR) ?? '');
    }
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      rmSync(join(USERS, String(process.pid)), { force: true });
      if (liveUsers().length > 0 || !existsSync(STARTED_BY_TESTS)) return;
      const ours = readFileSync(STARTED_BY_TESTS, 'utf8') === controller(SLURM_DIR);
      rmSync(STARTED_BY_TESTS, { force: true });
      if (!ours) return;
      spawnSync(join(scripts, 'stop-local-slurm.sh'), [SLURM_DIR], { stdio: 'ignore', timeout: 60_000 });
    };
    after(leave);
    // A test process that dies before its after hooks still leaves (and stops what tests started).
    process.on('exit', leave);
    if (r.code !== 0 || !conf) {
      const why = r.stderr.trim().split('\n').slice(-3).join(' | ') || `exit ${r.code}`;
      return { ok: false, reason: `the local Slurm did not start: ${why}` };
    }
    process.env['SLURM_CONF'] = conf;
    return { ok: true, conf, startedHere };
  })();
  return cached;
}

/** Cancel, after the test file, every job whose name starts with `prefix` (a test's sessions are roost-PREFIX...). */
export function cancelJobsAfter(prefix: string): void {
  after(() => {
    const q = spawnSync('squeue', ['--noheader', '--me', '--format=%i %j'], { encoding: 'utf8' });
    const ids = (q.stdout ?? '').split('\n').map((l) => l.split(' ')).filter(([, n]) => n?.startsWith(prefix)).map(([id]) => id!);
    if (ids.length) spawnSync('scancel', ids, { stdio: 'ignore' });
  });
}

/** The skip option for a test that needs the cluster: undefined when it runs, else the reason (CI=true fails instead of skipping). */
export function skipUnless(a: SlurmAvailability): string | undefined {
  if (a.ok) return undefined;
  if (process.env['CI'] === 'true') throw new Error(a.reason);
  return a.reason;
}
