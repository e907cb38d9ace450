#!/usr/bin/env node
// The long soak (docs/security.md): test/soak/ for SECONDS (default 600),
// after a build: 50 viewers on 10 printing sessions against `roost serve`,
// its memory and descriptors watched.   node scripts/soak.mjs [SECONDS]
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './run-child.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = process.argv[2] ?? '600';
if (!/^\d+$/.test(seconds)) {
  process.stderr.write('usage: node scripts/soak.mjs [SECONDS]\n');
  process.exit(2);
}
if (spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root }).status !== 0) process.exit(1);
const env = { ...process.env, ROOST_SOAK_SECONDS: seconds };
// As in run-tests.mjs: never the user's tmux server.
delete env.TMUX;
delete env.TMUX_PANE;
delete env.ROOST_TMUX_SOCKET;
runChild(process.execPath, ['--test', '--test-timeout=0', '--test-reporter=spec', join(root, 'dist', 'test', 'soak', 'viewers.test.js')], { cwd: root, env });
