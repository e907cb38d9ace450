/**
 * Wrong words on the command line, for every command through the real CLI:
 * an unknown option, an option without its value, a value for a flag. Each
 * is one line in Roost's words with a pointer to that command's --help, exit
 * 2 (1 for commands an agent runs), and nothing changed.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { privateTmux, testEnv } from '../helpers/tmux.js';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { loadAllCommands } from '../../src/cli/commands/index.js';
import { TmuxClient, killServer, listSessions } from '../../src/tmux/index.js';

function usageError(r: CliResult, code: number, line: string): void {
  assert.equal(r.stderr, `${line}\n`);
  assert.equal(r.code, code, line);
  assert.equal(r.stdout, '');
}

test('every command: unknown options, missing values and values for flags, in one line', async () => {
  const t = privateTmux();
  const home = tempDir();
  const cli = (...argv: string[]) => runCli(argv, { home, socket: t.socket });
  for (const c of await loadAllCommands()) {
    const code = c.runByAgent ? 1 : 2;
    const see = `(see roost ${c.name} --help)`;
    const runs: [string[], string][] = [
      [[c.name, '-Z'], `unknown option -Z`],
      [[c.name, '--no-such-option', 'x'], `unknown option --no-such-option`],
      [[c.name, '--debug=yes'], `--debug takes no value`],
      [[c.name, '--socket'], `--socket needs a value`],
    ];
    for (const [name, spec] of Object.entries(c.options ?? {})) {
      if (spec.type === 'string') runs.push([[c.name, `--${name}`], `--${name} needs a value`]);
      else runs.push([[c.name, `--${name}=1`], `--${name} takes no value`]);
    }
    const results = await Promise.all(runs.map(([argv]) => cli(...argv)));
    runs.forEach(([, message], i) => usageError(results[i]!, code, `roost ${c.name}: ${message} ${see}`));
  }
  usageError(await cli('new', 'x', '-c', '-weird'), 2, 'roost new: -c needs a value (for one that starts with "-", write --cwd=-weird) (see roost new --help)');
  usageError(await cli('-Z'), 2, 'roost: unknown option -Z (see roost --help)');
  assert.deepEqual(await listSessions(t.client), [], 'nothing was created');
});

test('-L before the command takes no option or command as its name; no name starts with "-"', async () => {
  const t = privateTmux();
  const home = tempDir();
  const cli = (...argv: string[]) => runCli(argv, { home, socket: t.socket });
  // A server the mistake would have started: its socket file, in the tests' private TMUX_TMPDIR.
  const stray = (name: string) => new TmuxClient({ socket: name, env: testEnv() });
  const strays = ['-x', '--debug', '--help', 'ls'];
  const gone = async () => {
    const left = strays.filter((n) => existsSync(stray(n).socketPath()));
    for (const n of left) await killServer(stray(n)).catch(() => {});
    return left;
  };
  after(gone); // without the fix, the servers the mistakes started
  const dash = 'needs a value (a socket name cannot start with "-")';
  usageError(await cli('-L', '-x', 'new', 's'), 2, `roost: -L ${dash} (see roost --help)`);
  usageError(await cli('--socket', '--debug', 'ls'), 2, `roost: --socket ${dash} (see roost --help)`);
  usageError(await cli('-L', '--help'), 2, `roost: -L ${dash} (see roost --help)`);
  usageError(await cli('ls', '-L', '-x'), 2, `roost ls: -L ${dash} (see roost ls --help)`);
  usageError(await cli('-L'), 2, 'roost: -L needs a value (see roost --help)');
  usageError(await cli('-L', 'ls'), 2, 'roost: -L needs a value ("ls" is a command; for a server named ls, write --socket=ls) (see roost --help)');
  for (const argv of [['--socket=-x', 'new', 's'], ['new', 's', '--socket=-x'], ['new', 's', '-L-x']]) {
    const r = await cli(...argv);
    assert.equal(r.stderr, 'roost new: invalid socket name "-x": it must not start with "-"\n', argv.join(' '));
    assert.equal(r.code, 1);
  }
  assert.deepEqual(await gone(), [], 'no server was started under a mistaken name');
  assert.deepEqual(await listSessions(t.client), [], 'nothing was created');
  // The unambiguous spellings still reach a server named after a command, and its hints use them.
  const named = await runCli(['--socket=ls', 'ls'], { home });
  assert.equal(named.stdout, 'no sessions (start one with: roost --socket=ls)\n');
  assert.equal((await runCli(['-Lls', 'ls'], { home })).code, 0);
});

test('an unknown group of short options is named as typed; help lines show the forms that work', async () => {
  const home = tempDir();
  usageError(await runCli(['new', '-odd'], { home }), 2, 'roost new: unknown option -odd (see roost new --help)');
  // A command after -- with no name before it: the name is what is missing, whatever the command's words.
  for (const argv of [['new', '--', '-x'], ['new', '--', 'htop'], ['new', '-c', home, '--', 'sh']]) {
    usageError(await runCli(argv, { home }), 2, 'roost new: needs a session name before -- (roost new NAME -- CMD ARGS...) (see roost new --help)');
  }
  usageError(await runCli(['ls', '-xyz'], { home }), 2, 'roost ls: unknown option -xyz (see roost ls --help)');
  const help = async (name: string) => (await runCli([name, '--help'], { home })).stdout;
  const node = await help('node');
  assert.match(node, /\[--slurm-arg=ARG\]\.\.\./);
  assert.doesNotMatch(node, /--slurm-arg ARG/, 'a salloc option starts with "-": only the = form takes it');
  assert.match(node, /^roost node NAME --window \[-d\] \[-- CMD ARGS\.\.\.\]$/m);
  assert.match(node, /^roost node NAME --renew \[request options\] \[-d\]$/m);
  assert.match(await help('init'), /^roost init --uninstall \[--dry-run\] \[--cockpit\]$/m);
});
