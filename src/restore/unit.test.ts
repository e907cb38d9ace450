import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CRON_MARK, cronLine, cronLineIn, serviceEnv, systemdEnvItem, systemdExecWord, unitText, withCronLine, withoutCronLine } from './unit.js';

const serve = { node: '/usr/bin/node', roost: '/opt/my roost/bin/roost', env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' } };

test('the unit runs roost serve, restarts it, and never kills the tmux server with it', () => {
  const u = unitText(serve);
  assert.match(u, /^ExecStart="\/usr\/bin\/node" "\/opt\/my roost\/bin\/roost" "serve" "--no-login-link"$/m);
  assert.match(u, /^Environment="PATH=\/usr\/bin:\/bin"$/m);
  assert.match(u, /^Restart=on-failure$/m);
  assert.match(u, /^KillMode=process$/m);
  assert.match(u, /^WantedBy=default.target$/m);
});

test('systemd quoting: specifiers and $ are literal, quotes and backslashes escaped', () => {
  assert.equal(systemdEnvItem('A=50%'), '"A=50%%"');
  assert.equal(systemdEnvItem('A=$x'), '"A=$x"');
  assert.equal(systemdExecWord('/p/$x'), '"/p/$$x"');
  assert.equal(systemdExecWord('a"b\\c'), '"a\\"b\\\\c"');
});

test('the crontab line: sh-quoted, % escaped, replaced rather than repeated, removed alone', () => {
  const line = cronLine({ ...serve, env: { PATH: '/a%b:/bin' } }, '/home/me/.local/state/roost/serve.log');
  assert.equal(line, `@reboot env PATH=/a\\%b:/bin /usr/bin/node '/opt/my roost/bin/roost' serve --no-login-link >> /home/me/.local/state/roost/serve.log 2>&1 ${CRON_MARK}`);
  const mine = 'MAILTO=me\n0 3 * * * backup\n';
  const once = withCronLine(mine, line);
  assert.equal(once, `${mine}${line}\n`);
  assert.equal(withCronLine(once, line), once, 'installing again changes nothing');
  assert.equal(cronLineIn(once), line);
  assert.equal(withoutCronLine(once), mine);
  assert.equal(withoutCronLine(withCronLine('', line)), '');
  assert.equal(cronLineIn(mine), null);
});

test('only the variables a daemon needs go into the service, none with a newline', () => {
  assert.deepEqual(serviceEnv({ PATH: '/bin', HOME: '/h', SECRET: 'x', LANG: 'a\nb', ROOST_TMUX_SOCKET: 'work' }), { PATH: '/bin', ROOST_TMUX_SOCKET: 'work' });
});
