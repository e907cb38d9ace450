/**
 * `roost doctor`'s check of Slurm's controller (src/slurm/doctor.ts) through
 * the real CLI: against the local cluster (test/helpers/slurm.ts) it
 * answers; with a copy of its slurm.conf naming a port nothing listens on,
 * squeue cannot reach it and doctor says so, with the fix, in its own
 * deadline (squeue alone takes ~9 s to give up); without Slurm, nothing is
 * said unless config.toml has a [node] table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { skipUnless, useSlurm } from '../helpers/slurm.js';
import type { Check } from '../../src/setup/doctor.js';

const slurm = await useSlurm();
const skip = skipUnless(slurm);

interface Report {
  ok: boolean;
  checks: Check[];
}

async function doctor(home: string, env: NodeJS.ProcessEnv): Promise<{ code: number; report: Report; ms: number }> {
  const started = Date.now();
  const r = await runCli(['doctor', '--json'], { home, env: { ROOST_COCKPIT_CONF: join(home, 'no-cockpit', 'cockpit.conf'), ...env } });
  return { code: r.code, report: JSON.parse(r.stdout) as Report, ms: Date.now() - started };
}

const controller = (r: Report) => r.checks.find((c) => c.id === 'slurm-controller');

test("Slurm's controller: ok when it answers; a warning with the fix when it does not, within doctor's own deadline", { skip }, async () => {
  const home = tempDir('roost-home-');
  const conf = slurm.ok ? slurm.conf : '';
  const up = await doctor(home, { SLURM_CONF: conf });
  assert.equal(up.code, 0);
  assert.match(controller(up.report)?.message ?? '', /^Slurm's controller answers \(squeue --me in \d+\.\d s\)$/);
  assert.equal(controller(up.report)?.level, 'ok');

  // The same cluster's configuration, but a port nothing listens on: the controller "is down".
  const dead = join(home, 'dead-slurm.conf');
  writeFileSync(dead, readFileSync(conf, 'utf8').replace(/^SlurmctldPort=\d+$/m, 'SlurmctldPort=9'));
  const down = await doctor(home, { SLURM_CONF: dead });
  assert.equal(down.code, 0, 'Slurm is optional: a warning, not a failure');
  assert.deepEqual(controller(down.report), {
    id: 'slurm-controller', level: 'warn',
    message: "Slurm's controller did not answer within 5 s (squeue --me): roost node cannot ask for allocations now",
    fix: `check that slurmctld runs (scontrol ping, or ask the cluster's admins) and that SLURM_CONF=${dead} is this cluster's`,
  });
  assert.ok(down.ms < 8000, `doctor gave up after ${down.ms} ms, not squeue's ~9 s`);

  // SLURM_CONF names no file (squeue would retry for a minute): what to set.
  const none = await doctor(home, { SLURM_CONF: join(home, 'no-such-slurm.conf') });
  assert.deepEqual(controller(none.report), {
    id: 'slurm-controller', level: 'warn', message: `Slurm's commands find no configuration: ${join(home, 'no-such-slurm.conf')} does not exist`,
    fix: "set SLURM_CONF to the cluster's slurm.conf, or load your site's Slurm module",
  });
});

test('without Slurm: no line about its controller, unless config.toml asks for roost node', async () => {
  const home = tempDir('roost-home-');
  // A PATH with tmux and nothing of Slurm.
  const bin = join(home, 'bin');
  mkdirSync(bin);
  symlinkSync(spawnSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).stdout.trim(), join(bin, 'tmux'));
  const plain = await doctor(home, { PATH: bin });
  assert.equal(controller(plain.report), undefined);
  assert.equal(plain.report.checks.find((c) => c.id === 'slurm')?.level, 'info', 'one neutral line: Slurm not found');

  mkdirSync(join(home, '.config', 'roost'), { recursive: true });
  writeFileSync(join(home, '.config', 'roost', 'config.toml'), '[node.profiles.gpu]\ngpus = 1\n');
  const configured = await doctor(home, { PATH: bin });
  assert.equal(configured.code, 0);
  assert.equal(controller(configured.report)?.level, 'warn');
  assert.match(controller(configured.report)?.message ?? '', /^config\.toml has a \[node\] table, but squeue is not on PATH/);
});
