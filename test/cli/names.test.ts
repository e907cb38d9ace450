/**
 * Every name the rule refuses, through the CLI for new, attach, kill and
 * rename: a one-line error, and afterwards nothing was created, renamed or
 * run (the `#(touch FILE)` name would make tmux run touch if it got there).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { privateTmux } from '../helpers/tmux.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { listSessions } from '../../src/tmux/index.js';

test('refused names create, rename and run nothing', async () => {
  const t = privateTmux();
  const home = tempDir();
  const marker = join(tempDir(), 'touched-by-tmux');
  const cli = (...argv: string[]) => runCli(argv, { home, socket: t.socket });
  assert.equal((await cli('new', 'good')).code, 0);

  const refused = [`#(touch ${marker})`, 'a:b', 'a.b', '$3', '', 'a\nb', 'a b', `x${'y'.repeat(64)}`];
  for (const name of refused) {
    const runs = [['new', name], ['attach', name], ['kill', name], ['rename', name, 'fresh'], ['rename', 'good', name]];
    const results = await Promise.all(runs.map((argv) => cli(...argv)));
    results.forEach((r, i) => {
      const what = JSON.stringify(runs[i]);
      assert.equal(r.code, 1, `${what}: ${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${what}: one line: ${JSON.stringify(r.stderr)}`);
      assert.match(lines[0]!, /^roost \w+: invalid (new )?session name /, what);
      assert.equal(r.stdout, '', what);
    });
  }

  // A name that looks like an option is read as one (usage error, exit 2);
  // after `--` it is the command of new (and then the name is missing: exit 2 too).
  for (const argv of [['new', '-x'], ['attach', '-x'], ['kill', '-x'], ['rename', 'good', '-x'], ['rename', '-x', 'y'], ['new', '--', '-x'], ['kill', 'good', '--', 'extra']]) {
    const r = await cli(...argv);
    assert.equal(r.code, 2, `${JSON.stringify(argv)}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  // For a command that runs nothing, what follows `--` is the name, and the rule refuses it.
  for (const argv of [['kill', '--', '-x'], ['rename', 'good', '--', '-x'], ['rename', '--', '-x', 'y']]) {
    const r = await cli(...argv);
    assert.equal(r.code, 1, `${JSON.stringify(argv)}: ${r.stderr}`);
    assert.match(r.stderr, /^roost \w+: invalid (new )?session name "-x": it must not start with "-"\n$/, JSON.stringify(argv));
  }

  assert.deepEqual((await listSessions(t.client)).map((s) => s.name), ['good']);
  assert.equal(existsSync(marker), false, 'tmux never ran the #() command');
});

test('a session named by tmux itself with a refused name: attach and kill say so and give the rename that fixes it', async () => {
  const t = privateTmux();
  const home = tempDir();
  const cli = (...argv: string[]) => runCli(argv, { home, socket: t.socket });
  await t.run('new-session', '-d', '-s', 'my work');
  await t.run('new-session', '-d', '-s', 'my-work');

  for (const argv of [['attach', 'my work'], ['kill', 'my work']]) {
    const r = await cli(...argv);
    assert.equal(r.code, 1, `${argv.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    // my-work is taken, so the hint names one that is free.
    assert.equal(lines[0], `roost ${argv[0]}: invalid session name "my work": use 1-64 letters, digits, "_" or "-"; `
      + `a session has this name (made outside Roost): rename it first: roost rename 'my work' my-work-2`);
  }
  // A refused name no session has: the rule's error alone, as before.
  const none = await cli('kill', 'no such');
  assert.equal(none.stderr, 'roost kill: invalid session name "no such": use 1-64 letters, digits, "_" or "-"\n');

  // The way out: rename accepts the existing name as OLD (and only a valid NEW).
  assert.equal((await cli('rename', 'my work', 'also bad')).code, 1);
  const renamed = await cli('rename', 'my work', 'my-work-2');
  assert.equal(renamed.code, 0, renamed.stderr);
  assert.equal(renamed.stdout, 'renamed session my work to my-work-2\n');
  assert.deepEqual((await listSessions(t.client)).map((s) => s.name), ['my-work', 'my-work-2']);
  assert.equal((await cli('kill', 'my-work-2')).code, 0);
  assert.deepEqual((await listSessions(t.client)).map((s) => s.name), ['my-work']);

  // A name that starts with '-': the hint puts it after `--`, and works as given.
  await t.run('new-session', '-d', '-s', '-x');
  const dash = await cli('kill', '--', '-x');
  assert.equal(dash.code, 1, dash.stderr);
  const hint = / rename it first: roost (rename .*)\n$/.exec(dash.stderr)?.[1];
  assert.equal(hint, 'rename -- -x x', dash.stderr);
  const fixed = await cli(...hint!.split(' '));
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.deepEqual((await listSessions(t.client)).map((s) => s.name).sort(), ['my-work', 'x']);
});
