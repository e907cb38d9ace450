import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../config/config.js';
import { RequestError, requestOptions, resolveRequest, sallocArgv, srunArgv } from './request.js';

const config = parseConfig(`
[node]
time = "8:00:00"
args = ["--exclusive"]
[node.profiles.gpu]
partition = "gpu"
gpus = 1
cpus = 8
mem = "48G"
time = "24:00:00"
args = ["--gres-flags=enforce-binding"]
warn_minutes = [60, 10]
[node.profiles.site]
launcher = "sinteractive -c 4"
`).node;

test('the profile over [node], the flags over the profile; extra options add up', () => {
  const r = resolveRequest(config, { profile: 'gpu', time: '2:00:00', cpus: '4', slurmArgs: ['--qos=short'] });
  assert.equal(r.profile, 'gpu');
  assert.equal(r.time, '2:00:00');
  assert.equal(r.cpus, 4);
  assert.equal(r.gpus, '1');
  assert.equal(r.mem, '48G');
  assert.equal(r.partition, 'gpu');
  assert.deepEqual(r.args, ['--exclusive', '--gres-flags=enforce-binding', '--qos=short']);
  assert.deepEqual(r.warnMinutes, [60, 10]);
  assert.deepEqual(requestOptions(r), ['--nodes=1', '--time=2:00:00', '--cpus-per-task=4', '--mem=48G', '--gpus=1', '--partition=gpu', '--exclusive', '--gres-flags=enforce-binding', '--qos=short']);
  assert.deepEqual(sallocArgv('gpu1', r).slice(0, 3), ['salloc', '--no-shell', '--job-name=roost-gpu1']);
});

test('without a profile: [node] alone, default warnings', () => {
  const r = resolveRequest(config, {});
  assert.equal(r.profile, null);
  assert.equal(r.time, '8:00:00');
  assert.equal(r.partition, null);
  assert.deepEqual(r.args, ['--exclusive']);
  assert.deepEqual(r.warnMinutes, [30, 5]);
  assert.equal(r.launcher, null);
  assert.deepEqual(resolveRequest(config, { profile: 'site' }).launcher, ['sinteractive', '-c', '4']);
  assert.deepEqual(resolveRequest(config, { launcher: 'my-wrap --x' }).launcher, ['my-wrap', '--x']);
});

test('an unknown profile or a bad flag is one line naming it', () => {
  const msg = (f: Parameters<typeof resolveRequest>[1]) => {
    try {
      resolveRequest(config, f);
    } catch (e) {
      assert.ok(e instanceof RequestError);
      return e.message;
    }
    return assert.fail('no error');
  };
  assert.equal(msg({ profile: 'nope' }), 'unknown profile "nope" (config.toml has gpu, site)');
  assert.match(msg({ time: 'xyz' }), /^--time "xyz": use minutes, M:S/);
  // The user's words, not the schema library's ("Too small: expected number to be >=1").
  assert.equal(msg({ cpus: 'many' }), '--cpus "many": a whole number from 1 to 1000000');
  assert.equal(msg({ cpus: '0' }), '--cpus: a whole number from 1 to 1000000');
  assert.match(msg({ mem: '4 GB' }), /^--mem "4 GB": a size/);
  assert.match(msg({ partition: '-x' }), /^--partition "-x": one line, not starting with "-"/);
  assert.match(msg({ slurmArgs: ['exclusive'] }), /^--slurm-arg: each element is one option/);
});

test('srun: one task on one node, sharing the allocation', () => {
  assert.deepEqual(srunArgv('12', ['/bin/bash', '-l']), ['srun', '--jobid=12', '--overlap', '--nodes=1', '--ntasks=1', '--pty', '/bin/bash', '-l']);
});
