/**
 * Snapshot and restore end to end, as a user meets them: sessions with
 * several windows and split panes, directories with spaces and unicode,
 * coloured scrollback, a Claude Code stand-in whose session id reaches the
 * running daemon through the real hook path; `roost snapshot`, the tmux
 * server killed, `roost restore`; then layout, directories, scrollback, the
 * agent resumed with its id, a safe program relaunched, an unknown one
 * typed but not run, and nothing duplicated by a second restore.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux, waitFor, waitForCommand } from '../helpers/tmux.js';
import { runCli } from '../helpers/server.js';
import { sendKeys, sendText } from '../../src/tmux/index.js';
import { attentionService } from '../../src/attention/daemon-service.js';
import { daemonFor, layoutShape, paneLines, restoreUser } from './helpers.js';

const SID = 'a1b2c3d4-0000-4000-8000-restoretest1';

test('snapshot, kill the server, restore: windows, panes, directories, scrollback and programs come back once', async () => {
  const u = restoreUser();
  const t = privateTmux({ ...u.env, FAKE_SESSION: SID });
  u.env['ROOST_TMUX_SOCKET'] = t.socket;
  const odd = join(u.dir, 'my dir ü ☃');
  const sub = join(odd, 'sub dir');
  mkdirSync(sub, { recursive: true });
  const followed = join(u.dir, 'followed.log');
  writeFileSync(followed, 'first line\n');

  const daemon = await daemonFor(u, t);
  after(() => daemon.close());
  const type = async (target: string, line: string) => {
    await sendText(t.client, target, line);
    await sendKeys(t.client, target, 'Enter');
  };

  // work:0 three panes (left, right top, right bottom); work:1 "agent" runs the fake Claude; notes: one pane.
  await t.run('new-session', '-d', '-s', 'work', '-x', '160', '-y', '48', '-c', odd);
  await t.run('split-window', '-h', '-t', 'work:0', '-c', sub);
  await t.run('split-window', '-v', '-t', 'work:0.1', '-c', u.dir);
  await t.run('new-window', '-t', 'work:', '-n', 'agent', '-c', odd);
  await t.run('new-session', '-d', '-s', 'notes', '-c', u.dir);
  await t.run('select-window', '-t', 'work:0');
  await t.run('select-pane', '-t', 'work:0.1');
  for (const p of ['work:0.0', 'work:0.1', 'work:0.2', 'work:1.0', 'notes:0.0']) await waitForCommand(t, p, 'bash');
  // tmux names a window after its active pane's program only when that pane writes: named before the shell
  // started, it keeps the name of the process that forked it ("tmux") until then. A line makes tmux look again.
  for (const p of ['work:0.1', 'notes:0.0']) await type(p, 'true');
  await waitFor(async () => (await paneLines(t, '#{window_name}')).every((n) => n !== 'tmux'), 10_000, 'tmux to name the windows after their programs');

  await type('work:0.0', "printf '\\033[31mRED-%s\\033[0m\\n' LINE; seq 1 200 | sed 's/^/line /'; sleep 3601");
  await type('work:0.2', `tail -f ${followed}`);
  await type('work:1.0', 'claude');
  await waitForCommand(t, 'work:0.0', 'sleep');
  await waitForCommand(t, 'work:0.2', 'tail');
  const agentPane = (await t.run('display-message', '-p', '-t', 'work:1.0', '#{pane_id}')).trim();
  const paneAgents = daemon.get(attentionService).attention.paneAgents;
  await waitFor(() => paneAgents.get(agentPane)?.sessionId === SID, 15_000, 'the hook to report the agent\'s session id');
  assert.deepEqual(JSON.parse(readFileSync(u.argvLog, 'utf8').trim()), []);

  const FORMAT = '#{session_name}:#{window_index}.#{pane_index}|#{window_name}|#{window_layout}|#{pane_current_path}|#{window_active}#{pane_active}';
  const before = await paneLines(t, FORMAT);
  const snap = await runCli(['snapshot'], u.env);
  assert.equal(snap.code, 0, snap.stderr);
  assert.match(snap.stdout, /^snapshot \d+: 2 sessions, 3 windows, 5 panes/);

  await t.kill();
  const dry = await runCli(['restore', '--dry-run'], u.env);
  assert.equal(dry.code, 0, dry.stderr);
  // The daemon may have taken the same snapshot again meanwhile: the newest is restored.
  const gen = Number(/^from snapshot (\d+) /.exec(dry.stdout)?.[1]);
  assert.ok(gen >= 1, dry.stdout);
  assert.match(dry.stdout, /run {3}claude --resume a1b2c3d4-0000-4000-8000-restoretest1 {3}\(resumes claude session/);
  assert.match(dry.stdout, /type {2}sleep 3601 {3}\(not on the safe list: typed, not run\)/);
  assert.match(dry.stdout, /run {3}tail -f \S+followed\.log {3}\(on the safe list: relaunched\)/);
  assert.equal((await t.run('list-sessions').catch(() => 'no server')), 'no server', '--dry-run changed nothing');

  const r = await runCli(['restore'], u.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^restoring 2 sessions from snapshot ${gen} `));
  assert.match(r.stdout, /^\[1\/2\] notes: 1 window, 1 pane$/m);
  assert.match(r.stdout, /^\[2\/2\] work: 2 windows, 4 panes$/m);
  assert.match(r.stdout, /restored 2 sessions from snapshot \d+; 1 agent conversation resumed; 1 program relaunched; 1 command typed at the prompt, not run$/m);

  // Structure: names, indexes, layout shapes, directories, the current window and pane.
  const shape = (lines: string[]) => lines.map((l) => {
    const [id, name, layout, cwd, act] = l.split('|');
    return [id, name, layoutShape(layout!), cwd, act].join('|');
  });
  // Windows tmux named after their program are named again by tmux once their shell runs (it looks every half second).
  let now: string[] = [];
  await waitFor(async () => {
    now = shape(await paneLines(t, FORMAT));
    return JSON.stringify(now) === JSON.stringify(shape(before));
  }, 10_000, 'the same windows and panes').catch(() => assert.deepEqual(now, shape(before)));

  // The agent came back with its conversation, and told the daemon its session from the new pane.
  await waitFor(() => readFileSync(u.argvLog, 'utf8').trim().split('\n').length === 2, 15_000, 'the agent to start again');
  assert.deepEqual(JSON.parse(readFileSync(u.argvLog, 'utf8').trim().split('\n')[1]!), ['--resume', SID]);
  const newAgentPane = (await t.run('display-message', '-p', '-t', 'work:1.0', '#{pane_id}')).trim();
  await waitFor(() => paneAgents.get(newAgentPane)?.sessionId === SID, 15_000, 'the resumed agent\'s pane known');

  // The safe program runs again; the unknown one waits at the prompt, typed, not running.
  await waitForCommand(t, 'work:0.2', 'tail');
  const typed = await waitFor(async () => {
    const lines = (await t.run('capture-pane', '-p', '-J', '-S', '-', '-t', 'work:0.0')).split('\n').filter((l) => l.trim());
    return lines.at(-1)?.endsWith('$ sleep 3601') ? lines : null;
  }, 15_000, 'the command typed at the prompt');
  assert.equal(typed.filter((l) => l.includes('sleep 3601')).length, 2, 'once in the saved scrollback, once at the prompt (not echoed twice)');
  assert.equal((await t.run('display-message', '-p', '-t', 'work:0.0', '#{pane_current_command}')).trim(), 'bash', 'typed, not run');

  // The saved scrollback is shown first, with its colours, then where it came from.
  const screen = await t.run('capture-pane', '-p', '-e', '-S', '-', '-t', 'work:0.0');
  assert.match(screen, /\x1b\[31mRED-LINE/);
  assert.match(screen, /line 200\n/);
  assert.match(screen, new RegExp(`restored from snapshot ${gen}, `));

  // Marked restored until opened; a second restore does nothing.
  const marks = await paneLines(t, '#{session_name} #{@roost_restored}');
  assert.ok(marks.every((l) => /^\S+ \d{10}$/.test(l)), marks.join('\n'));
  const again = await runCli(['restore'], u.env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^nothing to restore: every session of snapshot \d+ is running$/m);
  assert.doesNotMatch(again.stdout, /skipped/, 'none asked for by name: the running ones are what was wanted');
  // Asked for by name while it runs: how to get its saved windows.
  const named = await runCli(['restore', 'work'], u.env);
  assert.equal(named.code, 0, named.stderr);
  assert.match(named.stdout, new RegExp(`^skipped work: a session named work is running; its saved windows: roost (-L \\S+ )?kill work, then roost (-L \\S+ )?restore --from ${gen} work$`, 'm'));
  assert.equal((await t.run('list-sessions', '-F', '#{session_name}')).trim().split('\n').sort().join(','), 'notes,work');
  assert.equal((await paneLines(t, '#{pane_id}')).length, 5);
});
