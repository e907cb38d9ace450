/**
 * `roost doctor` through the real CLI: tmux found with its version on this
 * machine, a fail and exit 1 without tmux, the set-up checks before and
 * after roost init, Cockpit only where its folder exists, and --json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux } from '../helpers/tmux.js';
import { runCli, tempDir, ROOST_BIN, ROOT } from '../helpers/cli.js';
import { version } from '../../src/tmux/index.js';
import type { Check } from '../../src/setup/doctor.js';
import { GUIDE_BASHRC, GUIDE_TMUX_CONF } from '../fixtures/guide-snippets.js';

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
  assert.ok(byId(report, 'slurm'), 'roost node runs Slurm: its commands are checked');
  assert.ok(byId(report, 'roost'));
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

test('the guide\'s lines that win over roost\'s blocks are pointed out with their file and line, until roost init comments them out', async () => {
  const home = tempDir('roost-home-');
  const env = { ROOST_COCKPIT_CONF: join(home, 'no-such-dir', 'cockpit.conf') };
  assert.equal((await runCli(['init', '--no-layout'], { home })).code, 0);
  // As a user who had pasted the guide into both files: its auto-attach before roost's block, its tmux lines after.
  const bashrc = join(home, '.bashrc');
  writeFileSync(bashrc, `export A=1\n${GUIDE_BASHRC}${readFileSync(bashrc, 'utf8')}`);
  const conf = join(home, '.tmux.conf');
  writeFileSync(conf, `${readFileSync(conf, 'utf8')}${GUIDE_TMUX_CONF}`);
  const shellLine = 1 + GUIDE_BASHRC.split('\n').findIndex((l) => l.startsWith('if ')) + 1;
  const r = await runCli(['doctor'], { home, env });
  assert.match(r.stdout, new RegExp(`^warn  ~/\\.bashrc:${shellLine}: the guide's auto-attach \\(exec tmux\\) runs before roost's block and keeps it from running: .*; fix: roost init \\(comments it out\\)$`, 'm'));
  // One warning per kind of line, each at its first line with its own fix: the guide's default-terminal (where the block sets tmux-256color), visual-bell, status-right and popup.
  const blockTerminal = /^set -g default-terminal "(.+)"$/m.exec(readFileSync(conf, 'utf8'))![1];
  // The guide's lines follow roost's block: line numbers in the file are theirs in the guide plus the lines above it.
  const above = readFileSync(conf, 'utf8').split('\n').length - GUIDE_TMUX_CONF.split('\n').length;
  const lineOf = (start: string) => above + GUIDE_TMUX_CONF.split('\n').findIndex((l) => l.startsWith(start)) + 1;
  const expected = [
    ...(blockTerminal === 'tmux-256color' ? [`${lineOf('set -g default-terminal')}: set -g default-terminal "screen-256color": this default-terminal comes after roost's block and wins over its tmux-256color: .*; fix: comment it out or delete it, unless you want TERM=screen-256color .*`] : []),
    `${lineOf('set -g status-right')}: the guide's status-right comes after roost's block and wins: .*; fix: roost init \\(comments it out\\)`,
    `${lineOf('bind H')}: the guide's prefix\\+H popup comes after roost's block .*; fix: roost init \\(comments it out\\)`,
    `${lineOf('set -g visual-bell on')}: set -g visual-bell on: this visual-bell comes after roost's block and wins: .*; fix: comment it out or delete it \\(the window still gets its !\\)`,
  ];
  const tmuxWarns = r.stdout.match(/^warn {2}~\/\.tmux\.conf:.*$/gm) ?? [];
  assert.equal(tmuxWarns.length, expected.length, r.stdout);
  expected.forEach((e, k) => assert.match(tmuxWarns[k]!, new RegExp(`^warn  ~/\\.tmux\\.conf:${e}$`)));
  assert.doesNotMatch(r.stdout, /more lines? like it/, 'no two of these lines are of one kind');
  assert.doesNotMatch(r.stdout, /^ok {4}~\/\.bashrc attaches/m);

  // Two lines of one kind are one warning, with how many more.
  const twice = `${readFileSync(conf, 'utf8')}setw -g visual-bell on\n`;
  writeFileSync(conf, twice);
  assert.match((await runCli(['doctor'], { home, env })).stdout, /^warn {2}~\/\.tmux\.conf:\d+: set -g visual-bell on: .* \(and 1 more line like it\); fix: comment it out or delete it \(the window still gets its !\)$/m);
  writeFileSync(conf, twice.replace(/setw -g visual-bell on\n$/, ''));

  // init comments out the guide's status-right and popup; its visual-bell (and default-terminal) it leaves, and doctor still names them, each with its fix.
  assert.equal((await runCli(['init', '--no-layout'], { home })).code, 0);
  const left = (await runCli(['doctor'], { home, env })).stdout;
  assert.match(left, /^warn  ~\/\.tmux\.conf:\d+: set -g visual-bell on: .*; fix: comment it out or delete it \(the window still gets its !\)$/m);
  if (blockTerminal === 'tmux-256color') assert.match(left, /^warn  ~\/\.tmux\.conf:\d+: set -g default-terminal "screen-256color": .*; fix: comment it out or delete it, unless you want TERM=screen-256color/m);
  writeFileSync(conf, readFileSync(conf, 'utf8').replace(/^set -g (default-terminal "screen-256color"|visual-bell on)\n/gm, ''));

  // An exec tmux of the user's own: doctor points at it, init leaves it.
  writeFileSync(bashrc, `exec tmux attach\n${readFileSync(bashrc, 'utf8')}`);
  const mine = await runCli(['doctor'], { home, env });
  assert.match(mine.stdout, /^warn  ~\/\.bashrc:1: exec tmux attach: this exec tmux runs before roost's block and keeps it from running; fix: comment it out/m);
  assert.match(mine.stdout, /^ok {4}~\/\.tmux\.conf has the roost block/m);
  writeFileSync(bashrc, readFileSync(bashrc, 'utf8').replace('exec tmux attach\n', ''));
  assert.match((await runCli(['doctor'], { home, env })).stdout, /^ok {4}~\/\.bashrc attaches Cockpit terminals to "main"$/m);
});

test('roost on PATH: until it runs this Roost, a warning with the command that links it', async () => {
  const home = realpathSync(tempDir('roost-home-'));
  const bin = realpathSync(ROOST_BIN);
  const local = join(home, '.local', 'bin');
  const roostCheck = async (path: string) => {
    const r = await runCli(['doctor', '--json'], { home, env: { PATH: path } });
    return byId(JSON.parse(r.stdout) as Report, 'roost')!;
  };
  const usual = '/usr/local/bin:/usr/bin:/bin';

  // Nothing on PATH, ~/.local/bin not there yet: make it, link, log in again.
  let c = await roostCheck(usual);
  assert.equal(c.level, 'warn');
  assert.equal(c.message, `roost is not on PATH (this Roost is ${bin})`);
  if (process.getuid?.() === 0) assert.equal(c.fix, `ln -s ${bin} /usr/local/bin/roost`, 'root links into /usr/local/bin');
  else assert.equal(c.fix, `mkdir -p ~/.local/bin && ln -s ${bin} ~/.local/bin/roost, then log in again (~/.profile adds ~/.local/bin to PATH once it exists)`);

  // ~/.local/bin on PATH: link there.
  c = await roostCheck(`${local}:${usual}`);
  assert.equal(c.fix, `ln -s ${bin} ${local}/roost`);

  // Running the fix makes it ok.
  mkdirSync(local, { recursive: true });
  symlinkSync(bin, join(local, 'roost'));
  c = await roostCheck(`${local}:${usual}`);
  assert.deepEqual(c, { id: 'roost', level: 'ok', message: 'roost on PATH: ~/.local/bin/roost' });

  // Another roost first on PATH: a link is repointed, a file is the user's to remove.
  const other = join(home, 'other');
  mkdirSync(other);
  writeFileSync(join(other, 'roost-elsewhere'), '#!/bin/sh\n', { mode: 0o755 });
  symlinkSync(join(other, 'roost-elsewhere'), join(other, 'roost'));
  c = await roostCheck(`${other}:${local}:${usual}`);
  assert.equal(c.message, `roost on PATH is ${other}/roost, not this Roost (${bin})`);
  assert.equal(c.fix, `ln -sf ${bin} ${other}/roost`);
});

test('config.toml: none is info, a valid one ok, a broken one a fail naming its line, exit 1', async () => {
  const home = tempDir('roost-home-');
  const noCockpit = { ROOST_COCKPIT_CONF: join(home, 'no-such-dir', 'cockpit.conf') };
  const config = async () => {
    const r = await runCli(['doctor', '--json'], { home, env: noCockpit });
    return { code: r.code, check: byId(JSON.parse(r.stdout) as Report, 'config') };
  };
  assert.equal((await config()).check?.level, 'info');
  mkdirSync(join(home, '.config', 'roost'), { recursive: true });
  const file = join(home, '.config', 'roost', 'config.toml');
  writeFileSync(file, 'silence = 30\n');
  assert.equal((await config()).check?.level, 'ok');
  writeFileSync(file, 'silence = 30\n[restore]\nlines = -5\n');
  const broken = await config();
  assert.equal(broken.code, 1);
  assert.equal(broken.check?.level, 'fail');
  assert.match(broken.check!.message, /^config\.toml: \S+config\.toml:3: restore\.lines: /);
  const text = await runCli(['doctor'], { home, env: noCockpit });
  assert.match(text.stdout, /^fail {2}config\.toml: .*restore\.lines: .*; fix: correct that line/m);
});

test('docs/cli.md lists every check id --json gives; only warn and fail lines say "fix:"', async () => {
  const home = tempDir('roost-home-');
  const env = { ROOST_COCKPIT_CONF: join(home, 'no-such-dir', 'cockpit.conf') };
  const json = await runCli(['doctor', '--json'], { home, env });
  const docs = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
  const table = docs.slice(docs.indexOf('## doctor'), docs.indexOf('## snapshot'));
  for (const c of (JSON.parse(json.stdout) as Report).checks) assert.ok(table.includes(`| \`${c.id}\` |`), `docs/cli.md's doctor table has no row for "${c.id}"`);
  const text = await runCli(['doctor'], { home, env });
  assert.match(text.stdout, /^info  no snapshot yet in .*; roost serve takes them, or roost snapshot$/m);
  for (const line of text.stdout.split('\n').filter((l) => l.includes('; fix: '))) assert.match(line, /^(warn|fail) /, line);
});
