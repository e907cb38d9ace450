/**
 * `roost init` against a temporary HOME through the real CLI: idempotent,
 * user lines untouched, backups, --dry-run, --uninstall byte for byte, zsh,
 * the XDG tmux config, the layout of "main", and Cockpit's config file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux } from '../helpers/tmux.js';
import { publicCliCopy, runCli, snapshot, tempDir, ROOST_BIN, type CliResult } from '../helpers/cli.js';
import { findBlock, BEGIN, END } from '../../src/setup/markers.js';
import { setIniValue } from '../../src/setup/ini.js';
import { parseConfig } from '../../src/config/config.js';
import { listSessions } from '../../src/tmux/index.js';
import { execFile } from 'node:child_process';
import { GUIDE_BASHRC, GUIDE_LIVENODE, GUIDE_TMUX_CONF } from '../fixtures/guide-snippets.js';
import { OFF_PREFIX } from '../../src/setup/turn-off.js';

const read = (p: string) => readFileSync(p, 'utf8');
const ok = (r: CliResult) => assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}${r.stdout}`);
const backups = (dir: string) => readdirSync(dir).filter((f) => f.includes('.roost-backup-')).sort();

/**
 * Every `warning FILE:LINE` and `disabled FILE:FIRST-LAST` line in init's
 * output names lines of the file as it is now: a warning the line it quotes,
 * `disabled` (when `written`) the lines turned off, under their note. The
 * number of such lines.
 */
function assertLinesNamed(stdout: string, home: string, written: boolean): number {
  let n = 0;
  for (const m of stdout.matchAll(/^(warning|disabled) +~\/(\S+?):(\d+)(?:-(\d+))?: (.*)$/gm)) {
    const lines = read(join(home, m[2]!)).split('\n');
    const first = Number(m[3]) - 1;
    const last = Number(m[4] ?? m[3]) - 1;
    if (m[1] === 'warning') assert.ok(m[5]!.startsWith(`${lines[first]!.trim()}: `), `${m[0]}\nbut line ${first + 1} is: ${lines[first]}`);
    else if (written) {
      assert.match(lines[first - 1]!, /^# roost init turned off /, `${m[0]}\nbut line ${first} is: ${lines[first - 1]}`);
      for (let k = first; k <= last; k++) assert.ok(lines[k]!.startsWith(OFF_PREFIX), `${m[0]}\nbut line ${k + 1} is: ${lines[k]}`);
      assert.ok(!lines[last + 1]?.startsWith(OFF_PREFIX), `${m[0]}: the turned-off lines go on after ${last + 1}`);
    }
    n++;
  }
  return n;
}

function homeWith(files: Record<string, string>): string {
  const home = tempDir('roost-home-');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(home, rel, '..'), { recursive: true });
    writeFileSync(join(home, rel), text);
  }
  return home;
}

test('init twice gives the same files, and user lines stay as they were', async () => {
  const bashrc = '# my bashrc\nexport EDITOR=vi\n';
  const tmuxConf = 'set -g prefix C-a'; // no final newline
  const home = homeWith({ '.bashrc': bashrc, '.tmux.conf': tmuxConf });
  const first = await runCli(['init'], { home });
  ok(first);
  assert.match(first.stdout, /^updated {3}~\/\.bashrc \(backup: ~\/\.bashrc\.roost-backup-\d{8}-\d{6}\)$/m);
  assert.match(first.stdout, /^updated {3}~\/\.tmux\.conf /m);
  assert.match(first.stdout, /^created {3}~\/\.config\/roost\/config\.toml$/m);
  assert.match(first.stdout, /tmux source-file ~\/\.tmux\.conf/);
  assert.match(first.stdout, /New Cockpit terminals attach to "main"/);

  const b = read(join(home, '.bashrc'));
  assert.ok(b.startsWith(bashrc), 'user lines first, unchanged');
  assert.ok(b.slice(bashrc.length).startsWith(`${BEGIN}\n`) && b.endsWith(`${END}\n`));
  const t = read(join(home, '.tmux.conf'));
  assert.ok(t.startsWith(`${BEGIN}\n`) && t.endsWith(`${END}\n${tmuxConf}`), 'the tmux block goes first so the user\'s settings win');
  // Backups hold the originals.
  assert.deepEqual(backups(home).map((f) => read(join(home, f))).sort(), [bashrc, tmuxConf].sort());

  const snap = snapshot(home);
  const second = await runCli(['init'], { home });
  ok(second);
  assert.deepEqual(snapshot(home), snap, 'the second run changes nothing and makes no backup');
  assert.match(second.stdout, /^unchanged ~\/\.bashrc$/m);
  assert.match(second.stdout, /^unchanged ~\/\.tmux\.conf$/m);
  assert.match(second.stdout, /^unchanged ~\/\.config\/roost\/config\.toml$/m);

  // Lines the user adds around the block survive another run.
  writeFileSync(join(home, '.bashrc'), `${read(join(home, '.bashrc'))}alias ll='ls -l'\n`);
  ok(await runCli(['init', '--ssh'], { home }));
  const b2 = read(join(home, '.bashrc'));
  assert.ok(b2.startsWith(bashrc) && b2.endsWith(`${END}\nalias ll='ls -l'\n`));
  assert.match(findBlock(b2)!.body, /\$SSH_TTY/);
});

test('--dry-run prints the diff and changes nothing', async () => {
  const home = homeWith({ '.bashrc': 'export A=1\n' });
  const snap = snapshot(home);
  const r = await runCli(['init', '--dry-run', '--ssh'], { home });
  ok(r);
  assert.deepEqual(snapshot(home), snap);
  assert.match(r.stdout, /^--- \/dev\/null\n\+\+\+ ~\/\.tmux\.conf\n@@ -0,0 \+1,\d+ @@\n\+# >>> roost >>> \(created file\)$/m);
  assert.match(r.stdout, /^--- ~\/\.bashrc\n\+\+\+ ~\/\.bashrc\n@@ -1,1 \+1,\d+ @@\n export A=1\n\+# >>> roost >>>$/m);
  assert.match(r.stdout, /^\+.*\$SSH_TTY/m);
  assert.match(r.stdout, /dry run: nothing was changed\n$/);
});

test('--uninstall gives back every file byte for byte; files roost created are removed', async () => {
  const originals = {
    '.bashrc': 'alias a=b\nexport X=1', // no final newline
    '.tmux.conf': '\n\nset -g status off\n',
    '.config/roost/config.toml': 'silence = 30\n',
  };
  const home = homeWith(originals);
  const env = { SHELL: '/usr/bin/zsh', ROOST_COCKPIT_CONF: join(home, 'cockpit.conf') };
  ok(await runCli(['init', '--ssh', '--cockpit'], { home, env }));
  assert.ok(existsSync(join(home, '.zshrc')), 'zsh is the shell: .zshrc gets the block');
  for (const [rel, text] of Object.entries(originals)) assert.notEqual(read(join(home, rel)), text, rel);
  const layout = parseConfig(read(join(home, '.config/roost/config.toml')));
  assert.equal(layout.silence, 30);
  assert.deepEqual(layout.sessions['main']!.windows!.map((w) => w.name), ['claude', 'logs', 'shell']);

  const before = snapshot(home);
  const dry = await runCli(['init', '--uninstall', '--dry-run'], { home, env });
  ok(dry);
  assert.deepEqual(snapshot(home), before, '--uninstall --dry-run changes nothing');
  assert.match(dry.stdout, /^\+\+\+ \/dev\/null$/m);

  const r = await runCli(['init', '--uninstall', '--cockpit'], { home, env });
  ok(r);
  assert.match(r.stdout, /^removed {3}~\/\.zshrc \(roost had created it; backup: /m);
  assert.match(r.stdout, /left .*cockpit\.conf as it is/);
  for (const [rel, text] of Object.entries(originals)) assert.equal(readFileSync(join(home, rel), 'latin1'), text, rel);
  assert.equal(existsSync(join(home, '.zshrc')), false);
  assert.equal(read(join(home, 'cockpit.conf')), '[Session]\nIdleTimeout=0\n', 'cockpit.conf is not a block: left alone');

  const again = await runCli(['init', '--uninstall'], { home, env });
  ok(again);
  assert.match(again.stdout, /nothing to remove/);
});

test('a HOME with nothing in it: uninstall removes every file init made', async () => {
  const home = tempDir('roost-home-');
  ok(await runCli(['init'], { home }));
  assert.ok(existsSync(join(home, '.bashrc')) && existsSync(join(home, '.tmux.conf')));
  ok(await runCli(['init', '--uninstall'], { home }));
  const left = Object.keys(snapshot(home)).filter((f) => !f.includes('.roost-backup-'));
  assert.deepEqual(left, []);
});

test('zsh: .zshrc only when $SHELL is zsh, in $ZDOTDIR when set', async () => {
  const home = tempDir('roost-home-');
  ok(await runCli(['init', '--no-layout'], { home, env: { SHELL: '/bin/bash' } }));
  assert.equal(existsSync(join(home, '.zshrc')), false);
  const zdot = join(home, 'zdot');
  mkdirSync(zdot);
  const r = await runCli(['init', '--no-layout'], { home, env: { SHELL: '/bin/zsh', ZDOTDIR: zdot } });
  ok(r);
  assert.match(r.stdout, /^created {3}~\/zdot\/\.zshrc$/m);
  assert.equal(findBlock(read(join(zdot, '.zshrc')))!.body, findBlock(read(join(home, '.bashrc')))!.body, 'the same block serves bash and zsh');
});

test('the XDG tmux config is used when only it exists', async () => {
  const home = homeWith({ '.config/tmux/tmux.conf': 'set -g status-position top\n' });
  const r = await runCli(['init', '--no-layout'], { home });
  ok(r);
  assert.match(r.stdout, /^updated {3}~\/\.config\/tmux\/tmux\.conf /m);
  assert.equal(existsSync(join(home, '.tmux.conf')), false);
  assert.ok(findBlock(read(join(home, '.config/tmux/tmux.conf'))));
});

test('the layout of "main": offered once, validated, skipped when main has a template', async () => {
  const t = privateTmux();
  const home = tempDir('roost-home-');
  ok(await runCli(['init', '--no-layout'], { home }));
  assert.equal(existsSync(join(home, '.config/roost/config.toml')), false);
  ok(await runCli(['init'], { home }));
  const file = join(home, '.config/roost/config.toml');
  assert.equal(lstatSync(file).mode & 0o777, 0o600);
  // roost creates main from it: three windows, each alive even where claude is not installed.
  ok(await runCli(['new', 'main'], { home, socket: t.socket }));
  const [main] = await listSessions(t.client);
  assert.deepEqual(main!.windows.map((w) => w.name), ['claude', 'logs', 'shell']);
  // roost started this server, so it read this HOME's ~/.tmux.conf: windows count from 1.
  assert.deepEqual(main!.windows.map((w) => w.index), [1, 2, 3]);
  assert.ok(main!.windows.every((w) => w.panes.every((p) => !p.dead)));

  const own = homeWith({ '.config/roost/config.toml': '[sessions.main]\ncwd = "/tmp"\n' });
  const snap = read(join(own, '.config/roost/config.toml'));
  const r = await runCli(['init'], { home: own });
  ok(r);
  assert.match(r.stdout, /^skipped {3}~\/\.config\/roost\/config\.toml: it already has \[sessions\.main\]$/m);
  assert.equal(read(join(own, '.config/roost/config.toml')), snap);

  const broken = homeWith({ '.config/roost/config.toml': 'silence = "x"\n' });
  const rb = await runCli(['init'], { home: broken });
  ok(rb);
  assert.match(rb.stdout, /^skipped .*config\.toml: layout not added: .*config\.toml:1: silence:/m);
});

test('broken markers stop init with one line, and nothing is changed', async () => {
  const home = homeWith({ '.bashrc': `x\n${BEGIN}\nno end\n` });
  const snap = snapshot(home);
  const r = await runCli(['init'], { home });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /\.bashrc: .*without "# <<< roost <<<"/);
  assert.deepEqual(snapshot(home), snap, 'not even ~/.tmux.conf was created');
  const u = await runCli(['init', '--uninstall'], { home });
  assert.equal(u.code, 1);
  assert.deepEqual(snapshot(home), snap);
});

test('a symlinked ~/.bashrc stays a link; its target gets the block', async () => {
  const home = homeWith({ 'dotfiles/bashrc': 'export FROM_DOTFILES=1\n' });
  symlinkSync('dotfiles/bashrc', join(home, '.bashrc'));
  ok(await runCli(['init', '--no-layout'], { home }));
  assert.ok(lstatSync(join(home, '.bashrc')).isSymbolicLink());
  assert.ok(findBlock(read(join(home, 'dotfiles/bashrc'))));
  ok(await runCli(['init', '--uninstall'], { home }));
  assert.ok(lstatSync(join(home, '.bashrc')).isSymbolicLink());
  assert.equal(read(join(home, 'dotfiles/bashrc')), 'export FROM_DOTFILES=1\n');
});

test('--cockpit sets [Session] IdleTimeout=0 and keeps the other settings', async () => {
  const home = tempDir('roost-home-');
  const conf = join(home, 'cockpit.conf');
  const original = '# local settings\n[WebService]\nOrigins = https://box.example:9090\n\n[Session]\nIdleTimeout=15\nBanner=/etc/issue.cockpit\n';
  writeFileSync(conf, original);
  const env = { ROOST_COCKPIT_CONF: conf };
  const r = await runCli(['init', '--cockpit', '--no-layout'], { home, env });
  ok(r);
  assert.match(r.stdout, /^updated {3}.*cockpit\.conf \(backup: .*cockpit\.conf\.roost-backup-\d{8}-\d{6}\)$/m);
  assert.match(r.stdout, /systemctl restart cockpit\.service/);
  assert.equal(read(conf), original.replace('IdleTimeout=15', 'IdleTimeout=0'));
  assert.deepEqual(backups(home).map((f) => read(join(home, f))), [original]);
  const again = await runCli(['init', '--cockpit', '--no-layout'], { home, env });
  ok(again);
  assert.match(again.stdout, /^unchanged .*cockpit\.conf$/m);
  assert.equal(backups(home).length, 1);

  const fresh = join(home, 'etc-cockpit', 'cockpit.conf');
  ok(await runCli(['init', '--cockpit', '--no-layout'], { home, env: { ROOST_COCKPIT_CONF: fresh } }));
  assert.equal(read(fresh), '[Session]\nIdleTimeout=0\n');
});

/**
 * Run the CLI as user nobody (this test runs as root) or as ourselves (not
 * root). nobody runs a copy it can read, from HOME: the checkout and the
 * test's working folder may be closed to other users.
 */
function runAsOther(argv: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const asRoot = process.getuid?.() === 0;
  const bin = asRoot ? publicCliCopy() : ROOST_BIN;
  const [file, args] = asRoot
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, bin, ...argv]]
    : [process.execPath, [bin, ...argv]];
  return new Promise((res) => execFile(file, args, { env, cwd: env['HOME'], encoding: 'utf8' }, (err, stdout, stderr) => res({ code: err ? Number((err as NodeJS.ErrnoException).code) || 1 : 0, stdout, stderr })));
}

test('--cockpit without the right to write prints the exact sudo commands and changes nothing', async () => {
  const home = tempDir('roost-home-');
  const etc = tempDir('roost-etc-');
  const conf = join(etc, 'cockpit.conf');
  const original = '[WebService]\nLoginTitle=box\n';
  writeFileSync(conf, original);
  if (process.getuid?.() === 0) {
    chmodSync(etc, 0o755); // readable, not writable, for nobody
    chownSync(home, 65534, 65534);
  } else {
    chmodSync(conf, 0o444);
    chmodSync(etc, 0o555);
  }
  const { cliEnv } = await import('../helpers/cli.js');
  const r = await runAsOther(['init', '--cockpit', '--no-layout'], cliEnv({ home, env: { ROOST_COCKPIT_CONF: conf } }));
  if (process.getuid?.() !== 0) chmodSync(etc, 0o755); // let the cleanup remove it
  ok(r);
  const out = r.stdout.split('\n');
  const start = out.findIndex((l) => l.startsWith('needs root: '));
  assert.ok(start >= 0, r.stdout);
  assert.match(out[start + 1]!, new RegExp(`^sudo cp -p '${conf}' '${conf}\\.roost-backup-\\d{8}-\\d{6}'$`));
  assert.equal(out[start + 2], `sudo tee '${conf}' >/dev/null <<'ROOST_EOF'`);
  const body = out.slice(start + 3, out.indexOf('ROOST_EOF', start + 3));
  assert.equal(`${body.join('\n')}\n`, setIniValue(original, 'Session', 'IdleTimeout', '0'));
  assert.equal(out[out.indexOf('ROOST_EOF', start + 3) + 1], 'sudo systemctl restart cockpit.service');
  assert.equal(read(conf), original);
  assert.deepEqual(backups(etc), []);
});

test('a file init cannot write stops it with one line before anything changes', async () => {
  const home = homeWith({ '.bashrc': 'export MINE=1\n' });
  if (process.getuid?.() === 0) chownSync(home, 65534, 65534); // nobody owns HOME, root keeps ~/.bashrc
  else chmodSync(join(home, '.bashrc'), 0o444);
  const snap = snapshot(home);
  const { cliEnv } = await import('../helpers/cli.js');
  const r = await runAsOther(['init'], cliEnv({ home }));
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /cannot write .*\.bashrc .*nothing was changed/);
  assert.deepEqual(snapshot(home), snap, 'not even ~/.tmux.conf was created');
});

test('a tmux block from an older roost (set -as, which adds a copy at each source-file) is rewritten', async () => {
  const home = tempDir('roost-home-');
  ok(await runCli(['init', '--no-layout'], { home }));
  const conf = join(home, '.tmux.conf');
  const current = read(conf);
  const old = current.replace(/^set -s terminal-features\[\d+\] "xterm\*:RGB"$/m, 'set -as terminal-features ",xterm*:RGB"');
  assert.notEqual(old, current, 'this tmux gets the terminal-features line');
  writeFileSync(conf, old);
  const r = await runCli(['init', '--no-layout'], { home });
  ok(r);
  assert.match(r.stdout, /^updated {3}~\/\.tmux\.conf /m);
  assert.equal(read(conf), current);
  assert.doesNotMatch(read(conf), /set -as/);
});

test('the guide\'s auto-attach and its tmux lines, copied by hand, are commented out; --uninstall gives them back byte for byte', async () => {
  const bashrc = `# my bashrc\nexport EDITOR=vi\n\n${GUIDE_BASHRC}\n${GUIDE_LIVENODE}alias ll='ls -l'\n`;
  const tmuxConf = `${GUIDE_TMUX_CONF}set -g prefix C-a\n`;
  const home = homeWith({ '.bashrc': bashrc, '.tmux.conf': tmuxConf });
  const snap = snapshot(home);

  const dry = await runCli(['init', '--dry-run'], { home });
  ok(dry);
  assert.deepEqual(snapshot(home), snap, '--dry-run changes nothing');
  assert.match(dry.stdout, /^\+# roost init turned off the guide's auto-attach below: roost's block further down replaces it; roost init --uninstall turns it back on$/m);
  assert.match(dry.stdout, /^-    exec tmux new-session -A -s main\n(.*\n)*\+#roost#     exec tmux new-session -A -s main$/m);
  assert.match(dry.stdout, /^disabled  ~\/\.bashrc:4-9: the guide's auto-attach, commented out/m);
  assert.match(dry.stdout, /^disabled  ~\/\.tmux\.conf:16: the guide's status-right, commented out/m);
  assert.match(dry.stdout, /^disabled  ~\/\.tmux\.conf:20-39: the guide's prefix\+H popup, commented out/m);
  assert.match(dry.stdout, /^warning {3}~\/\.tmux\.conf:46: set -g visual-bell on: /m);
  assertLinesNamed(dry.stdout, home, false);

  const r = await runCli(['init'], { home });
  ok(r);
  // Printed after writing: the lines in the files as written (a note above each snippet, roost's block at the top of ~/.tmux.conf).
  const blockLength = (text: string) => text.slice(0, findBlock(text)!.end).split('\n').length - 1;
  const tmuxShift = blockLength(read(join(home, '.tmux.conf')));
  assert.match(r.stdout, /^updated {3}~\/\.bashrc \(backup: .*\)\ndisabled  ~\/\.bashrc:5-10: the guide's auto-attach, commented out: roost's block replaces it/m);
  assert.match(r.stdout, new RegExp(`^disabled  ~/\\.tmux\\.conf:${16 + tmuxShift + 1}: the guide's status-right`, 'm'));
  assert.match(r.stdout, new RegExp(`^disabled  ~/\\.tmux\\.conf:${20 + tmuxShift + 2}-${39 + tmuxShift + 2}: the guide's prefix\\+H popup`, 'm'));
  assert.doesNotMatch(r.stdout, /^warning {3}~\/\.bashrc/m, 'livenode runs tmux only when called: no warning');
  // The guide's bell and terminal lines undo the block's too: warned about with their line, left as they are.
  assert.match(r.stdout, new RegExp(`^warning {3}~/\\.tmux\\.conf:${46 + tmuxShift + 2}: set -g visual-bell on: this visual-bell comes after roost's block and wins: .*; fix: comment it out or delete it`, 'm'));
  const terminal = /^set -g default-terminal "(.+)"$/m.exec(read(join(home, '.tmux.conf')))![1];
  if (terminal === 'tmux-256color') assert.match(r.stdout, new RegExp(`^warning {3}~/\\.tmux\\.conf:${2 + tmuxShift}: set -g default-terminal "screen-256color": this default-terminal comes after roost's block and wins over its tmux-256color: `, 'm'));
  else assert.doesNotMatch(r.stdout, /default-terminal/, 'where terminfo lacks tmux-256color the block sets screen-256color too');
  const b = read(join(home, '.bashrc'));
  const off = GUIDE_BASHRC.split('\n').slice(0, -1).map((l) => `${OFF_PREFIX}${l}\n`).join('');
  assert.ok(b.includes(`\n# roost init turned off the guide's auto-attach below: roost's block further down replaces it; roost init --uninstall turns it back on\n${off}\n${GUIDE_LIVENODE}`), b);
  assert.doesNotMatch(b.slice(0, findBlock(b)!.start), /^\s*exec tmux/m, 'nothing before roost\'s block replaces the shell');
  const t = read(join(home, '.tmux.conf'));
  assert.doesNotMatch(t.slice(findBlock(t)!.end), /^(set -g status-right|bind H)/m, 'nothing after roost\'s block overrides its status bar or prefix+H');
  for (const kept of ['set -g visual-bell on', 'set -g default-terminal "screen-256color"']) assert.ok(t.slice(findBlock(t)!.end).split('\n').includes(kept), `${kept}: warned about, not rewritten`);
  assert.match(t, /^#roost# read -n1 -s -r -p '  press any key to close'"$/m);
  assert.deepEqual(backups(home).map((f) => read(join(home, f))).sort(), [bashrc, tmuxConf].sort(), 'the backups hold the files as they were');

  const after = snapshot(home);
  const again = await runCli(['init'], { home });
  ok(again);
  assert.deepEqual(snapshot(home), after, 'a second run changes nothing');
  assert.doesNotMatch(again.stdout, /^disabled/m);
  assert.equal(assertLinesNamed(r.stdout, home, true), terminal === 'tmux-256color' ? 5 : 4, r.stdout);
  assert.deepEqual(again.stdout.match(/^warning .*$/gm), r.stdout.match(/^warning .*$/gm), 'the first run named the lines the second names');

  const u = await runCli(['init', '--uninstall'], { home });
  ok(u);
  assert.match(u.stdout, /^restored  ~\/\.bashrc: the guide's lines roost init had commented out$/m);
  assert.equal(read(join(home, '.bashrc')), bashrc);
  assert.equal(read(join(home, '.tmux.conf')), tmuxConf);
});

test('the guide\'s auto-attach on one line, in $ZDOTDIR/.zshrc, and its SSH variant (commented out with --ssh only)', async () => {
  const oneLine = 'if [ -z "$TMUX" ] && [ "$XDG_SESSION_TYPE" = "web" ]; then exec tmux new-session -A -s main; fi';
  const sshVariant = GUIDE_BASHRC.replace('[ "$XDG_SESSION_TYPE" = "web" ]', '[ -n "$SSH_TTY" ]');
  const home = homeWith({ 'zdot/.zshrc': `${oneLine}\n`, '.bashrc': `export A=1\n${sshVariant}` });
  const env = { SHELL: '/usr/bin/zsh', ZDOTDIR: join(home, 'zdot') };
  const r = await runCli(['init', '--no-layout'], { home, env });
  ok(r);
  assert.match(r.stdout, /^disabled  ~\/zdot\/\.zshrc:2: the guide's auto-attach/m);
  assert.equal(assertLinesNamed(r.stdout, home, true), 2);
  assert.equal(read(join(home, 'zdot/.zshrc')).split(BEGIN)[0]!.split('\n')[1], `${OFF_PREFIX}${oneLine}`);
  // Without --ssh roost's block leaves SSH logins alone: the guide's SSH lines stay, with a warning.
  assert.match(r.stdout, /^warning   ~\/\.bashrc:5: if \[ -z "\$TMUX" \] && \[ -n "\$SSH_TTY" \]; then: the guide's auto-attach for SSH logins.*; fix: roost init --ssh/m);
  assert.ok(read(join(home, '.bashrc')).startsWith(`export A=1\n${sshVariant}${BEGIN}`));
  const ssh = await runCli(['init', '--no-layout', '--ssh'], { home, env });
  ok(ssh);
  assert.match(ssh.stdout, /^disabled  ~\/\.bashrc:3-8: the guide's auto-attach/m);
  assert.equal(assertLinesNamed(ssh.stdout, home, true), 1);
  assert.doesNotMatch(ssh.stdout, /^warning/m);
  ok(await runCli(['init', '--uninstall'], { home, env }));
  assert.equal(read(join(home, 'zdot/.zshrc')), `${oneLine}\n`);
  assert.equal(read(join(home, '.bashrc')), `export A=1\n${sshVariant}`);
});

test('an auto-attach that is not the guide\'s is left as it is, with a warning naming its line and the fix', async () => {
  const mine = 'if [ -z "$TMUX" ] && [ "$XDG_SESSION_TYPE" = "web" ]; then\n    exec tmux new-session -A -s work\nfi\n';
  const tmuxMine = 'set -g status-right "Ctrl+B H #H"\nbind-key H display-popup -E "htop"\n';
  const home = homeWith({ '.bashrc': `export A=1\n${mine}`, '.tmux.conf': tmuxMine });
  const dry = await runCli(['init', '--no-layout', '--dry-run'], { home });
  ok(dry);
  assert.match(dry.stdout, /^warning   ~\/\.bashrc:3: exec tmux new-session -A -s work: this exec tmux runs before roost's block and keeps it from running; fix: comment it out/m);
  const r = await runCli(['init', '--no-layout'], { home });
  ok(r);
  assert.match(r.stdout, /^warning   ~\/\.bashrc:3: exec tmux new-session -A -s work: /m);
  assert.match(dry.stdout, /^warning   ~\/\.tmux\.conf:1: set -g status-right "Ctrl\+B H #H": this status-right comes after roost's block/m);
  assert.match(r.stdout, /^warning   ~\/\.tmux\.conf:\d+: set -g status-right "Ctrl\+B H #H": this status-right comes after roost's block/m);
  assert.match(r.stdout, /^warning   ~\/\.tmux\.conf:\d+: bind-key H display-popup -E "htop": this binding of H/m);
  assert.equal(assertLinesNamed(r.stdout, home, true), 3, 'after the write, at the lines below roost\'s block');
  assert.match(r.stdout, /attach to "main" once the lines warned about above are fixed/);
  assert.doesNotMatch(r.stdout, /^disabled/m);
  assert.ok(read(join(home, '.bashrc')).startsWith(`export A=1\n${mine}${BEGIN}`), 'left as it was');
  assert.ok(read(join(home, '.tmux.conf')).endsWith(`${END}\n${tmuxMine}`), 'left as it was');
});

test('with zsh, the follow-up names each shell file init changed', async () => {
  const home = tempDir('roost-home-');
  const r = await runCli(['init', '--no-layout'], { home, env: { SHELL: '/bin/zsh', ZDOTDIR: join(home, 'zdot') } });
  ok(r);
  assert.match(r.stdout, /a terminal already open does not \(bash reads ~\/\.bashrc and zsh reads ~\/zdot\/\.zshrc when it starts\)/);
  const bashOnly = await runCli(['init', '--no-layout'], { home: tempDir('roost-home-') });
  assert.match(bashOnly.stdout, /\(bash reads ~\/\.bashrc when it starts\)/);
});
