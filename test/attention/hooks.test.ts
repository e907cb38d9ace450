import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import {
  chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { privateTmux, testEnv, waitFor, RM_TREE } from '../helpers/tmux.js';
import { newSession, newWindow, listSessions, sendText, sendKeys } from '../../src/tmux/index.js';
import { runCli, spawnServe, tempUser } from '../helpers/server.js';
import { AttentionObserver } from '../../src/attention/observer.js';
import { AttentionPoller } from '../../src/attention/poller.js';
import { handleClaudeHookReport, HOOK_REPORT_MAX_BYTES } from '../../src/attention/hook-report.js';
import { CLAUDE_HOOK_ROUTE } from '../../src/attention/hook-client.js';
import { SqlitePaneAgentStore } from '../../src/attention/pane-agents.js';
import { ATTENTION_SCHEMA } from '../../src/attention/schema.js';
import { migrate } from '../../src/store/schema.js';
import type { StateEvent } from '../../src/attention/types.js';

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'bin', 'roost');

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(d, RM_TREE));
  return d;
}

function roost(args: string[], env: NodeJS.ProcessEnv, input?: string) {
  return spawnSync(process.execPath, [bin, ...args], { env, input, encoding: 'utf8', timeout: 20_000 });
}

const userSettings = {
  model: 'opus',
  hooks: {
    Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '/usr/local/bin/check' }] }],
  },
  permissions: { allow: ['Bash(ls)'] },
};

test('install keeps the user\'s hooks, adds ours once, backs up; uninstall gives back exactly the user\'s settings', () => {
  const home = tempDir('roost-home-');
  const env = testEnv({ HOME: home, XDG_STATE_HOME: join(home, '.local', 'state') });
  const file = join(home, '.claude', 'settings.json');
  mkdirSync(join(home, '.claude'));
  const original = JSON.stringify(userSettings, null, 4);
  writeFileSync(file, original);

  const a = roost(['hooks', 'install', 'claude'], env);
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, /installed Claude Code hooks in ~\/\.claude\/settings\.json/);
  const b = roost(['hooks', 'install', 'claude'], env);
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /already installed/);

  const installed = JSON.parse(readFileSync(file, 'utf8'));
  const commands = (event: string): string[] => installed.hooks[event].flatMap((g: { hooks: { command: string }[] }) => g.hooks.map((h) => h.command));
  const ours = `${bin} hook claude`;
  assert.deepEqual(commands('Stop'), ['notify-send done', ours]);
  for (const e of ['Notification', 'SessionStart', 'SessionEnd']) assert.deepEqual(commands(e), [ours]);
  assert.deepEqual(installed.hooks.PreToolUse, userSettings.hooks.PreToolUse);
  assert.equal(installed.hooks.Notification[0].matcher, 'permission_prompt|idle_prompt');
  assert.deepEqual(installed.permissions, userSettings.permissions);

  assert.deepEqual(readdirSync(join(home, '.claude')), ['settings.json'], 'no backup beside the file (a project\'s .claude/ is often committed)');
  const backupDir = join(home, '.local', 'state', 'roost', 'backups', 'claude');
  const backup = a.stdout.match(/^backup: ~\/(.*)$/m)?.[1];
  assert.ok(backup, a.stdout);
  assert.deepEqual(readdirSync(backupDir), [backup.split('/').pop()]);
  assert.equal(readFileSync(join(home, backup), 'utf8'), original);
  assert.equal(statSync(join(home, backup)).mode & 0o777, 0o600);

  const st = roost(['hooks', 'status', '--json'], env);
  assert.equal(st.status, 0, st.stderr);
  const status = JSON.parse(st.stdout);
  assert.deepEqual(status.claude[0].missing, []);
  assert.equal(status.claude[0].current, true);
  assert.equal(status.daemon.running, false);

  const u = roost(['hooks', 'uninstall', 'claude'], env);
  assert.equal(u.status, 0, u.stderr);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), userSettings);
  assert.equal(readdirSync(backupDir).length, 1, 'still one backup per settings file: uninstall replaced it');
  assert.deepEqual(JSON.parse(readFileSync(join(home, backup), 'utf8')), installed);
  const u2 = roost(['hooks', 'uninstall', 'claude'], env);
  assert.match(u2.stdout, /no Roost hooks/);
});

test('a symlinked settings.json (dotfiles) stays a link; its target gets the hooks and keeps its mode', () => {
  const home = tempDir('roost-home-');
  const env = testEnv({ HOME: home, XDG_STATE_HOME: join(home, '.local', 'state') });
  mkdirSync(join(home, 'dotfiles', 'claude'), { recursive: true });
  mkdirSync(join(home, '.claude'));
  const target = join(home, 'dotfiles', 'claude', 'settings.json');
  writeFileSync(target, '{"model":"opus"}\n', { mode: 0o644 });
  chmodSync(target, 0o644);
  const link = join(home, '.claude', 'settings.json');
  symlinkSync('../dotfiles/claude/settings.json', link);

  const r = roost(['hooks', 'install', 'claude'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(lstatSync(link).isSymbolicLink(), true, 'the link is still a link');
  assert.equal(readlinkSync(link), '../dotfiles/claude/settings.json');
  const written = JSON.parse(readFileSync(target, 'utf8'));
  assert.equal(written.model, 'opus');
  assert.equal(written.hooks.Stop.length, 1);
  assert.equal(statSync(target).mode & 0o777, 0o644, 'the target keeps its mode');
  assert.deepEqual(readdirSync(join(home, 'dotfiles', 'claude')), ['settings.json'], 'no temp file or backup left beside the target');

  assert.equal(roost(['hooks', 'uninstall', 'claude'], env).status, 0);
  assert.equal(lstatSync(link).isSymbolicLink(), true);
  assert.deepEqual(JSON.parse(readFileSync(target, 'utf8')), { model: 'opus' });

  // A link made before its target exists: install creates the target, not a file over the link.
  const dangling = tempDir('roost-project-');
  mkdirSync(join(dangling, '.claude'));
  symlinkSync(join(home, 'dotfiles', 'claude', 'project.json'), join(dangling, '.claude', 'settings.json'));
  assert.equal(roost(['hooks', 'install', 'claude', '--project', dangling], env).status, 0);
  assert.equal(lstatSync(join(dangling, '.claude', 'settings.json')).isSymbolicLink(), true);
  assert.equal(JSON.parse(readFileSync(join(home, 'dotfiles', 'claude', 'project.json'), 'utf8')).hooks.Stop.length, 1);
});

test('--project writes DIR/.claude/settings.json; a broken settings file is refused and left alone', () => {
  const home = tempDir('roost-home-');
  const project = tempDir('roost-project-');
  const env = testEnv({ HOME: home });
  const r = roost(['hooks', 'install', 'claude', '--project', project], env);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(readFileSync(join(project, '.claude', 'settings.json'), 'utf8')).hooks.Stop.length, 1);
  assert.equal(existsSync(join(home, '.claude')), false);

  mkdirSync(join(home, '.claude'));
  writeFileSync(join(home, '.claude', 'settings.json'), '{"hooks": ');
  const bad = roost(['hooks', 'install', 'claude'], env);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^roost hooks: .*not valid JSON.*nothing changed\n$/);
  assert.equal(readFileSync(join(home, '.claude', 'settings.json'), 'utf8'), '{"hooks": ');
  assert.equal(roost(['hooks', 'install', 'gemini'], env).status, 1);
  assert.equal(roost(['hooks', 'install'], env).status, 2);
});

/**
 * Stands in for Claude Code: reads "EVENT [detail]" lines on its terminal and
 * runs the matching hook commands from settings.json through sh -c, with
 * Claude's JSON on stdin, logging each run's exit status and output.
 */
const FAKE_AGENT = `
import { readFileSync, appendFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
const [sessionId, log] = process.argv.slice(2);
const settings = JSON.parse(readFileSync(process.env.HOME + '/.claude/settings.json', 'utf8'));
for await (const line of createInterface({ input: process.stdin })) {
  const [event, detail] = line.trim().split(/\\s+/);
  if (!event) continue;
  const payload = { session_id: sessionId, transcript_path: '/tmp/t/' + sessionId + '.jsonl', cwd: process.cwd(), hook_event_name: event };
  if (event === 'Notification') Object.assign(payload, { notification_type: detail, message: 'Claude needs your permission to use Bash', title: 'Claude Code' });
  if (event === 'SessionStart') payload.source = detail ?? 'startup';
  if (event === 'SessionEnd') payload.reason = 'exit';
  if (event === 'Stop') payload.stop_hook_active = false;
  for (const group of settings.hooks?.[event] ?? []) {
    if (group.matcher && !new RegExp('^(' + group.matcher + ')$').test(detail ?? '')) continue;
    for (const h of group.hooks) {
      const r = spawnSync('sh', ['-c', h.command], { input: JSON.stringify(payload), encoding: 'utf8', timeout: 10000 });
      appendFileSync(log, JSON.stringify({ event, status: r.status, stdout: r.stdout, stderr: r.stderr }) + '\\n');
    }
  }
}
`;

/** A small daemon stand-in: the hook route on a unix socket, served by the real handler. */
function hookServer(socket: string, handle: (body: unknown) => { status: number; body?: unknown }): Promise<Server> {
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= HOOK_REPORT_MAX_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== CLAUDE_HOOK_ROUTE || size > HOOK_REPORT_MAX_BYTES) {
        res.writeHead(404).end();
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      const r = handle(body);
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body ? JSON.stringify(r.body) : undefined);
    });
  });
  after(() => new Promise<void>((ok) => server.close(() => ok())));
  return new Promise((ok) => server.listen(socket, () => ok(server)));
}

test('an agent in a pane runs the installed hook: state and session_id change at once', async () => {
  const home = tempDir('roost-home-');
  const run = tempDir('roost-run-');
  const env = testEnv({ HOME: home, XDG_RUNTIME_DIR: run });
  assert.equal(roost(['hooks', 'install', 'claude'], env).status, 0);
  const agentFile = join(home, 'fake-claude.mjs');
  writeFileSync(agentFile, FAKE_AGENT);
  const log = join(home, 'hooks.log');
  writeFileSync(log, '');

  const t = privateTmux(env);
  await newSession(t.client, { name: 'main', command: ['sleep', '600'] });
  const observer = new AttentionObserver({ silenceFor: () => 30 });
  const events: StateEvent[] = [];
  observer.onEvent((e) => void (e.type === 'state' && events.push(e)));
  const poller = new AttentionPoller({ tmux: t.client, observer });
  poller.start();
  after(() => poller.stop());

  const db = new Database(':memory:');
  migrate(db, [ATTENTION_SCHEMA]);
  const store = new SqlitePaneAgentStore(db);
  mkdirSync(join(run, 'roost'), { mode: 0o700 });
  const statuses: number[] = [];
  await hookServer(join(run, 'roost', 'roost.sock'), (body) => {
    const r = handleClaudeHookReport(body, { observer, store });
    statuses.push(r.status);
    return r;
  });

  const sid = '3f2a9c1e-1b2c-4d5e-8f90-1234567890ab';
  const win = await newWindow(t.client, { session: 'main', name: 'claude', command: [process.execPath, agentFile, sid, log], detached: true });
  const pane = (await listSessions(t.client))[0]!.windows.find((w) => w.id === win)!.panes[0]!.id;
  await waitFor(() => observer.stateOf(win), 10_000, 'window observed');
  const say = async (line: string) => {
    await sendText(t.client, pane, line);
    await sendKeys(t.client, pane, 'Enter');
  };

  await say('SessionStart startup');
  await waitFor(() => store.get(pane)?.sessionId === sid, 10_000, 'session_id stored');
  assert.equal(store.get(pane)!.transcriptPath, `/tmp/t/${sid}.jsonl`);
  assert.equal(observer.stateOf(win)!.state, 'working');

  await say('Notification permission_prompt');
  await waitFor(() => observer.stateOf(win)?.state === 'needs-permission', 10_000, 'needs-permission');
  const ev = events.find((e) => e.windowId === win && e.state === 'needs-permission')!;
  assert.equal(ev.agent, 'claude');
  assert.equal(ev.name, 'claude');

  await say('Stop');
  await waitFor(() => observer.stateOf(win)?.state === 'done', 10_000, 'done');
  assert.equal(store.get(pane)?.sessionId, sid);

  await say('SessionEnd');
  await waitFor(() => store.get(pane) === undefined, 10_000, 'session_id forgotten');
  await waitFor(() => observer.stateOf(win)?.state === 'working', 10_000, 'agent state cleared');

  // The agent logs a hook run after it ended, a moment after the report arrived.
  await waitFor(() => readFileSync(log, 'utf8').trim().split('\n').length === 4, 10_000, 'four hook runs logged');
  const runs = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(runs.map((r) => r.event), ['SessionStart', 'Notification', 'Stop', 'SessionEnd']);
  for (const r of runs) assert.deepEqual([r.status, r.stdout], [0, ''], JSON.stringify(r));
  assert.deepEqual(statuses, [204, 204, 204, 204]);
});

const PAYLOAD = JSON.stringify({ session_id: 'abc', transcript_path: '/t', cwd: '/', hook_event_name: 'Stop' });

test('with no daemon the hook exits 0 and prints nothing', () => {
  const run = tempDir('roost-run-');
  const r = roost(['hook', 'claude'], { ...testEnv({ XDG_RUNTIME_DIR: run }), TMUX_PANE: '%1' }, PAYLOAD);
  assert.deepEqual([r.status, r.signal, r.stdout, r.stderr], [0, null, '', '']);
});

/** A runtime folder whose daemon socket accepts connections and never answers (closed after the file), and the connections it holds. */
async function muteDaemon(): Promise<{ run: string; held: import('node:net').Socket[] }> {
  const run = tempDir('roost-run-');
  mkdirSync(join(run, 'roost'), { mode: 0o700 });
  const held: import('node:net').Socket[] = [];
  const mute = createNetServer((s) => void held.push(s));
  await new Promise<void>((ok) => mute.listen(join(run, 'roost', 'roost.sock'), () => ok()));
  after(() => {
    for (const s of held) s.destroy();
    mute.close();
  });
  return { run, held };
}

test('a daemon that accepts but never answers, or stdin that never closes, does not hold the hook', async () => {
  const { run, held } = await muteDaemon();
  const env = { ...testEnv({ XDG_RUNTIME_DIR: run }), TMUX_PANE: '%1' };

  const r = await new Promise<{ code: number | null; out: string }>((ok) => {
    const p = spawn(process.execPath, [bin, 'hook', 'claude'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (out += c));
    p.stdin.write(PAYLOAD); // and never end it
    const guard = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.on('exit', (code) => {
      clearTimeout(guard);
      ok({ code, out });
    });
  });
  assert.deepEqual(r, { code: 0, out: '' });
  await waitFor(() => held.length > 0, 5000, 'the hook reached the socket');
});

/** Run the hook without blocking this process (the daemon stand-ins answer from it). */
function hookRun(args: string[], env: NodeJS.ProcessEnv, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const p = spawn(process.execPath, [bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const r = { code: null as number | null, stdout: '', stderr: '' };
    p.stdout.on('data', (c) => (r.stdout += c));
    p.stderr.on('data', (c) => (r.stderr += c));
    const guard = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.on('close', (code) => {
      clearTimeout(guard);
      r.code = code;
      ok(r);
    });
    p.stdin.end(input);
  });
}

/** The hook's --debug lines, checked one by one; the report line's JSON is compared as an object. */
function debugLines(stderr: string): string[] {
  return stderr.split('\n').filter(Boolean).map((l) => (l.startsWith('roost hook: report ') ? `roost hook: report ${JSON.stringify(JSON.parse(l.slice(19)))}` : l));
}

const PAYLOAD_REPORT = JSON.stringify({ v: 1, agent: 'claude', event: 'Stop', pane: '%1', sessionId: 'abc', cwd: '/', transcriptPath: '/t' });

test('hook --debug (or ROOST_DEBUG=1) says on stderr what it reported, where, and what came of it; stdout stays empty', async () => {
  const run = tempDir('roost-run-');
  const socket = join(run, 'roost', 'roost.sock');
  const env = { ...testEnv({ XDG_RUNTIME_DIR: run }), TMUX_PANE: '%1', ROOST_DEBUG: undefined };

  const none = await hookRun(['hook', 'claude', '--debug'], env, PAYLOAD);
  assert.deepEqual([none.code, none.stdout], [0, '']);
  assert.deepEqual(debugLines(none.stderr), [
    `roost hook: report ${PAYLOAD_REPORT}`,
    `roost hook: posting to ${socket}`,
    'roost hook: not delivered: ENOENT: the daemon is not running (roost serve)',
  ]);

  mkdirSync(join(run, 'roost'), { mode: 0o700 });
  const bodies: unknown[] = [];
  await hookServer(socket, (body) => {
    bodies.push(body);
    return { status: 204 };
  });
  const viaEnv = await hookRun(['hook', 'claude'], { ...env, ROOST_DEBUG: '1' }, PAYLOAD);
  assert.deepEqual([viaEnv.code, viaEnv.stdout], [0, '']);
  assert.deepEqual(debugLines(viaEnv.stderr), [
    `roost hook: report ${PAYLOAD_REPORT}`,
    `roost hook: posting to ${socket}`,
    'roost hook: the daemon answered 204',
  ]);
  assert.deepEqual(bodies, [JSON.parse(PAYLOAD_REPORT)], 'the report printed is the one posted');

  // Without --debug: silent on both streams, daemon or not.
  const quiet = await hookRun(['hook', 'claude'], env, PAYLOAD);
  assert.deepEqual([quiet.code, quiet.stdout, quiet.stderr], [0, '', '']);
  const quietOff = await hookRun(['hook', 'claude'], { ...env, ROOST_DEBUG: '0' }, PAYLOAD);
  assert.deepEqual([quietOff.code, quietOff.stdout, quietOff.stderr], [0, '', '']);
  assert.equal(bodies.length, 3);
});

test('hook --debug says why it built no report: not in tmux, not a hook payload', async () => {
  const run = tempDir('roost-run-');
  const env = { ...testEnv({ XDG_RUNTIME_DIR: run }), ROOST_DEBUG: undefined };
  const cases: [NodeJS.ProcessEnv, string, string][] = [
    [env, PAYLOAD, 'roost hook: no report: not in tmux ($TMUX_PANE is not set)\n'],
    [{ ...env, TMUX_PANE: 'x' }, PAYLOAD, 'roost hook: no report: not in tmux ($TMUX_PANE "x" is not a pane id)\n'],
    [{ ...env, TMUX_PANE: '%1' }, 'hello', 'roost hook: no report: not a hook payload (stdin is not JSON, 5 bytes)\n'],
    [{ ...env, TMUX_PANE: '%1' }, '{"session_id":"abc"}', 'roost hook: no report: not a hook payload (no hook_event_name)\n'],
  ];
  for (const [e, input, stderr] of cases) {
    const r = await hookRun(['hook', 'claude', '--debug'], e, input);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', stderr]);
    const quiet = await hookRun(['hook', 'claude'], e, input);
    assert.deepEqual([quiet.code, quiet.stdout, quiet.stderr], [0, '', '']);
  }
});

test('hook --debug names a daemon that accepts but never answers', async () => {
  const { run } = await muteDaemon();
  const r = await hookRun(['hook', 'claude', '--debug'], { ...testEnv({ XDG_RUNTIME_DIR: run }), TMUX_PANE: '%1' }, PAYLOAD);
  assert.deepEqual([r.code, r.stdout], [0, '']);
  assert.equal(debugLines(r.stderr).at(-1), "roost hook: no answer within 500 ms; a process of its own waits for the daemon's answer");
});

test('a daemon stopped for a moment still gets the report: the hook exits at once, a process of its own holds the connection for the answer', async () => {
  const { env, remove } = tempUser('roost-hook-late-', { keep: true });
  const t = privateTmux(env);
  await newSession(t.client, { name: 'agent', command: ['cat'] });
  const serve = spawnServe(['-L', t.socket, 'serve', '--port', '0'], env);
  after(async () => {
    serve.child.kill('SIGKILL');
    await serve.exited;
    remove();
  });
  await serve.ready();
  const pane = (await listSessions(t.client))[0]!.windows[0]!.panes[0]!.id;
  const agentOf = async () => {
    const r = await runCli(['-L', t.socket, 'ls', '--json'], env);
    return (JSON.parse(r.stdout) as { name: string; windows: { agent: string | null }[] }[]).find((x) => x.name === 'agent')?.windows[0]?.agent;
  };
  const payload = JSON.stringify({ session_id: 'late-1', transcript_path: '/t', cwd: '/', hook_event_name: 'Notification', notification_type: 'permission_prompt', message: 'Claude needs your permission to use Bash' });

  // Stopped (SIGSTOP), the daemon cannot answer, nor check who is at the other end of the connection.
  process.kill(serve.child.pid!, 'SIGSTOP');
  let r: Awaited<ReturnType<typeof hookRun>>;
  try {
    r = await hookRun(['hook', 'claude', '--debug'], { ...env, TMUX_PANE: pane }, payload);
  } finally {
    process.kill(serve.child.pid!, 'SIGCONT');
  }
  assert.deepEqual([r.code, r.stdout], [0, '']);
  assert.equal(debugLines(r.stderr).at(-1), "roost hook: no answer within 500 ms; a process of its own waits for the daemon's answer");
  await waitFor(async () => (await agentOf()) === 'needs-permission', 20_000, 'the report to reach the daemon once it runs again');
});

test('a hook command line with an option it does not know exits 1, never 2 (which Claude reads as "block")', async () => {
  const { run } = await muteDaemon();
  const r = await hookRun(['hook', 'claude', '--bogus'], { ...testEnv({ XDG_RUNTIME_DIR: run }), TMUX_PANE: '%1' }, PAYLOAD);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^roost hook: .*--bogus.*\n$/);
});
