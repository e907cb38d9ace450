import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanName, planCounts, planRestore } from './plan.js';
import { decide, rulesFrom, BUILTIN_AGENTS, type RestoreRules } from './rules.js';
import { layoutChecksum } from './layout.js';
import type { PaneSnap, Snapshot } from './model.js';
import { parseConfig } from '../config/config.js';

const rules: RestoreRules = rulesFrom(parseConfig('').restore);

function pane(id: string, over: Partial<PaneSnap> = {}): PaneSnap {
  return {
    id, index: Number(id.slice(1)), active: false, cwd: '/w', title: 'host', dead: false, program: null, agent: null,
    scrollback: null, activity: 0, historySize: 0, cursor: [0, 0], capturedAt: 0, ...over,
  };
}
const prog = (...argv: string[]) => ({ name: argv[0]!.split('/').pop()!, commands: [argv] });
const layoutOf = (body: string) => `${layoutChecksum(body)},${body}`;

function snapshot(): Snapshot {
  return {
    format: 1, generation: 7, createdAt: 1000, host: 'host', server: { socket: '/tmp/s', pid: 1, started: 1 }, lines: 2000,
    sessions: [
      {
        name: 'work', kind: 'plain', created: 1,
        windows: [
          // Pane ids out of index order in the layout: the plan follows the layout.
          { index: 1, name: 'edit', autoName: false, active: true, zoomed: false, layout: layoutOf('100x30,0,0{50x30,0,0,5,49x30,51,0,3}'),
            panes: [pane('%3', { index: 0, active: true }), pane('%5', { index: 1, program: prog('vim', 'notes.md') })] },
          { index: 4, name: 'node', autoName: true, active: false, zoomed: false, layout: 'ffff,broken', panes: [pane('%8', { program: prog('python3', 'train.py') })] },
        ],
      },
      { name: 'a-job', kind: 'job', created: 1, windows: [{ index: 0, name: 'x', autoName: true, active: true, zoomed: false, layout: layoutOf('80x24,0,0,11'), panes: [pane('%11', { program: prog('python3', 'train.py') })] }] },
      { name: 'my work#1', kind: 'node', created: 1, windows: [{ index: 0, name: 'x', autoName: true, active: true, zoomed: false, layout: layoutOf('80x24,0,0,9'), panes: [pane('%9')] }] },
      { name: 'live', kind: 'plain', created: 1, windows: [{ index: 0, name: 'x', autoName: true, active: true, zoomed: false, layout: layoutOf('80x24,0,0,10'), panes: [pane('%10')] }] },
    ],
  };
}

test('only missing sessions, under names Roost accepts, windows and panes in layout order', () => {
  const plan = planRestore({ snapshot: snapshot(), live: new Set(['live']), rules, host: 'host' });
  assert.deepEqual(plan.sessions.map((s) => [s.name, s.savedName, s.kind]), [['my_work_1', 'my work#1', 'node'], ['work', 'work', 'plain']]);
  assert.deepEqual(plan.skipped, [
    { name: 'a-job', why: 'a background job: its log is kept (roost logs a-job); start it again with roost run' },
    { name: 'live', why: 'a session named live is running' },
  ]);
  const work = plan.sessions[1]!;
  const [edit, node] = work.windows;
  assert.deepEqual(edit!.panes.map((p) => p.savedId), ['%5', '%3'], 'the layout lists %5 first');
  assert.equal(edit!.activePane, 1);
  assert.deepEqual([edit!.width, edit!.height], [100, 30]);
  assert.equal(edit!.panes[1]!.title, null, 'the host name is tmux\'s default title, not set again');
  assert.deepEqual([node!.name, node!.autoName, edit!.autoName], ['node', true, false], 'tmux named it: it goes on naming it');
  assert.equal(node!.layout, null, 'a damaged layout: tiled');
  assert.deepEqual(planCounts(plan), { sessions: 2, windows: 3, panes: 4, resumed: 0, relaunched: 1, typed: 1 });
});

test('SESSION arguments narrow the plan; names the snapshot lacks are reported', () => {
  const plan = planRestore({ snapshot: snapshot(), live: new Set(), only: ['work', 'gone'], rules });
  assert.deepEqual(plan.sessions.map((s) => s.name), ['work']);
  assert.deepEqual(plan.missing, ['gone']);
});

test('names: valid ones stay, others are cleaned, never empty or an option', () => {
  assert.equal(cleanName('main'), 'main');
  assert.equal(cleanName('a b.c:d'), 'a_b_c_d');
  assert.equal(cleanName('-x'), '_x');
  assert.equal(cleanName('#(touch x)'), '__touch_x_');
  assert.equal(cleanName('☃'), '_');
});

test('agents with a known session id resume; without one they are typed', () => {
  const claude = { name: 'node', commands: [['node', '/usr/lib/node_modules/.bin/claude', '--model', 'opus']] };
  const resumed = decide({ dead: false, program: claude, agent: { kind: 'claude', sessionId: 'abc-123' } }, rules);
  assert.deepEqual(resumed, { kind: 'run', line: 'claude --resume abc-123 --model opus', why: 'resumes claude session abc-123', agent: { kind: 'claude', sessionId: 'abc-123' } });
  assert.equal(decide({ dead: false, program: claude, agent: null }, rules).kind, 'type');
  // A report of another agent's session does not make this one resume it.
  assert.equal(decide({ dead: false, program: claude, agent: { kind: 'codex', sessionId: 'x' } }, rules).kind, 'type');
  const custom = rulesFrom(parseConfig('[restore.agents.claude]\nresume = ["claude", "-r", "{id}", "--verbose"]\n[restore.agents.aider]\notherwise = "relaunch"\n').restore);
  assert.equal((decide({ dead: false, program: claude, agent: { kind: 'claude', sessionId: 'q' } }, custom) as { line: string }).line, 'claude -r q --verbose --model opus');
  assert.deepEqual(decide({ dead: false, program: prog('aider', '--model', 'x y'), agent: null }, custom),
    { kind: 'run', line: "aider --model 'x y'", why: 'aider without a known session: started again (config)', agent: null });
  assert.equal(BUILTIN_AGENTS['claude']!.resume.join(' '), 'claude --resume {id}');
});

test('the safe list relaunches, with its conditions; everything else is typed', () => {
  const d = (...argv: string[]) => decide({ dead: false, program: prog(...argv), agent: null }, rules);
  assert.deepEqual(d('vim', 'my notes.md'), { kind: 'run', line: "vim 'my notes.md'", why: 'on the safe list: relaunched', agent: null });
  assert.equal(d('/usr/bin/less', '+F', 'log').kind, 'run');
  assert.equal(d('tail', '-f', '/var/log/syslog').kind, 'run');
  assert.equal(d('tail', '-n', '5', 'x').kind, 'type', 'tail without -f ends at once: nothing to follow');
  assert.equal(d('journalctl', '-fu', 'nginx').kind, 'run');
  assert.equal(d('journalctl', '-f', '--vacuum-size=1M').kind, 'type');
  assert.equal(d('htop').kind, 'run');
  assert.equal(d('python3').kind, 'run');
  assert.equal(d('python3', '-q').kind, 'run');
  assert.deepEqual(d('python3', 'train.py', '--epochs', '3'), { kind: 'type', line: 'python3 train.py --epochs 3', why: 'a REPL given a script or code: typed, not run' });
  assert.equal(d('python3', '-c', 'x').kind, 'type');
  assert.equal(d('node', '-e', 'x').kind, 'type');
  assert.deepEqual(d('make', '-j8'), { kind: 'type', line: 'make -j8', why: 'not on the safe list: typed, not run' });
  assert.equal(decide({ dead: false, program: { name: 'tail', commands: [['tail', '-f', 'x'], ['grep', 'y']] }, agent: null }, rules).kind, 'type', 'a pipeline');
  assert.equal(decide({ dead: false, program: { name: 'vim', commands: [] }, agent: null }, rules).kind, 'type', 'argv unknown');
  assert.equal(decide({ dead: false, program: prog('vim', 'a\nb'), agent: null }, rules).kind, 'shell', 'control characters');
  assert.equal(decide({ dead: true, program: prog('vim'), agent: null }, rules).kind, 'shell');
  assert.equal(decide({ dead: false, program: null, agent: null }, rules).kind, 'shell');
});

test('[restore] relaunch adds programs, never takes them away', () => {
  const r = rulesFrom(parseConfig('[restore]\nrelaunch = ["make"]\nnever = ["vim"]\n').restore);
  assert.equal(decide({ dead: false, program: prog('make'), agent: null }, r).kind, 'run');
  assert.deepEqual(decide({ dead: false, program: prog('vim', 'x'), agent: null }, r), { kind: 'type', line: 'vim x', why: 'vim is never relaunched (config): typed, not run' });
});

test('a session running under a name Roost cleans is never restored beside itself; valid names keep theirs', () => {
  const one = (name: string) => ({ name, kind: 'plain', created: 1, windows: [{ index: 0, name: 'x', autoName: true, active: true, zoomed: false, layout: layoutOf('80x24,0,0,1'), panes: [pane('%1')] }] });
  const snap = (...names: string[]): Snapshot => ({ ...snapshot(), sessions: names.map(one) });
  const plan = (s: Snapshot, live: string[]) => planRestore({ snapshot: s, live: new Set(live), rules });
  // tmux accepts "my work"; Roost's name for it is my_work.
  const running = plan(snap('my work'), ['my work']);
  assert.deepEqual(running.sessions, []);
  assert.deepEqual(running.skipped, [{ name: 'my work', why: 'a session named my work is running' }]);
  assert.deepEqual(plan(snap('my work'), ['my_work']).sessions, [], 'restored before under its cleaned name');
  assert.deepEqual(plan(snap('my work'), []).sessions.map((s) => s.name), ['my_work']);
  // A saved my_work keeps its name, whichever sorts first; the cleaned one takes the next free name.
  assert.deepEqual(plan(snap('my work', 'my_work'), []).sessions.map((s) => [s.savedName, s.name]), [['my work', 'my_work-2'], ['my_work', 'my_work']]);
  assert.deepEqual(plan(snap('my work', 'my_work'), ['my_work']).sessions.map((s) => [s.savedName, s.name]), [['my work', 'my_work-2']]);
  assert.deepEqual(plan(snap('my work', 'my_work'), ['my_work', 'my_work-2']).sessions, [], 'both restored before');
});

test('a command is typed as the user typed it when the snapshot knows that form; as it ran otherwise', () => {
  const claude = { name: 'node', commands: [['node', '/usr/local/bin/claude', '-c']], typed: [['claude', '-c']] };
  assert.deepEqual(decide({ dead: false, program: claude, agent: null }, rules), { kind: 'type', line: 'claude -c', why: 'claude without a known session: typed, not run' });
  const py = { name: 'python3', commands: [['/root/.pyenv/versions/3.11.7/bin/python3', '-c', 'x']], typed: [['python3', '-c', 'x']] };
  assert.deepEqual(decide({ dead: false, program: py, agent: null }, rules), { kind: 'type', line: 'python3 -c x', why: 'a REPL given a script or code: typed, not run' });
  assert.deepEqual(decide({ dead: false, program: { ...py, typed: undefined }, agent: null }, rules), { kind: 'type', line: '/root/.pyenv/versions/3.11.7/bin/python3 -c x', why: 'a REPL given a script or code: typed, not run' });
});

test('an agent resumed keeps its own arguments, however it was started; a relaunch does not send its prompt again', () => {
  const claude = (argv: string[], typed?: string[]) => decide({ dead: false, agent: { kind: 'claude', sessionId: 'abc-1' }, program: { name: 'claude', commands: [argv], ...(typed ? { typed: [typed] } : {}) } }, rules);
  const line = (a: ReturnType<typeof decide>) => (a.kind === 'shell' ? null : a.line);
  assert.equal(line(claude(['claude', '--model', 'opus'])), 'claude --resume abc-1 --model opus');
  assert.equal(line(claude(['claude', '--dangerously-skip-permissions', '-c', '--model', 'sonnet', 'fix it'])), 'claude --resume abc-1 --dangerously-skip-permissions --model sonnet');
  // As the kernel ran it, the snapshot not knowing how it was typed: the script's arguments all the same.
  assert.equal(line(claude(['node', '/usr/lib/node_modules/claude/cli.js', '--model', 'opus'])), 'claude --resume abc-1', 'a script not named claude: its arguments are not known to be claude\'s');
  assert.equal(line(claude(['node', '/usr/local/bin/claude', '-r', 'old-id', '--model', 'opus'])), 'claude --resume abc-1 --model opus');
  assert.equal(line(claude(['node', '/usr/local/bin/claude', '--model', 'opus'], ['claude', '--model', 'opus'])), 'claude --resume abc-1 --model opus');
  const relaunch = rulesFrom(parseConfig('[restore.agents.claude]\notherwise = "relaunch"\n').restore);
  const noId = decide({ dead: false, agent: null, program: { name: 'claude', commands: [['claude', '-c', '--model', 'opus', 'go on']] } }, relaunch);
  assert.equal(line(noId), 'claude -c --model opus');
  assert.equal(line(decide({ dead: false, agent: null, program: { name: 'claude', commands: [['claude', '-c', '--model', 'opus', 'go on']] } }, rules)), 'claude -c --model opus \'go on\'', 'typed, not run: the line as it was');
});
