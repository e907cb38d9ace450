#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) with Node's test runner.
// Arguments narrow the run: `npm test -- tmux` runs files whose path has "tmux".
// Browser tests keep screenshots in test-artifacts/.
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './run-child.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = [...walk(join(root, 'dist', 'src')), ...walk(join(root, 'dist', 'test'))]
  .filter((f) => filters.length === 0 || filters.some((x) => relative(root, f).includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const env = { ...process.env };
// Tests must never reach the user's tmux server through an inherited $TMUX.
delete env.TMUX;
delete env.TMUX_PANE;
delete env.ROOST_TMUX_SOCKET;
// tmux tests are mostly waiting on processes; three files at once keeps two cores busy.
// A file still running after 20 minutes (the longest takes about 3 on a slow CI machine) is stuck: the
// runner fails it and goes on, rather than the whole run waiting out CI's limit. Its helpers then stop
// what it started (test/helpers/tmux.ts).
const FILE_TIMEOUT_MS = 20 * 60_000;
runChild(process.execPath, ['--test', '--test-concurrency=3', `--test-timeout=${FILE_TIMEOUT_MS}`, '--test-reporter=spec', ...files], { cwd: root, env });
