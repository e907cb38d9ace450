/**
 * `roost service` on this kind of machine. A systemd user manager cannot run
 * here (systemd is not PID 1; `systemd --user` exits at once), so: the unit
 * file install would write is checked with `systemd-analyze verify --user`,
 * `install --systemd` must say why it cannot, and the fallback is tested for
 * real: `install` picks cron, writes the @reboot line into the crontab
 * beside the user's own lines, the line itself (run as cron would, by sh)
 * starts a daemon that `service status` finds, and `uninstall` gives back the
 * crontab as it was.
 *
 * Whose crontab: on CI (CI=true, a throwaway machine) the real one, so cron's
 * own crontab checks the line. Anywhere else a developer's crontab is theirs:
 * a stand-in `crontab` on PATH keeps the table in a file of the test's own.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { ROOST_BIN } from '../helpers/cli.js';
import { serviceEnv, unitText } from '../../src/restore/unit.js';
import { restoreUser } from './helpers.js';

const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;
const systemdUser = spawnSync('systemctl', ['--user', 'show-environment'], { encoding: 'utf8' }).status === 0;

function verify(unit: string): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'roost-unit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'run'), { mode: 0o700 });
  writeFileSync(join(dir, 'roost.service'), unit);
  const r = spawnSync('systemd-analyze', ['verify', '--user', join(dir, 'roost.service')], { env: { ...process.env, XDG_RUNTIME_DIR: join(dir, 'run') }, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('the unit file passes systemd-analyze verify; a broken one does not', { skip: has('systemd-analyze') ? false : 'systemd-analyze not installed' }, () => {
  const serve = { node: realpathSync(process.execPath), roost: realpathSync(ROOST_BIN), env: serviceEnv({ PATH: process.env['PATH'], LANG: 'C.UTF-8', ROOST_TMUX_SOCKET: 'work' }) };
  const good = verify(unitText(serve));
  assert.deepEqual(good, { status: 0, out: '' });
  const bad = verify(unitText({ ...serve, node: '/no/such/node' }));
  assert.notEqual(bad.status, 0);
  assert.match(bad.out, /\/no\/such\/node is not executable/);
});

/**
 * `crontab ARGS` as the CLI under test reaches it (u.env's PATH). Off CI, a stand-in that keeps the table
 * in the test's folder (with crontab's -l, -r and - as used here) goes first on that PATH; on CI the
 * machine's crontab is used and put back as it was afterwards.
 */
function crontabFor(u: { dir: string; env: NodeJS.ProcessEnv }): (args: string[], input?: string) => { status: number | null; stdout: string } {
  if (process.env['CI'] === 'true') {
    const saved = spawnSync('crontab', ['-l'], { encoding: 'utf8' });
    after(() => {
      if (saved.status === 0) spawnSync('crontab', ['-'], { input: saved.stdout });
      else spawnSync('crontab', ['-r']);
    });
  } else {
    const bin = join(u.dir, 'crontab-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'crontab'), `#!/bin/sh
f=${JSON.stringify(join(u.dir, 'crontab.txt'))}
case "$1" in
  -l) if [ -f "$f" ]; then exec cat "$f"; fi; echo "no crontab for $(id -un)" >&2; exit 1 ;;
  -r) rm -f "$f" ;;
  -) cat > "$f" ;;
  *) echo "crontab: usage: crontab [-l | -r | -]" >&2; exit 1 ;;
esac
`, { mode: 0o755 });
    u.env['PATH'] = `${bin}:${u.env['PATH'] ?? process.env['PATH']}`;
  }
  return (args, input) => {
    const r = spawnSync('crontab', args, { env: u.env, encoding: 'utf8', input });
    return { status: r.status, stdout: r.stdout };
  };
}

test('without a systemd user manager: --systemd says why; install falls back to a real @reboot line that starts the daemon', {
  skip: systemdUser ? 'a systemd user manager runs here: install would enable a real unit' : !has('crontab') ? 'crontab not installed (Debian: cron)' : false,
}, async () => {
  const u = restoreUser();
  const crontab = crontabFor(u);
  const mine = '# mine\n0 3 * * * true\n';
  assert.equal(crontab(['-'], mine).status, 0);

  const t = privateTmux(u.env);
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  mkdirSync(join(u.dir, 'config', 'roost'), { recursive: true });
  writeFileSync(join(u.dir, 'config', 'roost', 'config.toml'), '[server]\nport = 0\n');

  const sd = await runCli(['service', 'install', '--systemd'], u.env);
  assert.equal(sd.code, 1);
  assert.match(sd.stderr, /^roost service: no systemd user manager here \(systemctl --user: .+\); use roost service install --cron\n$/);

  const r = await runCli(['service', 'install'], u.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^systemd user units are not available here \(systemctl --user: .+\): using cron instead$/m);
  assert.match(r.stdout, /^installed: @reboot crontab line$/m);
  assert.equal((await runCli(['service', 'install', '--cron'], u.env)).code, 0, 'again: replaced, not repeated');
  const tab = crontab(['-l']).stdout;
  const lines = tab.trimEnd().split('\n');
  assert.deepEqual(lines.slice(0, 2), ['# mine', '0 3 * * * true']);
  assert.equal(lines.length, 3);
  const line = lines[2]!;
  assert.match(line, /^@reboot env .*PATH=.* '?\S+node'? '?\S+\/bin\/roost'? serve --no-login-link >> \S+\/serve\.log 2>&1 # roost-service$/);

  const st = JSON.parse((await runCli(['service', 'status', '--json'], u.env)).stdout);
  assert.equal(st.method, 'cron');
  assert.equal(st.cron.line, line);
  assert.equal(st.daemon.running, false);

  // The line, run as cron runs it at boot: sh, a bare environment, no XDG_RUNTIME_DIR.
  const cronEnv = { HOME: u.dir, LOGNAME: 'root', SHELL: '/bin/sh', PATH: '/usr/bin:/bin' };
  const cmd = line.slice('@reboot '.length, -' # roost-service'.length).replace(/\\%/g, '%');
  const daemon = spawn('sh', ['-c', cmd], { env: cronEnv, detached: true, stdio: 'ignore' });
  const exited = new Promise((res) => daemon.on('exit', res));
  after(async () => {
    try {
      process.kill(-daemon.pid!, 'SIGTERM');
    } catch {
      // Already gone.
    }
    await exited;
  });
  const statusEnv = { ...u.env, XDG_RUNTIME_DIR: undefined };
  delete statusEnv.XDG_RUNTIME_DIR;
  const running = await waitFor(async () => {
    const s = JSON.parse((await runCli(['service', 'status', '--json'], statusEnv as NodeJS.ProcessEnv)).stdout);
    return s.daemon.running ? s : null;
  }, 30_000, 'the daemon started by the crontab line');
  assert.match(running.daemon.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const text = await runCli(['service', 'status'], statusEnv as NodeJS.ProcessEnv);
  assert.match(text.stdout, /^service {3}@reboot crontab line/m);
  assert.match(text.stdout, /^daemon {4}running, http:\/\/127\.0\.0\.1:\d+$/m);

  const doctor = JSON.parse((await runCli(['doctor', '--json'], u.env)).stdout);
  assert.match(doctor.checks.find((c: { id: string }) => c.id === 'service').message, /@reboot line/);

  const un = await runCli(['service', 'uninstall'], u.env);
  assert.equal(un.code, 0, un.stderr);
  assert.match(un.stdout, /removed the roost line from your crontab/);
  assert.equal(crontab(['-l']).stdout, mine);
  assert.match((await runCli(['service', 'uninstall'], u.env)).stdout, /no Roost service installed/);
});
