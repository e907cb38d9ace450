/**
 * Which environment variables belong to a Slurm allocation, so Roost can
 * keep them out of what it starts. A shell inside an allocation carries
 * SLURM_JOB_ID, SLURM_CPU_BIND, SLURM_NODELIST... A tmux server started
 * there copies them into its global environment and hands them to every
 * later pane: programs then bind to the wrong CPUs, and srun fails with
 * "set by two different environment variables". Roost's CLI and daemon
 * talk to tmux without them, and node sessions scrub a server that has them.
 *
 * SLURM_CONF stays: it names the cluster's configuration, not an allocation.
 * Input variables (SALLOC_*, SBATCH_*, SRUN_*) stay too: they are the
 * user's own defaults.
 */

/** Set in a task or an allocation by Slurm; names the job Roost was started in. */
export function isAllocationVar(name: string): boolean {
  return (name.startsWith('SLURM_') && name !== 'SLURM_CONF') || name.startsWith('SLURMD_');
}

/** A copy of `env` without any allocation's variables. */
export function withoutAllocation(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!isAllocationVar(k)) out[k] = v;
  return out;
}
