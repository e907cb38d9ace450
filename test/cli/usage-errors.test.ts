/**
 * Wrong words on the command line, for every command through the real CLI:
 * an unknown option, an option without its value, a value for a flag. Each
 * is one line in Roost's words with a pointer to that command's --help, exit
 * 2 (1 for commands an agent runs), and nothing changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateTmux } from '../helpers/tmux.js';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { loadAllCommands } from '../../src/cli/commands/index.js';
import { listSessions } from '../../src/tmux/index.js';

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
