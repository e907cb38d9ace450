#!/usr/bin/env node
// Long fuzzing runs (docs/security.md): the coverage-guided targets in
// test/fuzz/ (frame decoders; a live daemon's frame handling) and the seeded
// random decoder fuzz, each for SECONDS (default 3600), after a build.
//   node scripts/fuzz.mjs [SECONDS] [FILTER]
// e.g. `node scripts/fuzz.mjs 600 daemon-frames`. Targets run one after the
// other; a failure prints the input (hex) that caused it.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './run-child.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = process.argv[2] ?? '3600';
const filter = process.argv[3] ?? '';
if (!/^\d+$/.test(seconds)) {
  process.stderr.write('usage: node scripts/fuzz.mjs [SECONDS] [FILTER]\n');
  process.exit(2);
}
if (spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root }).status !== 0) process.exit(1);
const files = ['test/fuzz/protocol.test.js', 'test/fuzz/daemon-frames.test.js', 'test/shared/protocol-fuzz.test.js']
  .filter((f) => f.includes(filter))
  .map((f) => join(root, 'dist', f));
const env = { ...process.env, ROOST_FUZZ_SECONDS: seconds };
// As in run-tests.mjs: never the user's tmux server.
delete env.TMUX;
delete env.TMUX_PANE;
delete env.ROOST_TMUX_SOCKET;
runChild(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=0', '--test-reporter=spec', ...files], { cwd: root, env });
