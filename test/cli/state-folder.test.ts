/**
 * A state folder Roost cannot write (a file where a folder should be, a
 * read-only file system, a full disk): `roost serve` and the commands that
 * open the state fail with one line that names the path and says what to do,
 * exit 1, and change nothing; a full disk leaves the database as it was.
 *
 * Tests may run as root, for whom a folder's mode stops nothing, so the
 * unwritable and full disks are real ones: a tmpfs mounted read-only or of a
 * few kilobytes in a private mount namespace (`unshare -Urm`, a user
 * namespace, no privileges needed where the kernel allows those). Where it
 * does not, those cases are skipped and say so; the file-in-the-path case
 * (ENOTDIR) needs nothing.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { inNamespace, NO_NAMESPACES, userNamespaces } from '../helpers/namespace.js';

/** The CLI's environment with its state under `home`/state and no tmux server. */
const stateIn = (home: string) => ({ home, env: { XDG_STATE_HOME: join(home, 'state'), XDG_RUNTIME_DIR: undefined, ROOST_TMUX_SOCKET: 'roost-state-none' } });

const ONE_LINE = /^roost [a-z]+: cannot write Roost's state folder \S+: [^\n]+; [^\n]+\n$/;

test('a file where the state folder should be: serve and the state commands say which, exit 1, and create nothing', async () => {
  const home = tempDir('roost-state-');
  writeFileSync(join(home, 'file'), 'not a folder\n');
  const env = { XDG_STATE_HOME: join(home, 'file', 'state'), XDG_RUNTIME_DIR: undefined };
  for (const argv of [['serve', '--port', '0'], ['token', 'create'], ['jobs'], ['run', '--', 'true'], ['notify', 'ls']]) {
    const r = await runCli(['-L', 'roost-state-none', ...argv], { home, env });
    assert.equal(r.code, 1, `roost ${argv.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, ONE_LINE, `roost ${argv.join(' ')}`);
    assert.ok(r.stderr.includes(`${join(home, 'file')} is a file, not a folder`), r.stderr);
    assert.ok(!/ENOTDIR|SQLITE/.test(r.stderr), r.stderr);
  }
  assert.equal(readFileSync(join(home, 'file'), 'utf8'), 'not a folder\n');
  assert.deepEqual(readdirSync(home).sort(), ['file'], 'nothing made beside it');
});

test('a read-only state disk: serve and the state commands say so and exit 1', { skip: userNamespaces ? false : NO_NAMESPACES }, async () => {
  const home = tempDir('roost-state-');
  mkdirSync(join(home, 'state'));
  const out = await inNamespace(stateIn(home), `mount -t tmpfs -o ro,size=64k none "$XDG_STATE_HOME"
roost serve --port 0
roost token create
roost run -- true`);
  const runs = out.split(/^exit (\d+)\n/m);
  for (let i = 0; i + 1 < runs.length; i += 2) {
    assert.equal(runs[i + 1], '1', out);
    assert.match(runs[i]!, ONE_LINE, out);
    assert.ok(runs[i]!.includes(`${join(home, 'state')} is on a read-only file system`), out);
  }
  assert.equal(runs.length, 7, `three runs: ${out}`);
});

test('a full state disk: serve and token create say so and exit 1; the database keeps what it had', { skip: userNamespaces ? false : NO_NAMESPACES }, async () => {
  const home = tempDir('roost-state-');
  mkdirSync(join(home, 'state'));
  const out = await inNamespace(stateIn(home), `mount -t tmpfs -o size=1m none "$XDG_STATE_HOME"
roost token create --name before
echo ---
dd if=/dev/zero of="$XDG_STATE_HOME/filler" bs=4k 2>/dev/null
roost serve --port 0
roost token create --name during
echo ---
rm "$XDG_STATE_HOME/filler"
roost token ls`);
  const [first = '', full = '', after = ''] = out.split('---\n');
  assert.match(first, /exit 0\n$/, out);
  const runs = full.split(/^exit (\d+)\n/m);
  assert.equal(runs.length, 5, `two runs: ${out}`);
  for (const i of [0, 2]) {
    assert.equal(runs[i + 1], '1', out);
    assert.match(runs[i]!, ONE_LINE, out);
    assert.ok(runs[i]!.includes(`the disk holding ${join(home, 'state', 'roost')} is full; free some space`), out);
    assert.ok(!/SQLITE|disk I\/O error|database or disk is full/.test(runs[i]!), out);
  }
  assert.match(after, /before/, `the token made before is still there: ${after}`);
  assert.ok(!after.includes('during'), after);
  assert.match(after, /exit 0\n$/, after);
});

test('a running daemon whose disk fills up keeps serving; a request that must write gets a 507 saying so (no path), and the log names the folder', { skip: userNamespaces ? false : NO_NAMESPACES }, async () => {
  const home = tempDir('roost-state-');
  mkdirSync(join(home, 'state'));
  let daemonPid = 0;
  after(() => {
    try {
      if (daemonPid) process.kill(daemonPid, 'SIGKILL');
    } catch {
      // already stopped by the script
    }
  });
  const probe = `const [log] = process.argv.slice(1);
const text = require('fs').readFileSync(log, 'utf8');
const url = /(http:\\/\\/127\\.0\\.0\\.1:\\d+)\\/login#token=(\\S+)/.exec(text);
(async () => {
  const r = await fetch(url[1] + '/api/login', { method: 'POST', headers: { 'content-type': 'application/json', origin: url[1] }, body: JSON.stringify({ token: url[2] }) });
  console.log('login', r.status, await r.text());
  const h = await fetch(url[1] + '/healthz');
  console.log('healthz', h.status);
})();`;
  const out = await inNamespace(stateIn(home), `mount -t tmpfs -o size=2m none "$XDG_STATE_HOME"
"$NODE" "$ROOST" serve --port 0 > "$HOME/serve.log" 2>&1 &
pid=$!
echo "daemon $pid"
i=0; while [ $i -lt 60 ] && ! grep -q 'login#token=' "$HOME/serve.log"; do i=$((i+1)); sleep 0.5; done
dd if=/dev/zero of="$XDG_STATE_HOME/filler" bs=4k 2>/dev/null
"$NODE" -e "$1" "$HOME/serve.log"
kill -0 $pid && echo "still running"
kill $pid; wait $pid
echo ---
cat "$HOME/serve.log"`, 60_000, [probe]);
  daemonPid = Number(/^daemon (\d+)$/m.exec(out)?.[1] ?? 0);
  const [run = '', log = ''] = out.split('---\n');
  const state = join(home, 'state', 'roost');
  assert.match(run, /^login 507 .*"code":"storage".*cannot write its state folder \(its disk is full or not writable\)/m, out);
  assert.ok(!run.includes(state), `no path to a client that has not logged in: ${run}`);
  assert.match(run, /^healthz 200$/m, out);
  assert.match(run, /^still running$/m, out);
  assert.match(log, new RegExp(`error cannot write Roost's state folder ${state}: the disk holding ${state} is full`), log);
  assert.ok(!/SqliteError/.test(log), log);
});
