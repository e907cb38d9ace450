/**
 * What `roost service` leaves in its log: the daemon it starts writes to
 * serve.log (cron) or the journal (systemd) at every boot, and a log holds no
 * credential, so that daemon prints no login link, only how to get one. Run
 * here as cron runs it: the crontab line's command through sh, on a private
 * tmux socket and a free port.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor } from '../helpers/tmux.js';
import { tempUser } from '../helpers/server.js';
import { ROOST_BIN } from '../helpers/cli.js';
import { CRON_MARK, cronLine, serviceEnv } from '../../src/restore/unit.js';

test('the daemon roost service starts logs no login link, only how to get one', async () => {
  const { dir, env } = tempUser();
  const t = privateTmux(env);
  mkdirSync(join(dir, 'config', 'roost'), { recursive: true });
  writeFileSync(join(dir, 'config', 'roost', 'config.toml'), '[server]\nport = 0\n');
  const log = join(dir, 'serve.log');
  const line = cronLine({ node: realpathSync(process.execPath), roost: realpathSync(ROOST_BIN), env: serviceEnv({ ...env, ROOST_TMUX_SOCKET: t.socket }) }, log);
  // The command cron hands sh: the line without @reboot and the mark (no % in it to unescape here).
  const command = line.slice('@reboot '.length, -(CRON_MARK.length + 1));
  assert.doesNotMatch(command, /\\%/);
  // Its own process group, so the daemon under sh is stopped with it.
  const sh = spawn('sh', ['-c', command], { env, cwd: dir, stdio: 'ignore', detached: true });
  const stop = () => {
    try {
      process.kill(-sh.pid!, 'SIGTERM');
    } catch {
      // Already gone: nothing to stop.
    }
  };
  try {
    await waitFor(() => existsSync(log) && /Roost is serving on http:\/\/127\.0\.0\.1:\d+/.test(readFileSync(log, 'utf8')), 60_000, 'the daemon to log its URL');
    await waitFor(() => /roost open/.test(readFileSync(log, 'utf8')), 10_000, 'how to get a login link');
    const text = readFileSync(log, 'utf8');
    assert.doesNotMatch(text, /#token=|\/login#/, text);
  } finally {
    stop();
    await new Promise((r) => (sh.exitCode === null && sh.signalCode === null ? sh.on('exit', r) : r(null)));
  }
});
