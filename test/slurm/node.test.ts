/**
 * `roost node` against a real single-node Slurm (test/helpers/slurm.ts):
 * salloc, srun, squeue and scancel as users run them, private tmux servers,
 * the daemon where the test is about it. The cluster has two CPUs: tests
 * that hold an allocation take CPUs from a queue (cpus below), so they never
 * starve each other, and run concurrently otherwise: the expiry (a one-minute
 * limit, about 90 s) runs beside all the others.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, runCli, startServer, tempUser, type TestServer } from '../helpers/server.js';
import { privateTmux, stretch, waitFor, type TestTmux } from '../helpers/tmux.js';
import { sink, type Sink } from '../notify/sink.js';
import { detachByKeys, spawnTerm } from '../helpers/cli.js';
import { launchChromium, loginWithLink, startDaemon as startServe, tempHome } from '../helpers/browser.js';
import { cancelJobsAfter, skipUnless, useSlurm } from '../helpers/slurm.js';
import type { NodeListEntry } from '../../src/cli/commands/node.js';
import { slurmService } from '../../src/slurm/daemon-service.js';
import { newRecord, writeRecord } from '../../src/slurm/records.js';
import { resolveRequest } from '../../src/slurm/request.js';
import { parseConfig } from '../../src/config/config.js';

const slurm = await useSlurm();
const skip = skipUnless(slurm);
/** Session names start with this, so jobs are roost-<P>...: the after hook cancels whatever is left. */
const P = `t${process.pid % 100_000}`;
if (!skip) cancelJobsAfter(`roost-${P}`);

/** Two CPUs, handed out first come, first served. */
class Cpus {
  private free = 2;
  private readonly waiting: { n: number; go: () => void }[] = [];
  /** Resolves when `n` are free; the function gives back `k` of them (all that are left by default). */
  take(n = 1): Promise<(k?: number) => void> {
    return new Promise((resolve) => {
      let held = n;
      const giveBack = (k = held) => {
        const m = Math.min(k, held);
        held -= m;
        this.give(m);
      };
      this.waiting.push({ n, go: () => resolve(giveBack) });
      this.next();
    });
  }
  private give(n: number): void {
    this.free += n;
    this.next();
  }
  private next(): void {
    while (this.waiting.length && this.waiting[0]!.n <= this.free) {
      const w = this.waiting.shift()!;
      this.free -= w.n;
      w.go();
    }
  }
}
const cpus = new Cpus();

interface User {
  env: NodeJS.ProcessEnv;
  tmux: TestTmux;
  dir: string;
  roost(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  server?: TestServer;
}

const CONFIG = '[node]\npoll_seconds = 1\n';
/** A shell's prompt alone on its line: root's "# ", a user's "$ " (capture-pane -J keeps the trailing space). */
const PROMPT = /^[#$] *$/m;

function configure(env: NodeJS.ProcessEnv, text: string): void {
  const dir = join(env['XDG_CONFIG_HOME']!, 'roost');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.toml'), text);
}

/** A user without a daemon: its own HOME and tmux server. */
function cliUser(config = CONFIG, tmuxEnv: NodeJS.ProcessEnv = {}): User {
  const { dir, env } = tempUser('roost-node-');
  const tmux = privateTmux({ ...env, ...tmuxEnv });
  const e = { ...env, ROOST_TMUX_SOCKET: tmux.socket };
  configure(e, config);
  return { env: e, tmux, dir, roost: (...argv) => runCli(argv, e) };
}

/** A user whose profile "site" has a launcher: a site's sinteractive, which makes its own job with srun --pty. */
function launcherUser(): User {
  const bin = join(tempUser('roost-launch-').dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'fake-sinteractive'), '#!/bin/sh\nexec srun --time=3 --pty /bin/sh -l\n');
  chmodSync(join(bin, 'fake-sinteractive'), 0o755);
  return cliUser(`${CONFIG}[node.profiles.site]\nlauncher = "${join(bin, 'fake-sinteractive')}"\n`);
}

/** A user with the daemon running (it is the poller then). */
async function daemonUser(config = CONFIG): Promise<User> {
  const server = await startServer();
  const e = { ...server.env, ROOST_TMUX_SOCKET: server.tmux.socket };
  configure(e, config);
  return { env: e, tmux: server.tmux, dir: server.dir, server, roost: (...argv) => runCli(argv, e) };
}

async function webhook(u: User): Promise<Sink> {
  const s = await sink();
  const r = await u.roost('notify', 'add', 'webhook', '--url', `${s.url}/in`, '--allow-private');
  assert.equal(r.code, 0, r.stderr);
  return s;
}

const told = (s: Sink) => s.received.map((r) => JSON.parse(r.body.toString('utf8')) as { state: string; title: string; session: string; body: string; at: number });

async function pane(t: TestTmux, target: string): Promise<string> {
  return t.run('capture-pane', '-p', '-J', '-S', '-300', '-t', target);
}

/** Wait until the pane's text matches; on failure the message shows the pane. */
async function see(t: TestTmux, target: string, re: RegExp, ms = 20_000): Promise<string> {
  let last = '';
  try {
    await waitFor(async () => re.test((last = await pane(t, target))), ms, `${re} in ${target}`);
  } catch (e) {
    throw new Error(`${(e as Error).message}; the pane shows: ${JSON.stringify(last.trim().split('\n').slice(-12).join('\n'))}`);
  }
  return last;
}

/** Type text into a pane without pressing Enter. */
async function typeOnly(t: TestTmux, target: string, text: string): Promise<void> {
  await t.run('send-keys', '-t', target, '-l', '--', text);
}

/** Type a line into a pane. */
async function type(t: TestTmux, target: string, line: string): Promise<void> {
  await t.run('send-keys', '-t', target, '-l', '--', line);
  await t.run('send-keys', '-t', target, 'Enter');
}

async function nodeLs(u: User): Promise<NodeListEntry[]> {
  const r = await u.roost('node', 'ls', '--json');
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as NodeListEntry[];
}

async function nodeLsOf(cli: (...a: string[]) => Promise<string>): Promise<NodeListEntry[]> {
  return JSON.parse(await cli('node', 'ls', '--json')) as NodeListEntry[];
}

async function entry(u: User, name: string, ok: (e: NodeListEntry) => boolean, what: string, ms = 20_000): Promise<NodeListEntry> {
  let last: NodeListEntry | undefined;
  try {
    return await waitFor(async () => ((last = (await nodeLs(u)).find((e) => e.name === name)) && ok(last) ? last : null), ms, what);
  } catch (e) {
    throw new Error(`${(e as Error).message}; roost node ls says ${JSON.stringify(last)}`);
  }
}

/** squeue's word on a job: "STATE|..." per the format, '' when Slurm no longer knows it. */
function squeue(id: string, format = '%T'): string {
  const r = spawnSync('squeue', ['--noheader', '--states=all', `--jobs=${id}`, `--format=${format}`], { encoding: 'utf8' });
  return (r.stdout ?? '').trim();
}

/** Wait until the job holds no CPU (Slurm keeps one while it is COMPLETING). */
async function released(id: string): Promise<void> {
  await waitFor(() => !/^(RUNNING|PENDING|COMPLETING|CONFIGURING)/.test(squeue(id)), 30_000, `job ${id} to be over`);
}

const recordFile = (u: User, name: string) => join(u.env['XDG_STATE_HOME']!, 'roost', 'slurm', 'sessions', `${name}.json`);

describe('roost node on a real Slurm', { skip, concurrency: true }, () => {
  test('two named allocations at once; a one-minute limit expires: every window falls back, warned and told', async () => {
    const cpusTaken = cpus.take(2); // first in the queue: the others run beside it on the second CPU
    const u = await daemonUser();
    const hooks = await webhook(u);
    const release = await cpusTaken;
    // Given back however the test ends: a failure here must fail, not hang the tests waiting for CPUs.
    try {
      const [a, a2] = [`${P}a`, `${P}a2`];
      const [ra, ra2] = await Promise.all([u.roost('node', a, '-d', '--time', '1'), u.roost('node', a2, '-d', '--time', '1')]);
      assert.equal(ra.code, 0, ra.stderr);
      assert.equal(ra2.code, 0, ra2.stderr);
      const ea = await entry(u, a, (e) => e.state === 'RUNNING', `${a} running`);
      const ea2 = await entry(u, a2, (e) => e.state === 'RUNNING', `${a2} running`);
      assert.notEqual(ea.jobId, ea2.jobId, 'each session has its own allocation');
      assert.equal(squeue(ea.jobId!, '%j'), `roost-${a}`);
      assert.equal(squeue(ea2.jobId!, '%j'), `roost-${a2}`);
      // Killing a session gives its allocation back.
      assert.equal((await u.roost('kill', a2)).code, 0);
      await released(ea2.jobId!);
      assert.match(squeue(ea2.jobId!), /^(CANCELLED|)$/);
      release(1);

      // The daemon warns at once: one minute is under the five-minute threshold.
      await waitFor(() => told(hooks).find((t) => t.state === 'node-expiring' && t.session === a), 20_000, 'the expiry warning');
      // Slurm enforces the limit 60-90 s after the grant. Between the limit and that, the job is still RUNNING
      // (%L INVALID) and refuses new steps: `--window` is refused in one line that says the job is past its
      // limit (or, should Slurm end the job before `--window` asks, that it ended).
      await waitFor(() => /^(INVALID|)$/.test(squeue(ea.jobId!, '%L')), 150_000, `job ${ea.jobId} past its limit`);
      const refused = new RegExp(`^roost node: (job ${ea.jobId} of ${a} is \\S+|${a} has no allocation to open a window on \\(it ended: \\S+\\)); ask for a new one: roost node ${a} --renew\n$`);
      const overdue = new RegExp(`^roost node: job ${ea.jobId} of ${a} is past its time limit and Slurm is ending it; ask for a new one: roost node ${a} --renew\n$`);
      const more = await u.roost('node', a, '--window', '-d');
      assert.equal(more.code, 1, `${more.stdout}${more.stderr}`);
      assert.ok(overdue.test(more.stderr) || refused.test(more.stderr), more.stderr);
      assert.equal((await u.tmux.run('list-windows', '-t', `=${a}`, '-F', '#{window_index}')).trim(), '0', 'no window made');
      // The window says how it ended and goes on on the login node.
      await see(u.tmux, `=${a}:0`, new RegExp(`allocation ${ea.jobId} ended: TIMEOUT \\(TimeLimit\\)`), 150_000);
      await type(u.tmux, `=${a}:0`, 'echo "after=${SLURM_JOB_ID:-none}"');
      await see(u.tmux, `=${a}:0`, /^after=none$/m);
      const ended = await waitFor(() => told(hooks).find((t) => t.state === 'node-ended' && t.session === a), 20_000, 'the ended notification');
      assert.match(ended.title, /allocation ended \(TIMEOUT\)/);
      assert.equal(told(hooks).filter((t) => t.state === 'node-expiring' && t.session === a).length, 1, 'warned once');
      // The dashboard's listing carries the allocation.
      const svc = u.server!.daemon.get(slurmService);
      await waitFor(() => svc.allocations().get(a)?.state === 'TIMEOUT', 10_000, 'the daemon to see TIMEOUT');
      const listing = await u.server!.daemon.feed.refresh();
      assert.equal(listing.find((s) => s.name === a)?.node?.state, 'TIMEOUT');
      // Now a window has nothing to join: refused, in the line the race above may also give.
      const late = await u.roost('node', a, '--window', '-d');
      assert.equal(late.code, 1, late.stderr);
      assert.match(late.stderr, refused);
      const ls = await u.roost('ls');
      assert.match(ls.stdout, new RegExp(`${a} .*\\n  node: TIMEOUT \\(TimeLimit\\) \\(job ${ea.jobId}\\)`));
    } finally {
      release();
    }
  });

  test('past the time limit, no daemon: a window already back on the login node is told TIMEOUT; --renew releases the ending job', async () => {
    // poll_seconds as by default: the window's own poller looks seldom, so the fallback window must read the end itself.
    const u = cliUser('[node]\npoll_seconds = 30\n');
    const hooks = await webhook(u);
    const release = await cpus.take(2);
    try {
      const [f, r] = [`${P}f`, `${P}r`];
      const [rf, rr] = await Promise.all([u.roost('node', f, '-d', '--time', '1', '--', 'true'), u.roost('node', r, '-d', '--time', '1')]);
      assert.equal(rf.code, 0, rf.stderr);
      assert.equal(rr.code, 0, rr.stderr);
      const ef = await entry(u, f, (x) => x.state === 'RUNNING', `${f} running`, 60_000);
      const er = await entry(u, r, (x) => x.state === 'RUNNING', `${r} running`, 60_000);
      // The command ended at once: the window says so (not "the shell"), and the job holds the allocation on.
      await see(u.tmux, `=${f}:0`, new RegExp(`roost: the command on \\S+ ended; job ${ef.jobId} still holds the allocation`));

      // Just past the limit Slurm still says RUNNING (%L INVALID) and ends the job within about 30 s. --window
      // says to renew; --renew does: it releases the job and asks anew. Slurm's check may end the job in the
      // second its limit passes, before a look sees it RUNNING INVALID (a CI run did): then both see it ended
      // (Slurm shows it for MinJobAge, 10 s here), and --renew asks anew all the same.
      await waitFor(() => {
        const s = squeue(er.jobId!, '%T %L');
        return s === 'RUNNING INVALID' || /^(TIMEOUT|COMPLETING) /.test(s);
      }, 150_000, `job ${er.jobId} past its limit`);
      const more = await u.roost('node', r, '--window', '-d');
      assert.equal(more.code, 1, more.stderr);
      const renewed = await u.roost('node', r, '--renew', '-d');
      assert.equal(renewed.code, 0, `${more.stderr}${renewed.stderr}`);
      const er2 = await entry(u, r, (x) => x.jobId !== er.jobId && (x.state === 'RUNNING' || x.state === 'PENDING'), `${r} renewed`);
      await released(er.jobId!);

      // At its end time the job still says RUNNING, not yet past its limit; Slurm forgets it within MinJobAge of
      // its end. The window, the record, roost node ls and the notification all say how it ended.
      await waitFor(() => /^(TIMEOUT|)$/.test(squeue(ef.jobId!)), 150_000, `job ${ef.jobId} ended by Slurm`);
      // Within seconds of Slurm's word, not after a quiet half-minute in which Slurm may forget the job.
      await see(u.tmux, `=${f}:0`, new RegExp(`allocation ${ef.jobId} ended: TIMEOUT \\(TimeLimit\\)`), 8000);
      const rec = JSON.parse(readFileSync(recordFile(u, f), 'utf8')) as { ended: { state: string; reason: string | null } | null };
      assert.deepEqual({ state: rec.ended?.state, reason: rec.ended?.reason }, { state: 'TIMEOUT', reason: 'TimeLimit' });
      assert.equal((await entry(u, f, (x) => x.state !== 'RUNNING', `${f} over`)).state, 'TIMEOUT');
      const ended = await waitFor(() => told(hooks).find((t) => t.state === 'node-ended' && t.session === f), 20_000, 'the ended notification');
      assert.match(ended.title, /allocation ended \(TIMEOUT\)/);

      assert.equal((await u.roost('kill', r)).code, 0);
      await released(er2.jobId!);
      assert.equal((await u.roost('kill', f)).code, 0);
    } finally {
      release();
    }
  });

  test('a shell on the node, the status line, --window on the same allocation, exit falls back, stop releases (no daemon)', async () => {
    const u = cliUser();
    // roost on the caller's PATH only (not where /etc/profile's PATH looks): the fallback shell must still find it.
    const mine = join(u.dir, 'my-bin');
    mkdirSync(mine);
    symlinkSync(CLI, join(mine, 'roost'));
    u.env['PATH'] = `${mine}:${u.env['PATH']}`;
    const hooks = await webhook(u);
    const release = await cpus.take();
    try {
      const b = `${P}b`;
      const r = await u.roost('node', b, '-d', '--time', '5');
      assert.equal(r.code, 0, r.stderr);
      const e = await entry(u, b, (x) => x.state === 'RUNNING', `${b} running`, 60_000);
      assert.match(r.stdout, new RegExp(`^node session ${b}: (RUNNING on \\S+, [45]m left|PENDING.*) \\(job ${e.jobId}\\)\\n$`));
      // -d on a session that exists: its state, and nothing else done (options only apply when creating).
      const again = await u.roost('node', b, '-d');
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, new RegExp(`^node session ${b}: RUNNING on \\S+, [45]m left \\(job ${e.jobId}\\)\\n$`));
      const asked = await u.roost('node', b, '--time', '3', '-d');
      assert.equal(asked.code, 0, asked.stderr);
      assert.equal(asked.stderr, `roost node: ${b} exists; left as it is (request options and CMD apply when it is created, or with --renew)\n`);
      assert.match(asked.stdout, new RegExp(`^node session ${b}: RUNNING on \\S+, [45]m left \\(job ${e.jobId}\\)\\n$`));
      // An option that is wrong is an error all the same, and changes nothing.
      const bad = await u.roost('node', b, '--profile', 'nosuch', '-d');
      assert.equal(bad.code, 1, bad.stderr);
      assert.match(bad.stderr, /^roost node: unknown profile "nosuch" \(config\.toml has no \[node\.profiles\]\)\n$/);
      assert.equal(bad.stdout, '');
      await see(u.tmux, `=${b}:0`, PROMPT);
      // Named after the node by the time the shell there prompts (nothing printed since, so tmux has not looked again).
      assert.equal((await u.tmux.run('display-message', '-p', '-t', `=${b}:0`, '#{window_name}')).trim(), e.nodes);
      await type(u.tmux, `=${b}:0`, 'echo "JOB=$SLURM_JOB_ID STEP=$SLURM_STEP_ID"');
      await see(u.tmux, `=${b}:0`, new RegExp(`^JOB=${e.jobId} STEP=0$`, 'm'));

      // No daemon: a window of the session is the poller and keeps the status line.
      await waitFor(async () => /^job \d+ RUNNING \S+$/.test((await u.tmux.run('show-options', '-v', '-t', `=${b}:`, '@roost_node')).trim()), 20_000, 'the status line');
      const shown = await u.tmux.run('display-message', '-p', '-t', `=${b}:`, '#{T:status-right}');
      assert.match(shown, new RegExp(`job ${e.jobId} RUNNING \\S+ [45]m left`));

      const w = await u.roost('node', b, '--window', '-d');
      assert.equal(w.code, 0, w.stderr);
      assert.equal(w.stdout, `node session ${b}: window 1 on the allocation\n`, 'the number C-b 1 selects, not tmux\'s @id');
      await see(u.tmux, `=${b}:1`, PROMPT);
      await type(u.tmux, `=${b}:1`, 'echo "JOB=$SLURM_JOB_ID STEP=$SLURM_STEP_ID"');
      await see(u.tmux, `=${b}:1`, new RegExp(`^JOB=${e.jobId} STEP=1$`, 'm'));

      // exit on the node: the window stays, on the login node, and the allocation lives.
      await type(u.tmux, `=${b}:1`, 'exit');
      // And the fallback shell's prompt under it: a line typed before would be echoed ahead of the prompt, its output after it.
      await see(u.tmux, `=${b}:1`, new RegExp(`job ${e.jobId} still holds the allocation .*roost node ${b} --window\\n+[#$] *\\n*$`));
      await type(u.tmux, `=${b}:1`, 'echo "back=${SLURM_JOB_ID:-none}"');
      await see(u.tmux, `=${b}:1`, /^back=none$/m);
      // The roost the window's line names is the caller's: PATH as in the terminal roost node was typed in.
      await type(u.tmux, `=${b}:1`, 'echo "found=$(command -v roost)"');
      await see(u.tmux, `=${b}:1`, new RegExp(`^found=${join(mine, 'roost')}$`, 'm'));
      assert.equal(squeue(e.jobId!), 'RUNNING');
      await waitFor(() => told(hooks).find((t) => t.state === 'node-fallback' && t.session === b), 20_000, 'the fallback notification');

      // Half a command typed at the login-node prompt when the allocation ends: the window is told all the
      // same, above the prompt, and what was typed stays there to finish.
      await typeOnly(u.tmux, `=${b}:1`, 'echo "kept=');
      const s = await u.roost('node', 'stop', b);
      assert.equal(s.code, 0, s.stderr);
      assert.equal(s.stdout, `released job ${e.jobId} of node session ${b}\n`);
      await see(u.tmux, `=${b}:0`, new RegExp(`allocation ${e.jobId} ended: CANCELLED`));
      await see(u.tmux, `=${b}:1`, new RegExp(`roost: allocation ${e.jobId} ended: CANCELLED[^\\n]*roost node ${b} --renew\\n[#$] echo "kept=\\s*$`), 60_000);
      await type(u.tmux, `=${b}:1`, 'yes"');
      await see(u.tmux, `=${b}:1`, /^kept=yes$/m);
      await released(e.jobId!);
      assert.equal((await entry(u, b, (x) => x.state === 'CANCELLED', 'stopped')).windows, 2, 'the session stays');
      assert.equal((await u.roost('kill', b)).code, 0);
      await waitFor(() => !existsSync(recordFile(u, b)), 10_000, 'the record to go with the session');
    } finally {
      release();
    }
  });

  test('stop: a job that already ended, or that Slurm no longer knows, is said to be over, not released', async () => {
    const u = cliUser();
    const stateDir = join(u.env['XDG_STATE_HOME']!, 'roost');
    // Sessions held on a login host whose tmux server went with it: nobody there saw their jobs end.
    const heldOnLogin9 = (name: string, jobId: string) => writeRecord(stateDir, {
      ...newRecord({ name, host: 'login9', socket: null, request: resolveRequest(parseConfig('').node, {}), command: null, now: Date.now() }), phase: 'running', jobId,
    });
    // Held jobs: they never need a CPU.
    const submit = (name: string) => {
      const r = spawnSync('sbatch', ['--parsable', '--hold', `--job-name=roost-${name}`, '--time=1', '--wrap=true'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim();
    };
    const record = (name: string) => JSON.parse(readFileSync(recordFile(u, name), 'utf8')) as { phase: string; ended: { state: string } | null };
    const [g, e] = [`${P}sg`, `${P}se`];

    // Ended longer ago than Slurm remembers (MinJobAge).
    const gone = submit(g);
    assert.equal(spawnSync('scancel', [gone]).status, 0);
    await waitFor(() => squeue(gone) === '', 60_000, `Slurm to forget job ${gone}`);
    heldOnLogin9(g, gone);
    const sg = await u.roost('node', 'stop', g);
    assert.equal(sg.code, 0, sg.stderr);
    assert.equal(sg.stdout, `Slurm no longer knows job ${gone} of node session ${g} (it ended); nothing to release\n`);
    assert.deepEqual([record(g).phase, record(g).ended?.state], ['ended', 'ENDED']);
    assert.equal((await nodeLs(u)).find((x) => x.name === g)?.state, 'ENDED');

    // Ended just now: Slurm still says how, for MinJobAge (10 s here; a machine slow enough may see it forgotten).
    const over = submit(e);
    assert.equal(spawnSync('scancel', [over]).status, 0);
    await waitFor(() => squeue(over) === 'CANCELLED', 20_000, `job ${over} cancelled`);
    heldOnLogin9(e, over);
    const said = new RegExp(`^(job ${over} of node session ${e} had already ended \\(CANCELLED\\)|Slurm no longer knows job ${over} of node session ${e} \\(it ended\\)); nothing to release\n$`);
    const se = await u.roost('node', 'stop', e);
    assert.equal(se.code, 0, se.stderr);
    assert.match(se.stdout, said);
    const state = record(e).ended?.state;
    assert.ok(state === 'CANCELLED' || state === 'ENDED', JSON.stringify(record(e)));
    // Asked again: the record says how it ended.
    const again = await u.roost('node', 'stop', e);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, `job ${over} of node session ${e} had already ended (${state}); nothing to release\n`);
  });

  test('no daemon: a window queued behind another session shows why at once, though the other window holds the poll lease', async () => {
    // poll_seconds 30: the holder, its own job far from its end, looks next in two minutes.
    const u = cliUser('[node]\npoll_seconds = 30\n');
    const status = async (s: string) => (await u.tmux.run('show-options', '-v', '-t', `=${s}:`, '@roost_node')).trim();
    const release = await cpus.take(2);
    try {
      const [a, b] = [`${P}la`, `${P}lb`];
      const ra = await u.roost('node', a, '-d', '--time', '10', '--cpus', '2');
      assert.equal(ra.code, 0, ra.stderr);
      const ea = await entry(u, a, (x) => x.state === 'RUNNING', `${a} running`, 60_000);
      // a's window took the lease and looked at the grant.
      await waitFor(async () => (await status(a)).startsWith(`job ${ea.jobId} RUNNING`), 20_000, `${a}'s status line`);
      const rb = await u.roost('node', b, '-d', '--time', '10');
      assert.equal(rb.code, 0, rb.stderr);
      const jb = /\(job (\d+)\)\n$/.exec(rb.stdout)?.[1];
      assert.ok(jb, rb.stdout);
      // Both CPUs are a's: Slurm keeps b queued for Resources, and its window says so within seconds.
      await see(u.tmux, `=${b}:0`, new RegExp(`job +${jb} [\\s\\S]*reason +Resources: waiting for the resources`), 5000);
      await waitFor(async () => (await status(b)) === `job ${jb} PENDING Resources`, 5000, `${b}'s status line`);
      // Ctrl-C cancels the request: the status line follows at once, not at the next look.
      await u.tmux.run('send-keys', '-t', `=${b}:0`, 'C-c');
      await see(u.tmux, `=${b}:0`, new RegExp(`the request \\(job ${jb}\\) ended before it started: CANCELLED`));
      assert.doesNotMatch(await u.tmux.run('capture-pane', '-p', '-t', `=${b}:0`), /Ctrl-C cancels the request/, 'the queue screen is gone');
      await waitFor(async () => (await status(b)).startsWith(`job ${jb} CANCELLED`), 5000, `${b}'s status line after Ctrl-C`);
      // Resources was why it waited, not why it ended: no reason beside the end, anywhere.
      assert.equal(await status(b), `job ${jb} CANCELLED`);
      const cancelled = await entry(u, b, (x) => x.state === 'CANCELLED', `${b} cancelled`);
      assert.equal(cancelled.reason, null, JSON.stringify(cancelled));
      assert.match((await u.roost('ls')).stdout, new RegExp(`^${b} [^\\n]*\\n  node: CANCELLED \\(job ${jb}\\)$`, 'm'));
      assert.match((await u.roost('node', 'ls')).stdout, new RegExp(`^${b} +${jb} +CANCELLED +- `, 'm'));
      assert.equal((await u.roost('kill', b)).code, 0);
      assert.equal((await u.roost('kill', a)).code, 0);
      await released(ea.jobId!);
    } finally {
      release();
    }
  });

  test('the time left counts down in the status line between two looks at Slurm, as roost node ls says it', async () => {
    // poll_seconds 30: the window looks again in about 30 s; the status line must not wait for it.
    const u = cliUser('[node]\npoll_seconds = 30\n');
    const release = await cpus.take();
    try {
      const c = `${P}cd`;
      assert.equal((await u.roost('node', c, '-d', '--time', '1')).code, 0);
      const e = await entry(u, c, (x) => x.state === 'RUNNING', `${c} running`, 60_000);
      const shown = async () => {
        const text = await u.tmux.run('display-message', '-p', '-t', `=${c}:`, '#{T:status-right}');
        const m = new RegExp(`job ${e.jobId} RUNNING \\S+ (\\d+)s left`).exec(text);
        return m ? Number(m[1]) : null;
      };
      const first = await waitFor(shown, 20_000, 'the time left on the status line');
      // The table's LEFT at the same moment (its own clock; a second may tick in between).
      const ls = (await u.roost('node', 'ls')).stdout;
      // LEFT is "1m" for a whole minute: the table can have counted from a look a second earlier than the status line.
      const row = new RegExp(`^${c} +${e.jobId} +RUNNING +- +\\S+ +1m +(1m|\\d+s) `, 'm').exec(ls);
      assert.ok(row, `roost node ls row: ${JSON.stringify(ls)}`);
      const left = row[1] === '1m' ? 60 : Number(row[1]!.slice(0, -1));
      assert.ok(Math.abs(left - first) <= 2, `status line ${first}s, roost node ls ${row[1]}`);
      await new Promise((r) => setTimeout(r, 3000));
      const later = await shown();
      assert.ok(later !== null && later <= first - 2, `${first}s, then ${later}s three seconds later`);
      assert.equal((await u.roost('kill', c)).code, 0);
      await released(e.jobId!);
    } finally {
      release();
    }
  });

  test('a shell on the node is a shell: quiet, never waiting by silence alone; a bell there still counts', async () => {
    const u = await daemonUser(`silence = 2\n${CONFIG}`);
    const hooks = await webhook(u);
    const release = await cpus.take();
    try {
      const q = `${P}q`;
      assert.equal((await u.roost('node', q, '-d', '--time', '5')).code, 0);
      await see(u.tmux, `=${q}:0`, PROMPT, 60_000);
      await type(u.tmux, `=${q}:0`, 'echo hi');
      await see(u.tmux, `=${q}:0`, /^hi$/m);
      // Three silence thresholds: a program this quiet would be waiting, and told.
      await new Promise((r) => setTimeout(r, stretch(6000)));
      const ls = await u.roost('ls');
      assert.match(ls.stdout, new RegExp(`^${q} [^\\n]*\\n  node: RUNNING[^\\n]*\\n  \\* 0 .* shell$`, 'm'));
      assert.deepEqual(told(hooks).filter((t) => t.session === q && t.state === 'waiting'), [], 'no waiting notification');
      await type(u.tmux, `=${q}:0`, "printf '\\a'");
      await waitFor(() => told(hooks).find((t) => t.session === q && t.state === 'bell'), 20_000, 'the bell notification');
      assert.equal((await u.roost('kill', q)).code, 0);
    } finally {
      release();
    }
  });

  test('a controller slow to answer: the window counts the wait, working, not waiting for the user; then the refusal', async () => {
    // Silence 5: the window's count writes every second, so a machine loaded enough to hold one tick back
    // (or tmux's reading of it) by a second or two still shows output within the threshold.
    const u = await daemonUser(`silence = 5\n${CONFIG}`);
    const hooks = await webhook(u);
    // A copy of the cluster's config naming a port nothing listens on: salloc retries, silent, for about
    // MessageTimeout seconds (14 s here) and then gives up: longer than the silence threshold and the wait below.
    const dead = join(u.dir, 'dead-slurm.conf');
    writeFileSync(dead, `${readFileSync(process.env['SLURM_CONF']!, 'utf8').replace(/^SlurmctldPort=\d+$/m, 'SlurmctldPort=9').replace(/^MessageTimeout=.*\n/m, '')}MessageTimeout=15\n`);
    const s = `${P}slow`;
    // At a terminal, as a person types it: the CLI says why nothing happens yet.
    const term = spawnTerm(process.execPath, [CLI, 'node', s, '-d', '--time', '5'], { env: { ...u.env, SLURM_CONF: dead }, cols: 200 });
    await see(u.tmux, `=${s}:0`, /^waiting for Slurm's answer: \ds/m);
    // From here on (a machine loaded enough can start the window's program past the threshold: silence then too).
    const from = Date.now();
    await term.waitForText(`roost node: waiting for Slurm's answer about ${s}…`);
    // Past the silence threshold and then some: a silent window would be waiting by now, and told.
    await new Promise((ok) => setTimeout(ok, Math.max(0, from + 8000 - Date.now())));
    const waiting = () => told(hooks).filter((t) => t.session === s && t.state === 'waiting' && t.at >= from);
    assert.deepEqual(waiting(), [], 'no notification while Slurm is asked');
    assert.equal((await term.exited).exitCode, 1, term.text());
    assert.match(term.text(), /^roost node: Slurm refused the request: .*Unable to contact slurm controller/m);
    assert.deepEqual(waiting(), []);
  });

  test('Ctrl-C while Slurm has not answered: the request is cancelled, nothing is left behind', async () => {
    const u = cliUser();
    // A controller nobody answers for (a port nothing listens on): salloc retries for MessageTimeout seconds.
    const dead = join(u.dir, 'dead-slurm.conf');
    writeFileSync(dead, `${readFileSync(process.env['SLURM_CONF']!, 'utf8').replace(/^SlurmctldPort=\d+$/m, 'SlurmctldPort=9').replace(/^MessageTimeout=.*\n/m, '')}MessageTimeout=30\n`);
    const m = `${P}m`;
    const term = spawnTerm(process.execPath, [CLI, 'node', m, '-d', '--time', '2'], { env: { ...u.env, SLURM_CONF: dead }, cols: 200 });
    await term.waitForText(`roost node: waiting for Slurm's answer about ${m}…`);
    term.write('\x03');
    assert.equal((await term.exited).exitCode, 1, term.text());
    assert.match(term.text(), new RegExp(`roost node: cancelling the request for ${m}…\\r?\\nroost node: the request for ${m} was cancelled; nothing is left behind`));
    assert.equal(existsSync(recordFile(u, m)), false, 'no record');
    assert.equal(spawnSync('tmux', ['-L', u.tmux.socket, 'has-session', '-t', `=${m}`], { env: u.env }).status, 1, 'no session');
    // Still nothing a while later: no window left asking, no REFUSED record it would write.
    await new Promise((ok) => setTimeout(ok, 2000));
    assert.deepEqual(await nodeLs(u), []);
  });

  test('queued, then granted: the window shows why it waits, roost ls too, and the grant is told', async () => {
    const u = await daemonUser();
    const hooks = await webhook(u);
    const h = `${P}h`;
    // --hold keeps it queued (JobHeldUser) until released: no CPU is needed meanwhile.
    const r = await u.roost('node', h, '-d', '--time', '3', '--slurm-arg=--hold');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^node session ${h}: PENDING \\(JobHeldUser\\), queued \\d+s \\(job \\d+\\)\\n$`));
    const e = await entry(u, h, (x) => x.state === 'PENDING', 'pending');
    await see(u.tmux, `=${h}:0`, new RegExp(`job +${e.jobId} \\(roost-${h}\\)[\\s\\S]*state +PENDING[\\s\\S]*reason +JobHeldUser: held by you[\\s\\S]*queued for +\\d+s`));
    // Redrawn every second in place: nothing goes into the pane's history (tmux 3.3 scrolls a cleared screen into it).
    const history = async () => (await u.tmux.run('display-message', '-p', '-t', `=${h}:0`, '#{history_size}')).trim();
    const before = await history();
    await new Promise((ok) => setTimeout(ok, 3500));
    assert.equal(await history(), before, 'the history did not grow while queued');
    assert.match((await u.roost('ls')).stdout, new RegExp(`${h} .*\\n  node: PENDING \\(JobHeldUser\\), queued \\d+\\w \\(job ${e.jobId}\\)`));
    await waitFor(async () => (await u.tmux.run('show-options', '-v', '-t', `=${h}:`, '@roost_node')).trim() === `job ${e.jobId} PENDING JobHeldUser`, 10_000, 'the status line');
    const release = await cpus.take();
    try {
      assert.equal(spawnSync('scontrol', ['release', e.jobId!]).status, 0);
      await see(u.tmux, `=${h}:0`, new RegExp(`allocation ${e.jobId} granted`), 30_000);
      const g = await waitFor(() => told(hooks).find((t) => t.state === 'node-granted' && t.session === h), 20_000, 'the grant notification');
      assert.equal(g.title, `${h}: allocation granted`);
      assert.equal((await u.roost('kill', h)).code, 0);
      await released(e.jobId!);
    } finally {
      release();
    }
  });

  test('rename: the allocation, its windows and roost node follow the new name; the old name is free and cancels nothing', async () => {
    const u = cliUser();
    const release = await cpus.take();
    try {
      const [r1, r2, r3] = [`${P}r1`, `${P}r2`, `${P}r3`];
      assert.equal((await u.roost('node', r1, '-d', '--time', '5')).code, 0);
      const e = await entry(u, r1, (x) => x.state === 'RUNNING', `${r1} running`, 60_000);
      await see(u.tmux, `=${r1}:0`, PROMPT);
      const rn = await u.roost('rename', r1, r2);
      assert.equal(rn.code, 0, rn.stderr);
      assert.equal(rn.stdout, `renamed session ${r1} to ${r2}\n`);
      assert.deepEqual((await nodeLs(u)).map((x) => [x.name, x.jobId, x.state, x.windows]), [[r2, e.jobId, 'RUNNING', 1]]);
      assert.equal(existsSync(recordFile(u, r1)), false, 'the record moved');
      // And the job its name: squeue shows the session as it is called now (at the next look at Slurm).
      await waitFor(() => squeue(e.jobId!, '%j') === `roost-${r2}`, 20_000, `job ${e.jobId} named roost-${r2}`);
      const w = await u.roost('node', r2, '--window', '-d');
      assert.equal(w.code, 0, w.stderr);
      await see(u.tmux, `=${r2}:1`, PROMPT);
      assert.match((await u.roost('ls')).stdout, new RegExp(`${r2} .*\\n  node: RUNNING on \\S+, \\d+m left \\(job ${e.jobId}\\)`));
      // The old name makes a new session (held: no CPU needed) and leaves the renamed one's allocation alone.
      const fresh = await u.roost('node', r1, '-d', '--time', '3', '--slurm-arg=--hold');
      assert.equal(fresh.code, 0, fresh.stderr);
      assert.match(fresh.stdout, /PENDING \(JobHeldUser\)/);
      assert.equal(squeue(e.jobId!), 'RUNNING');
      assert.equal((await u.roost('kill', r1)).code, 0);
      // Renamed by tmux itself: the record follows at the next look (here: roost node's own).
      await u.tmux.run('rename-session', '-t', `=${r2}`, r3);
      const w3 = await u.roost('node', r3, '--window', '-d');
      assert.equal(w3.code, 0, w3.stderr);
      await waitFor(() => squeue(e.jobId!, '%j') === `roost-${r3}`, 20_000, `job ${e.jobId} named roost-${r3}`);
      await see(u.tmux, `=${r3}:2`, PROMPT);
      await type(u.tmux, `=${r3}:0`, 'echo "alive=$SLURM_JOB_ID"');
      await see(u.tmux, `=${r3}:0`, new RegExp(`^alive=${e.jobId}$`, 'm'));
      // exit on the node: the window's line names the session as it is now.
      await type(u.tmux, `=${r3}:1`, 'exit');
      await see(u.tmux, `=${r3}:1`, new RegExp(`job ${e.jobId} still holds the allocation .*roost node ${r3} --window`));
      // Killing the renamed session gives its allocation back: its windows know it by id, not by the old name.
      assert.equal((await u.roost('kill', r3)).code, 0);
      await released(e.jobId!);
      assert.match(squeue(e.jobId!), /^(CANCELLED|)$/);
      await waitFor(() => !existsSync(recordFile(u, r3)), 10_000, 'the record to go with the session');
    } finally {
      release();
    }
  });

  test('rename on the dashboard: the node session keeps its allocation under the new name', async () => {
    const u = await daemonUser();
    const [d1, d2] = [`${P}d1`, `${P}d2`];
    // Held: queued without a CPU.
    assert.equal((await u.roost('node', d1, '-d', '--time', '3', '--slurm-arg=--hold')).code, 0);
    const e = await entry(u, d1, (x) => x.state === 'PENDING', 'pending');
    const cookie = await u.server!.login();
    assert.equal((await u.server!.request('PATCH', `/api/sessions/${d1}`, { cookie, body: { name: d2 } })).status, 200);
    await waitFor(() => existsSync(recordFile(u, d2)) && !existsSync(recordFile(u, d1)), 10_000, 'the record to follow');
    const svc = u.server!.daemon.get(slurmService);
    await waitFor(() => svc.allocations().get(d2)?.jobId === e.jobId, 10_000, 'the daemon to list it under the new name');
    // A queued job takes the new name too.
    await waitFor(() => squeue(e.jobId!, '%j') === `roost-${d2}`, 10_000, `job ${e.jobId} named roost-${d2}`);
    // Past a few looks of the poller, the job is still there: nobody took the session for gone.
    await svc.tick();
    await svc.tick();
    assert.match(squeue(e.jobId!), /^PENDING/);
    const d = await u.roost('node', d2, '-d');
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, new RegExp(`^node session ${d2}: PENDING .*\\(job ${e.jobId}\\)\n$`));
    assert.equal((await u.roost('kill', d2)).code, 0);
    await released(e.jobId!);
  });

  test("refusals: one line, exit 1, no session, no record, no job left", async () => {
    const u = cliUser(`${CONFIG}[node.profiles.gpu]\npartition = "gpu"\n`);
    const x = `${P}x`;
    const refused = async (argv: string[], re: RegExp, code = 1) => {
      const r = await u.roost(...argv);
      assert.equal(r.code, code, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
      assert.equal(existsSync(recordFile(u, x)), false, 'no record');
      assert.equal(spawnSync('tmux', ['-L', u.tmux.socket, 'has-session', '-t', `=${x}`], { env: u.env }).status, 1, 'no session');
      assert.equal(spawnSync('squeue', ['--noheader', '--me', `--name=roost-${x}`], { encoding: 'utf8' }).stdout, '', 'no job');
    };
    await refused(['node', x, '-d', '--profile', 'nope'], /^roost node: unknown profile "nope" \(config\.toml has gpu\)$/m);
    await refused(['node', x, '-d', '--time', 'xyz'], /^roost node: --time "xyz": use minutes, M:S, H:M:S/m);
    await refused(['node', x, '-d', '--partition', 'nosuch'], /^roost node: Slurm refused the request: invalid partition specified: nosuch; Job submit\/allocate failed: Invalid partition name specified$/m);
    await refused(['node', x, '-d', '--profile', 'gpu'], /^roost node: Slurm refused the request: invalid partition specified: gpu/m);
    await refused(['node', x, '--window', '--renew'], /--window and --renew do not go together/, 2);
    // A starting directory that is not there: refused as roost new refuses it, before Slurm is asked.
    await refused(['node', x, '-d', '-c', join(u.dir, 'nonexistent')], new RegExp(`^roost node: no such directory: ${join(u.dir, 'nonexistent')}$`, 'm'));
    // No Slurm on PATH: said before anything is made.
    const bin = join(u.dir, 'bin-no-slurm');
    mkdirSync(bin);
    symlinkSync(spawnSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).stdout.trim(), join(bin, 'tmux'));
    const r = await runCli(['node', x, '-d'], { ...u.env, PATH: bin });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "roost node: salloc not found: install Slurm's client commands (Debian: apt-get install slurm-client) or load your site's Slurm module\n");
    // A name in use by a plain session.
    assert.equal((await u.roost('new', x)).code, 0);
    const plain = await u.roost('node', x, '-d');
    assert.equal(plain.code, 1);
    assert.equal(plain.stderr, `roost node: a plain session named "${x}" exists; pick another name for the node session\n`);
    assert.equal(existsSync(recordFile(u, x)), false);
  });

  test("a profile's flags reach Slurm; Slurm's variables stay out of the tmux server; killing a queued session cancels its job", async () => {
    // This tmux server was started inside an allocation: its global environment has the job's variables.
    const u = cliUser(`${CONFIG}[node.profiles.big]\ncpus = 9999\ntime = "7"\npartition = "debug"\nargs = ["--comment=from-profile"]\n`, { SLURM_JOB_ID: '424242', SLURM_CPU_BIND: 'quiet' });
    await u.tmux.run('new-session', '-d', '-s', 'keep');
    assert.match(await u.tmux.run('show-environment', '-g'), /^SLURM_JOB_ID=424242$/m);
    const pf = `${P}pf`;
    const r = await u.roost('node', pf, '-d', '--profile', 'big', '--time', '8');
    assert.equal(r.code, 0, r.stderr);
    const e = await entry(u, pf, (x) => x.state === 'PENDING' && x.reason === 'PartitionConfig', 'pending on PartitionConfig');
    // cpus, partition and the extra option from the profile; --time from the command line over the profile's.
    assert.equal(squeue(e.jobId!, '%C|%l|%P|%k|%j'), `9999|8:00|debug|from-profile|roost-${pf}`);
    await see(u.tmux, `=${pf}:0`, /reason +PartitionConfig: it asks for more than the partition has/);
    // Attaching from a terminal shows it waiting, and why; detaching leaves it queued.
    const term = spawnTerm(process.execPath, [CLI, 'node', pf], { env: u.env, cols: 120, rows: 30 });
    await term.waitForText(/waiting for Slurm to grant the allocation[\s\S]*PartitionConfig/);
    assert.equal(await detachByKeys(term, u.tmux.client), 0, 'roost node detaches');
    assert.equal(squeue(e.jobId!), 'PENDING');
    const env = await u.tmux.run('show-environment', '-g');
    assert.doesNotMatch(env, /^SLURM_JOB_ID=/m);
    assert.doesNotMatch(env, /^SLURM_CPU_BIND=/m);
    assert.match(env, /^SLURM_CONF=/m);
    // A later plain session does not get them either.
    assert.equal((await u.roost('new', `${P}plain`)).code, 0);
    // Typed before the shell's prompt, the answer lands on the prompt's line (seen in a run on a busy machine).
    await see(u.tmux, `=${P}plain:0`, PROMPT);
    await type(u.tmux, `=${P}plain:0`, 'echo "job=${SLURM_JOB_ID:-none}"');
    await see(u.tmux, `=${P}plain:0`, /^job=none$/m);
    // A CLI run inside an allocation starts a tmux server without them.
    const inside = { ...u.env, ROOST_TMUX_SOCKET: `${u.tmux.socket}-in`, SLURM_JOB_ID: '777', SLURMD_NODENAME: 'n1' };
    assert.equal((await runCli(['new', 'in'], inside)).code, 0);
    try {
      const inEnv = spawnSync('tmux', ['-L', `${u.tmux.socket}-in`, 'show-environment', '-g'], { env: inside, encoding: 'utf8' }).stdout;
      assert.doesNotMatch(inEnv, /SLURM_JOB_ID|SLURMD_NODENAME/);
    } finally {
      spawnSync('tmux', ['-L', `${u.tmux.socket}-in`, 'kill-server'], { env: inside });
    }
    assert.equal((await u.roost('kill', pf)).code, 0);
    await waitFor(() => /^(CANCELLED|)$/.test(squeue(e.jobId!)), 20_000, 'the queued job cancelled');
    await waitFor(() => !existsSync(recordFile(u, pf)), 10_000, 'the record gone');
  });

  test('a session held on another login host: where it is and how to get there', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('unshare --uts needs root');
    const u = cliUser();
    const o = `${P}o`;
    assert.equal((await u.roost('node', o, '-d', '--cpus', '9999')).code, 0);
    const host = spawnSync('hostname', { encoding: 'utf8' }).stdout.trim();
    // The other login node: another hostname (a UTS namespace), its own tmux server, the same home.
    const bin = join(u.dir, 'bin-login2');
    mkdirSync(bin);
    const sshLog = join(u.dir, 'ssh.log');
    writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${sshLog}'\n`);
    chmodSync(join(bin, 'ssh'), 0o755);
    const login2 = { ...u.env, ROOST_TMUX_SOCKET: `${u.tmux.socket}-2`, PATH: `${bin}:${u.env['PATH']}` };
    const on2 = (...argv: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('unshare', ['--uts', '--', 'sh', '-c', 'hostname login2 && exec "$@"', 'sh', process.execPath, CLI, ...argv], { env: login2, encoding: 'utf8', cwd: u.dir, timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
    try {
      const where = `node session ${o} is held on ${host}: ssh -t ${host} roost -L ${u.tmux.socket} node ${o} (or add --go)`;
      const n = await on2('node', o);
      assert.equal(n.code, 1, n.stderr);
      assert.equal(n.stderr, `roost node: ${where}\n`);
      const a = await on2('attach', o);
      assert.equal(a.code, 1);
      assert.equal(a.stderr, `roost attach: ${where}\n`);
      const ls = await on2('ls');
      assert.equal(ls.code, 0, ls.stderr);
      assert.match(ls.stdout, new RegExp(`node sessions held on other hosts:\\n  ${o}  on ${host}: ssh -t ${host} roost -L ${u.tmux.socket} node ${o}`));
      const nls = JSON.parse((await on2('node', 'ls', '--json')).stdout) as NodeListEntry[];
      assert.deepEqual(nls.filter((x) => x.name === o).map((x) => [x.host, x.here, x.state]), [[host, false, 'PENDING']]);
      const go = await on2('node', o, '--go');
      assert.equal(go.code, 0, go.stderr);
      assert.deepEqual(readFileSync(sshLog, 'utf8').split('\n').filter(Boolean), ['-t', host, 'roost', '-L', u.tmux.socket, 'node', o]);
      // Here, it is just the session.
      assert.equal((await u.roost('node', o, '-d')).code, 0);
    } finally {
      await u.roost('kill', o);
    }
  });

  test('the dashboard shows why a node session waits, and killing it there cancels its job', async () => {
    const home = tempHome();
    configure({ XDG_CONFIG_HOME: join(home, '.config') }, CONFIG);
    const tmux = privateTmux();
    const daemon = await startServe({ tmux, home });
    const d = `${P}d`;
    assert.match(await daemon.cli('node', d, '-d', '--cpus', '9999'), /PENDING/);
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await loginWithLink(page, daemon.loginUrl);
    const node = `.card[data-session="${d}"] .card-node[data-node-state="PENDING"]`;
    await page.waitForSelector(node, { timeout: stretch(20_000) });
    assert.match(await page.textContent(node) ?? '', /^PENDING \(PartitionConfig\), queued \d+\w$/);
    const id = (await nodeLsOf(daemon.cli)).find((e) => e.name === d)!.jobId!;
    // Each look at Slurm updates the card in place ("queued 12s" ticks from it): a card rebuilt with every
    // poll could swallow a tap on Kill landing between touch and click.
    const card = `.card[data-session="${d}"]`;
    await page.$eval(card, (el) => el.setAttribute('data-test-mark', ''));
    const polledAt = () => page.$eval(node, (el) => (JSON.parse(el.getAttribute('data-node') ?? 'null') as { polledAt: number | null } | null)?.polledAt ?? null);
    const first = await polledAt();
    await waitFor(async () => { const p = await polledAt(); return p !== null && p !== first; }, stretch(30_000), 'the next look at Slurm');
    assert.equal(await page.$eval(card, (el) => el.hasAttribute('data-test-mark')), true, 'the same card after a look at Slurm');
    await page.click(`.card[data-session="${d}"] button:has-text("Kill")`);
    await page.click('dialog button:has-text("Kill session")');
    await waitFor(() => /^(CANCELLED|)$/.test(squeue(id)), 20_000, 'the job cancelled with the session');
  });

  test('--launcher: the site wrapper runs in the window, Roost finds its job, and the window falls back when it ends', async () => {
    const u = launcherUser();
    const l = `${P}l`;
    const release = await cpus.take();
    try {
      assert.equal((await u.roost('node', l, '-d', '--profile', 'site')).code, 0);
      const e = await entry(u, l, (x) => x.jobId !== null && x.state === 'RUNNING', 'the launcher\'s job found', 30_000);
      assert.equal(squeue(e.jobId!, '%j'), `roost-${l}`);
      await see(u.tmux, `=${l}:0`, PROMPT);
      await type(u.tmux, `=${l}:0`, 'echo "J=$SLURM_JOB_ID"');
      await see(u.tmux, `=${l}:0`, new RegExp(`^J=${e.jobId}$`, 'm'));
      await type(u.tmux, `=${l}:0`, 'exit');
      await see(u.tmux, `=${l}:0`, new RegExp(`allocation ${e.jobId} ended: COMPLETED`));
      assert.equal((await u.roost('kill', l)).code, 0);
      await released(e.jobId!);
    } finally {
      release();
    }
  });

  test('--launcher: a job that waits in the queue is recorded as queued, and its grant is told once', async () => {
    const u = launcherUser();
    const hooks = await webhook(u);
    const release = await cpus.take(2);
    try {
      const [b, lq] = [`${P}lqb`, `${P}lq`];
      // Both CPUs held by another session: the launcher's job has to wait for them.
      assert.equal((await u.roost('node', b, '-d', '--time', '5', '--cpus', '2')).code, 0);
      const eb = await entry(u, b, (x) => x.state === 'RUNNING', `${b} running`, 60_000);
      assert.equal((await u.roost('node', lq, '-d', '--profile', 'site')).code, 0);
      const e = await entry(u, lq, (x) => x.jobId !== null && x.state === 'PENDING', 'the launcher\'s job found, queued', 30_000);
      assert.equal(squeue(e.jobId!, '%j'), `roost-${lq}`);
      assert.equal((JSON.parse(readFileSync(recordFile(u, lq), 'utf8')) as { queued: boolean }).queued, true, 'the record says queued');
      assert.match((await u.roost('ls')).stdout, new RegExp(`${lq} .*\\n  node: PENDING \\(Resources\\), queued \\d+\\w[^\\n]* \\(job ${e.jobId}\\)`));
      // The other session goes: the launcher's job starts, and that is news.
      assert.equal((await u.roost('kill', b)).code, 0);
      await released(eb.jobId!);
      release(1);
      const g = await waitFor(() => told(hooks).find((t) => t.state === 'node-granted' && t.session === lq), 60_000, 'the grant notification');
      assert.equal(g.title, `${lq}: allocation granted`);
      await see(u.tmux, `=${lq}:0`, PROMPT, 60_000);
      await type(u.tmux, `=${lq}:0`, 'exit');
      await see(u.tmux, `=${lq}:0`, new RegExp(`allocation ${e.jobId} ended: COMPLETED`));
      await waitFor(() => told(hooks).find((t) => t.state === 'node-ended' && t.session === lq), 20_000, 'the ended notification');
      assert.equal(told(hooks).filter((t) => t.state === 'node-granted' && t.session === lq).length, 1, 'granted told once');
      assert.equal((await u.roost('kill', lq)).code, 0);
      await released(e.jobId!);
    } finally {
      release();
    }
  });
});
