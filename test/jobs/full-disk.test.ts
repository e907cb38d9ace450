/**
 * A job whose log fills the disk goes on to its own end: the runner (the
 * pane's session leader, which writes the log) stops the log instead of
 * dying with ENOSPC, which ended the job's program with its pane and left
 * the job `lost`. The disk is a real 256 KiB tmpfs mounted on the jobs folder
 * in a private user and mount namespace (test/helpers/namespace.ts); the
 * database stays on the test's disk. The private tmux server lives in that
 * namespace, so the script stops it itself and the test kills it by pid too.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { inNamespace, NO_NAMESPACES, userNamespaces } from '../helpers/namespace.js';
import type { JobInfo } from '../../src/shared/jobs.js';

const BYTES = 1_000_000;

test('a job whose log fills the disk runs to its end and its status is kept; the log holds what fit', { skip: userNamespaces ? false : NO_NAMESPACES }, async () => {
  const home = tempDir('roost-full-');
  const state = join(home, 'state');
  mkdirSync(join(state, 'roost', 'jobs'), { recursive: true, mode: 0o700 });
  const socket = `roost-full-${process.pid}`;
  let serverPid = 0;
  after(() => {
    try {
      if (serverPid) process.kill(serverPid, 'SIGKILL');
    } catch {
      // already gone: the script stopped it
    }
  });
  const out = await inNamespace({ home, env: { XDG_STATE_HOME: state, XDG_RUNTIME_DIR: undefined, ROOST_TMUX_SOCKET: socket } }, `
trap 'tmux -L ${socket} kill-server 2>/dev/null' EXIT
mount -t tmpfs -o size=256k,mode=0700 none "$XDG_STATE_HOME/roost/jobs"
roost run --name big -- sh -c 'head -c ${BYTES} /dev/zero | tr "\\000" x; echo; echo AFTER-THE-FULL-DISK; exit 3'
echo "server $(tmux -L ${socket} display-message -p '#{pid}')"
i=0
while [ $i -lt 120 ] && roost jobs --json | grep -q '"state": *"running"'; do i=$((i+1)); sleep 0.5; done
echo ---
roost jobs --json
echo ---
roost logs big | tail -c 200
`);
  serverPid = Number(/^server (\d+)$/m.exec(out)?.[1] ?? 0);
  const [, jobsJson = '', logTail = ''] = out.split('---\n');
  const jobs = JSON.parse(jobsJson.replace(/exit \d+\n$/, '')) as JobInfo[];
  const j = jobs.find((x) => x.name === 'big');
  assert.ok(j, out);
  assert.equal(j.state, 'exited', `the program ran to its own end: ${out}`);
  assert.equal(j.exitCode, 3, out);
  assert.ok(j.log.bytes > 0 && j.log.bytes < BYTES, `the log holds what fit: ${j.log.bytes} bytes`);
  assert.match(logTail, /x+\nexit 0\n$/, `the log ends where the disk did: ${logTail}`);
});
