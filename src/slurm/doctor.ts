/**
 * `roost doctor`'s check that Slurm's controller answers: the commands
 * being installed (src/setup/doctor.ts checks that) is not enough for
 * `roost node` when slurmctld is down, or SLURM_CONF names another cluster.
 * One read-only squeue call with a short deadline, made only where Slurm is
 * installed or config.toml has a [node] table: a machine without Slurm gets
 * no line from here.
 */
import { runProgram } from '../process/run.js';
import type { Check } from '../setup/doctor.js';
import { onPath } from './sessions.js';
import { notInstalled, oneLine } from './slurm-cli.js';

/** squeue answers in well under a second; a controller that has not answered in this long (ms) is down or unreachable (squeue itself gives up after ~9 s). */
export const CONTROLLER_TIMEOUT_MS = 5000;

export interface ControllerCheckOptions {
  /** Without an allocation's variables. */
  env: NodeJS.ProcessEnv;
  /** config.toml has a [node] table: the user means to use roost node here. */
  configured: boolean;
  timeoutMs?: number;
}

/** Where squeue read its configuration from, for the fix. */
function confHint(env: NodeJS.ProcessEnv): string {
  return env['SLURM_CONF'] ? `SLURM_CONF=${env['SLURM_CONF']}` : "SLURM_CONF unset, so Slurm's default slurm.conf";
}

export async function controllerCheck(o: ControllerCheckOptions): Promise<Check | null> {
  if (!onPath('squeue', o.env)) {
    if (!o.configured) return null;
    return { id: 'slurm-controller', level: 'warn', message: 'config.toml has a [node] table, but squeue is not on PATH: roost node cannot reach Slurm from here', fix: notInstalled('squeue').replace(/^squeue not found: /, '') };
  }
  const timeoutMs = o.timeoutMs ?? CONTROLLER_TIMEOUT_MS;
  const started = Date.now();
  // Read-only, and only this user's jobs: the lightest question the controller must answer itself.
  const r = await runProgram(['squeue', '--me', '--noheader', '--format=%i'], { env: o.env, timeoutMs });
  const took = ((Date.now() - started) / 1000).toFixed(1);
  if (r.ok) return { id: 'slurm-controller', level: 'ok', message: `Slurm's controller answers (squeue --me in ${took} s)` };
  if (r.kind === 'not-found') return { id: 'slurm-controller', level: 'warn', message: notInstalled('squeue') };
  // No configuration: a SLURM_CONF naming no file (squeue retries for a minute: the deadline ends it), or no
  // slurm.conf at all and no DNS records naming a controller (fatal at once).
  const noFile = /cannot stat file (\S+?):/.exec(r.stderr)?.[1];
  if (noFile || /Could not establish a configuration source/i.test(r.stderr)) {
    const what = noFile ? `${noFile} does not exist` : `no slurm.conf (${confHint(o.env)}) and no DNS records name a controller`;
    return { id: 'slurm-controller', level: 'warn', message: `Slurm's commands find no configuration: ${what}`, fix: "set SLURM_CONF to the cluster's slurm.conf, or load your site's Slurm module" };
  }
  const fix = `check that slurmctld runs (scontrol ping, or ask the cluster's admins) and that ${confHint(o.env)} is this cluster's`;
  if (r.kind === 'timeout') {
    return { id: 'slurm-controller', level: 'warn', message: `Slurm's controller did not answer within ${timeoutMs / 1000} s (squeue --me): roost node cannot ask for allocations now`, fix };
  }
  return { id: 'slurm-controller', level: 'warn', message: `Slurm's controller did not answer: squeue --me: ${oneLine(r.stderr) || r.message}`, fix };
}
