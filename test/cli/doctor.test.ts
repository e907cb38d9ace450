/**
 * `roost doctor` through the real CLI: tmux found with its version on this
 * machine, a fail and exit 1 without tmux, the set-up checks before and
 * after roost init, Cockpit only where its folder exists, and --json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux } from '../helpers/tmux.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { version } from '../../src/tmux/index.js';
import type { Check } from '../../src/setup/doctor.js';

interface Report {
  ok: boolean;
  checks: Check[];
}

const byId = (r: Report, id: string) => r.checks.find((c) => c.id === id);

test('on this machine: tmux ok with its version; set-up warnings until roost init', async () => {
  const t = privateTmux();
  const tmuxV = (await version(t.client)).replace(/^tmux /, '');
  const home = tempDir('roost-home-');
  const noCockpit = { ROOST_COCKPIT_CONF: join(home, 'no-such-dir', 'cockpit.conf') };

  const text = await runCli(['doctor'], { home, env: noCockpit });
  assert.equal(text.code, 0, text.stderr);
  const lines = text.stdout.trim().split('\n');
  assert.ok(lines.every((l) => /^(ok {4}|warn {2}|fail {2}|info {2})\S/.test(l)), text.stdout);
  assert.ok(lines.includes(`ok    tmux ${tmuxV} (3.2 or later: prefix+H popup available)`), text.stdout);
  assert.match(text.stdout, /^warn  no roost block in ~\/\.tmux\.conf; fix: roost init$/m);
  assert.match(text.stdout, /^warn  no roost block in ~\/\.bashrc: .*; fix: roost init/m);
  assert.match(text.stdout, /^ok    Node \d+\.\d+\.\d+$/m);
  assert.match(text.stdout, /^info  not inside tmux/m);
  assert.match(text.stdout, /Slurm/);
  assert.match(text.stdout, /^(ok {4}reptyr found: roost adopt can take over|warn {2}reptyr)/m, 'reptyr, for roost adopt');
  assert.doesNotMatch(text.stdout, /idle (timeout|sessions)/, 'no Cockpit folder: no Cockpit check');

  assert.equal((await runCli(['init', '--ssh'], { home })).code, 0);
  const r = await runCli(['doctor', '--json'], { home, env: { ...noCockpit, TMUX: '/tmp/x,1,0' } });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.ok, true);
  assert.equal(byId(report, 'tmux')?.level, 'ok');
  assert.equal(byId(report, 'tmux-config')?.level, 'ok');
  assert.equal(byId(report, 'shell')?.level, 'ok');
  assert.match(byId(report, 'shell')!.message, /Cockpit terminals and SSH logins/);
  assert.match(byId(report, 'inside-tmux')!.message, /^inside tmux/);
  assert.equal(byId(report, 'node')?.level, 'ok');
  assert.ok(byId(report, 'slurm'));
});

test('without tmux on PATH: fail, exit 1', async () => {
  const home = tempDir('roost-home-');
  const r = await runCli(['doctor'], { home, env: { PATH: tempDir('roost-empty-path-') } });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^fail  tmux not found on PATH; fix: install tmux/m);
  const j = await runCli(['doctor', '--json'], { home, env: { PATH: '/nonexistent' } });
  assert.equal(j.code, 1);
  const report = JSON.parse(j.stdout) as Report;
  assert.equal(report.ok, false);
  assert.equal(byId(report, 'tmux')?.level, 'fail');
});

test('Cockpit: checked where its folder exists, ok after init --cockpit', async () => {
  const home = tempDir('roost-home-');
  const etc = join(home, 'etc-cockpit');
  mkdirSync(etc);
  const env = { ROOST_COCKPIT_CONF: join(etc, 'cockpit.conf') };
  const before = await runCli(['doctor'], { home, env });
  assert.match(before.stdout, /^warn  Cockpit ends idle sessions after 15 \(the default\) minutes; fix: roost init --cockpit/m);
  assert.equal((await runCli(['init', '--cockpit', '--no-layout'], { home, env })).code, 0);
  const after = await runCli(['doctor'], { home, env });
  assert.match(after.stdout, /^ok    Cockpit's idle timeout is off/m);
});

test('an old or edited tmux block is reported', async () => {
  const home = tempDir('roost-home-');
  assert.equal((await runCli(['init', '--no-layout'], { home })).code, 0);
  const { readFileSync, writeFileSync } = await import('node:fs');
  const conf = join(home, '.tmux.conf');
  writeFileSync(conf, readFileSync(conf, 'utf8').replace('history-limit 10000', 'history-limit 5'));
  const r = await runCli(['doctor'], { home });
  assert.match(r.stdout, /^warn  ~\/\.tmux\.conf: the roost block is not what this roost writes .*; fix: roost init/m);
});
