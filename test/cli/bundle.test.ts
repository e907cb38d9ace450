/**
 * bin/roost runs the CLI bundled (scripts/build.mjs) and minified. What a
 * user or maintainer would miss from the compiled modules: with --debug, a
 * stack trace names Roost's source files and lines (the bundle's source
 * maps); without it, the one-line message alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';

test('with --debug, a stack trace from the bundled CLI names the source files and lines', async () => {
  const home = tempDir('roost-bundle-');
  writeFileSync(join(home, 'file'), 'not a folder\n');
  const env = { XDG_STATE_HOME: join(home, 'file', 'state'), XDG_RUNTIME_DIR: undefined };
  const r = await runCli(['-L', 'roost-bundle-none', '--debug', 'token', 'ls'], { home, env });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^\s+at .*\bsrc\/store\/db\.ts:\d+:\d+\)$/m, r.stderr);
  assert.match(r.stderr, /^\s+at .*\bsrc\/cli\/commands\/token\.ts:\d+:\d+\)$/m, r.stderr);
  assert.doesNotMatch(r.stderr, /dist\/src\/bundle/, r.stderr);

  const plain = await runCli(['-L', 'roost-bundle-none', 'token', 'ls'], { home, env });
  assert.equal(plain.code, 1);
  assert.equal(plain.stderr.trim().split('\n').length, 1, plain.stderr);
});
