/**
 * Guards in a real daemon, against real tmux clients on a private server: a
 * fake `claude` (a bash script of that name; tmux calls it bash) runs in
 * session main; a terminal attached to main and typing makes the default
 * guard skip runs with the reason, once told; detaching lets the next run
 * go; with a short window an attached client that stopped typing no longer
 * blocks; read-only and control-mode clients never count; busy:claude@SESSION
 * sees the script by its name. The scheduled command is the same fake
 * claude in headless mode, whose JSON result the history keeps, and which
 * `schedule open` resumes in a session. A failed run is pushed with the
 * schedule's name; a run whose agent asks for permission is pushed once,
 * by attention (its window), not by the schedule as well.
 */
import { after, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { schedUser } from '../helpers/schedule.js';
import { detachByKeys, spawnTerm, type Term } from '../helpers/cli.js';
import { waitFor } from '../helpers/tmux.js';
import { sink } from '../notify/sink.js';
import { requestDaemon } from '../../src/daemon/client.js';
import type { RunInfo } from '../../src/shared/schedules.js';
import type { WebhookBody } from '../../src/notify/webhook.js';

const u = schedUser();
const RESULT = JSON.stringify({ type: 'result', subtype: 'success', is_error: false, duration_ms: 1234, num_turns: 3, result: 'did it', session_id: 'sess-42', total_cost_usd: 0.05 });
u.program('claude', `if [ "$1" = -p ]; then echo '${RESULT}'; exit 0; fi
if [ "$1" = --resume ]; then echo "resumed $2 in $PWD"; exec sleep 100000; fi
while :; do sleep 1; done`);
const hooks = await sink();
await u.ok('notify', 'add', 'webhook', '--url', `${hooks.url}/hook`, '--allow-private');
const told = () => hooks.received.map((r) => JSON.parse(r.body.toString()) as WebhookBody).filter((b) => !b.test);
u.config('[schedule]\npresent_minutes = 30\n');
// main: an interactive bash where the person typed `claude` (job control: claude has the terminal).
await u.tmux.run('new-session', '-d', '-s', 'main', '-x', '100', '-y', '30', '--', 'bash', '--norc', '--noprofile', '-i');
await u.tmux.run('send-keys', '-t', 'main:', 'claude', 'Enter');
const daemon = await u.serve();

const lastId = async (name: string) => (await u.history(name))[0]?.id ?? 0;
const skipped = (re: RegExp, after = 0) => (r: RunInfo) => r.id > after && r.outcome === 'skipped' && re.test(r.reason ?? '');
const ran = (after = 0) => (r: RunInfo) => r.id > after && r.outcome === 'succeeded';

/** A tmux client on main in a real terminal; `type()` presses a key now, `typing()` keeps pressing until stopped. */
function attach(...flags: string[]): Term & { typing(): () => void } {
  const t = spawnTerm('tmux', ['-L', u.tmux.socket, ...flags], { env: u.env, cols: 100, rows: 30 });
  return Object.assign(t, {
    typing() {
      const timer = setInterval(() => t.write('x'), 300);
      // A test that fails while typing must not keep the file alive for ever.
      after(() => clearInterval(timer));
      return () => clearInterval(timer);
    },
  });
}
/** The daemon's own control connection (src/tmux/control.ts) is a tmux client whose parent is the daemon: not counted. */
const parentOf = (pid: number) => {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  } catch {
    return 0; // gone meanwhile: not the daemon's either
  }
};
const clientCount = async () => (await u.tmux.run('list-clients', '-F', '#{client_pid}')).split('\n').filter(Boolean)
  .filter((pid) => parentOf(Number(pid)) !== daemon.child.pid).length;

test('the fake claude is bash to tmux: the guard must name it as a person would', async () => {
  const pid = Number((await u.tmux.run('display-message', '-p', '-t', 'main:', '#{pane_pid}')).trim());
  await waitFor(() => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[5] !== String(pid), 10_000, 'claude to take the terminal');
  assert.equal((await u.tmux.run('display-message', '-p', '-t', 'main:', '#{pane_current_command}')).trim(), 'bash');
});

test('default guard: a run goes while nobody is there; a person typing at main skips runs (told once); detaching lets the next go', async () => {
  await u.ok('schedule', 'add', 'agent', '--cron', '*/2 * * * * *', '--', 'claude', '-p', 'review', '--output-format', 'json');
  const first = await u.waitRun('agent', ran(), 'a run with nobody there');
  assert.deepEqual(first.claude, { kind: 'success', isError: false, turns: 3, durationMs: 1234, costUsd: 0.05, sessionId: 'sess-42' });
  assert.match(await u.ok('schedule', 'history', 'agent'), /claude: success, 3 turns, \$0\.0500, session sess-42/);

  const term = attach('attach', '-t', 'main');
  const stop = term.typing();
  await waitFor(async () => (await clientCount()) === 1, 10_000, 'the client attached');
  const base = await lastId('agent');
  const skip = await u.waitRun('agent', skipped(/^a person is at main, where claude runs in main:0 \(active \d+ s ago; the default guard/, base), 'a skip while typing');
  await u.waitRun('agent', skipped(/a person is at main/, skip.id), 'a second skip');
  // The same agent behind sh -c, as docs/cli.md tells people to write shell syntax: the guard still sees claude.
  const added = await u.ok('schedule', 'add', 'wrapped', '--cron', '*/2 * * * * *', '--', 'sh', '-c', `cd ${u.dir} && claude -p review --output-format json`);
  assert.match(added, /^guards: default \(skip while a person is at a session where claude runs\)$/m);
  await u.waitRun('wrapped', skipped(/^a person is at main, where claude runs in main:0 /), 'a skip of the wrapped agent while typing');
  await u.ok('schedule', 'rm', 'wrapped');
  // By hand while a person is there: told on stderr, not pushed as well.
  await u.ok('schedule', 'add', 'byhand', '--cron', '0 3 * * *', '--', 'claude', '-p', 'review', '--output-format', 'json');
  const byHand = await u.cli('schedule', 'run', 'byhand');
  assert.equal(byHand.code, 1);
  assert.match(byHand.stderr, /^roost schedule: byhand skipped: a person is at main/);
  await u.ok('schedule', 'rm', 'byhand');
  const now = await u.cli('schedule', 'run', 'agent');
  assert.equal(now.code, 1);
  assert.match(now.stderr, /^roost schedule: agent skipped: a person is at main, .*\(--force runs it anyway\)\n$/);
  const forced = await u.ok('schedule', 'run', 'agent', '--force', '--json');
  assert.equal((JSON.parse(forced) as RunInfo).forced, true);

  stop();
  await detachByKeys(term, u.tmux.client);
  const after = await lastId('agent');
  await u.waitRun('agent', (r) => ran(after)(r) && r.trigger === 'cron', 'a run after detaching');
  const skipsTold = told().filter((b) => b.state === 'schedule-skipped' && b.title.startsWith('agent '));
  assert.equal(skipsTold.length, 1, `a streak of skips is one message: ${JSON.stringify(told().map((b) => b.title))}`);
  assert.deepEqual(told().filter((b) => b.title.startsWith('byhand ')), [], 'a skip by hand is said on stderr, not pushed');
  assert.equal(skipsTold[0]!.title, 'agent is skipping runs');
  assert.match(skipsTold[0]!.body, /a person is at main/);
});

test('schedule open resumes the conversation of a headless run in a session, in its directory', async () => {
  const out = await u.ok('schedule', 'open', 'agent');
  const m = /^opened session (agent-\d+-chat): roost attach \1\n$/.exec(out);
  assert.ok(m, out);
  await waitFor(async () => (await u.tmux.run('capture-pane', '-p', '-t', `=${m[1]}:`)).includes(`resumed sess-42 in ${u.dir}`), 10_000, 'claude --resume in the session');
  // Runs go on meanwhile: name this one, so the same conversation is asked for again.
  const run = /^agent-(\d+)-chat$/.exec(m[1]!)![1]!;
  assert.equal(await u.ok('schedule', 'open', 'agent', run), `already open in session ${m[1]}: roost attach ${m[1]}\n`);
  await u.tmux.run('kill-session', '-t', `=${m[1]}`);
});

test('an attached client that stopped typing past the window no longer blocks', async () => {
  u.config('[schedule]\npresent_minutes = 0.05\n');
  const term = attach('attach', '-t', 'main');
  const stop = term.typing();
  const base = await lastId('agent');
  await u.waitRun('agent', skipped(/a person is at main/, base), 'a skip while typing');
  stop();
  const quiet = await lastId('agent');
  await u.waitRun('agent', ran(quiet), 'a run with the client idle');
  assert.equal(await clientCount(), 1, 'still attached');
  await detachByKeys(term, u.tmux.client);
});

test('read-only and control-mode clients never count', async () => {
  u.config('[schedule]\npresent_minutes = 30\n');
  const ro = attach('attach', '-r', '-t', 'main');
  const cc = attach('-C', 'attach', '-t', 'main');
  const stop = ro.typing();
  const stopCc = setInterval(() => cc.write('refresh-client\n'), 300);
  try {
    await waitFor(async () => (await clientCount()) === 2, 10_000, 'both clients attached');
    const base = await lastId('agent');
    await u.waitRun('agent', ran(base), 'a run');
    const mid = await lastId('agent');
    await u.waitRun('agent', ran(mid), 'another run');
    const since = (await u.history('agent')).filter((r) => r.id > base);
    assert.deepEqual(since.filter((r) => r.outcome === 'skipped' && !/overlap/.test(r.reason ?? '')), [], 'no guard skips');
  } finally {
    stop();
    clearInterval(stopCc);
  }
  await u.tmux.run('detach-client', '-a', '-s', 'main').catch(() => undefined);
  await u.ok('schedule', 'rm', 'agent');
});

test('busy:claude@SESSION skips while the script named claude runs there, by its name', async () => {
  // desk: started by tmux through /bin/sh -c, which runs claude as its child without job control.
  await u.tmux.run('new-session', '-d', '-s', 'desk', 'claude');
  await u.ok('schedule', 'add', 'etl', '--cron', '*/2 * * * * *', '--guard', 'busy:claude@desk', '--', 'true');
  await u.waitRun('etl', skipped(/^claude runs in desk:0 \(guard busy:claude@desk\)$/), 'a skip');
  await u.tmux.run('kill-session', '-t', '=desk');
  const after = await lastId('etl');
  await u.waitRun('etl', ran(after), 'a run once claude is gone');
  await u.ok('schedule', 'rm', 'etl');
});

test('lock skips are schedules taking turns: they begin no "skipping runs" streak', async () => {
  await u.ok('schedule', 'add', 'turn-a', '--cron', '*/2 * * * * *', '--guard', 'lock:data', '--', 'sleep', '3');
  await u.ok('schedule', 'add', 'turn-b', '--cron', '*/2 * * * * *', '--guard', 'lock:data', '--', 'sleep', '3');
  const lockSkips = async () => [...await u.history('turn-a'), ...await u.history('turn-b')].filter(skipped(/^schedule turn-[ab] holds lock data \(guard lock:data\)$/));
  await waitFor(async () => (await lockSkips()).length >= 3 ? true : null, 30_000, 'three lock skips');
  await u.ok('schedule', 'pause', 'turn-a');
  await u.ok('schedule', 'pause', 'turn-b');
  // Give the notifier the time it would take to send them.
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(told().filter((b) => b.title.startsWith('turn-')).map((b) => b.title), []);
  await u.ok('schedule', 'rm', 'turn-a');
  await u.ok('schedule', 'rm', 'turn-b');
});

test('a failed run is pushed with the schedule\'s name', async () => {
  await u.ok('schedule', 'add', 'breaks', '--cron', '*/2 * * * * *', '--guard', 'none', '--', 'sh', '-c', 'exit 3');
  const b = await waitFor(() => told().find((x) => x.state === 'schedule-failed'), 30_000, 'the failure pushed');
  assert.match(b.title, /^breaks failed \(exit 3\) after \d+ s$/);
  assert.match(b.body, /^Its log: roost logs breaks-\d+$/);
  assert.ok(b.url.endsWith('/schedules/breaks'), b.url);
  await u.ok('schedule', 'rm', 'breaks');
});

test('a timed-out run is pushed with its timeout, not how long TERM and KILL then took', async () => {
  await u.ok('schedule', 'add', 'tmo', '--cron', '0 0 1 1 *', '--guard', 'none', '--timeout', '2s', '--', 'sh', '-c', 'trap "" TERM; while :; do sleep 0.2; done');
  await u.ok('schedule', 'run', 'tmo');
  const r = await u.waitRun('tmo', (x) => x.outcome === 'timed-out', 'the run timed out', 30_000);
  assert.equal(r.signal, 'SIGKILL', 'TERM ignored: it ran past its timeout by the grace');
  const b = await waitFor(() => told().find((x) => x.state === 'schedule-timed-out' && x.title.startsWith('tmo ')), 20_000, 'the timeout pushed');
  assert.equal(b.title, 'tmo timed out after 2 s');
  await u.ok('schedule', 'rm', 'tmo');
});

test('a program that cannot start is pushed once, not at every run time', async () => {
  await u.ok('schedule', 'add', 'nostart', '--cron', '*/2 * * * * *', '--guard', 'none', '--', 'no-such-program-zz');
  await waitFor(async () => (await u.history('nostart')).filter((r) => r.outcome === 'failed').length >= 3, 30_000, 'three failed starts');
  const failed = (await u.history('nostart')).filter((r) => r.outcome === 'failed');
  assert.ok(failed.every((r) => r.job === null && r.reason === 'no program "no-such-program-zz" on PATH'), JSON.stringify(failed));
  await u.ok('schedule', 'rm', 'nostart');
  const pushed = told().filter((x) => x.title.startsWith('nostart '));
  assert.equal(pushed.length, 1, JSON.stringify(pushed.map((x) => x.title)));
});

test('a run waiting for input (its agent asks for permission) is pushed once: attention\'s, with its window, not the schedule\'s as well', async () => {
  await u.ok('schedule', 'add', 'asks', '--cron', '0 0 1 1 *', '--guard', 'none', '--', 'sleep', '60');
  const run = JSON.parse(await u.ok('schedule', 'run', 'asks', '--json')) as RunInfo;
  const pane = (await u.tmux.run('display-message', '-p', '-t', `=${run.job}:`, '#{pane_id}')).trim();
  const r = await requestDaemon(join(u.dir, 'run', 'roost', 'roost.sock'), 'POST', '/api/hooks/claude', { v: 1, agent: 'claude', event: 'Notification', notificationType: 'permission_prompt', pane });
  assert.ok('status' in r && r.status === 204, JSON.stringify(r));
  const b = await waitFor(() => told().find((x) => x.state === 'needs-permission' && x.session === run.job), 20_000, 'the waiting run pushed');
  assert.match(b.title, new RegExp(`^${run.job}:0 .* — needs permission$`), 'the run\'s job, named after the schedule');
  assert.ok(b.url.endsWith(`/s/${run.job}/0`), `a tap opens the window to answer in: ${b.url}`);
  // The daemon's listings that would have told it again (once a second) come and go.
  await new Promise((r) => setTimeout(r, 3000));
  await u.ok('stop', run.job!, '--grace', '1');
  await u.waitRun('asks', (x) => x.id === run.id && x.outcome === 'failed', 'the stopped run recorded');
  await waitFor(() => told().find((x) => x.state === 'schedule-failed' && x.title.startsWith('asks ')), 20_000, 'the end pushed');
  const asked = told().filter((x) => x.session === run.job || x.title.startsWith('asks '));
  assert.deepEqual(asked.map((x) => x.state), ['needs-permission', 'schedule-failed'], 'one notification of the prompt, then the end');
  await u.ok('schedule', 'rm', 'asks');
});
