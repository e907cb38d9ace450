#!/usr/bin/env node
// The README's two commands land here: `npm start` and `npm test` (and
// `npm run bench`). Each installs what is missing on a fresh machine (npm
// packages, tmux, reptyr; for tests also Chromium and Slurm), builds, then runs.
// Packages come only from npm and Debian's archive.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './run-child.mjs';
import { depsStale, installEnv, markInstalled } from './npm-deps.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'start';
const passThrough = process.argv.slice(3);
const isRoot = process.getuid?.() === 0;

function say(msg) {
  process.stderr.write(`roost setup: ${msg}\n`);
}
function fail(msg) {
  say(msg);
  process.exit(1);
}
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) return { ok: false, error: r.error };
  return { ok: r.status === 0, status: r.status };
}
function onPath(cmd) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' }).status === 0;
}

function checkNode() {
  const [maj, min] = process.versions.node.split('.').map(Number);
  if (maj < 20 || (maj === 20 && min < 19)) fail(`Node ${process.versions.node} is too old: Roost needs Node >= 20.19`);
}

let aptUpdated = false;
function aptInstall(pkgs, why) {
  if (!isRoot) fail(`missing ${why}: install with  sudo apt-get install -y ${pkgs.join(' ')}  and run this again`);
  say(`installing ${pkgs.join(' ')} (${why}) with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const args = ['install', '-y', '-qq', '--no-install-recommends', ...pkgs];
  if (!run('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] }).ok) {
    if (!aptUpdated) {
      run('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      aptUpdated = true;
    }
    if (!run('apt-get', args, { env, stdio: ['ignore', 'inherit', 'inherit'] }).ok) fail(`could not install ${pkgs.join(' ')}`);
  }
}

function ensureNpmDeps() {
  if (!depsStale(root)) return;
  const lock = join(root, 'package-lock.json');
  const cmd = existsSync(lock) ? 'ci' : 'install';
  // better-sqlite3 and node-pty compile here (node-gyp): it needs python3, make and a C++ compiler.
  // Debian's packages are named as the commands.
  const missing = ['python3', 'make', 'g++'].filter((t) => !onPath(t));
  if (missing.length) aptInstall(missing, `${missing.join(', ')} (to compile native npm modules)`);
  say(`installing npm packages (npm ${cmd}; native modules compile, about two minutes)`);
  const env = installEnv(process.env, process.execPath);
  if (!run('npm', [cmd, '--no-audit', '--no-fund'], { stdio: ['ignore', 'inherit', 'inherit'], env }).ok) fail(`npm ${cmd} failed`);
  markInstalled(root);
}

function ensureTmux() {
  if (!onPath('tmux')) aptInstall(['tmux'], 'tmux');
}

// Only roost adopt needs reptyr: without it (or without root to install it) everything else still works.
function ensureReptyr() {
  if (onPath('reptyr')) return;
  if (!isRoot) {
    say('reptyr is not installed; roost adopt needs it: sudo apt-get install reptyr');
    return;
  }
  aptInstall(['reptyr'], 'reptyr (for roost adopt)');
}

function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  aptInstall(['chromium'], 'Chromium (for the browser tests)');
}

function build() {
  if (!run(process.execPath, [join(root, 'scripts', 'build.mjs')]).ok) fail('build failed');
}

if (!['start', 'test', 'bench'].includes(mode)) fail(`unknown mode ${mode}: use start, test or bench`);
checkNode();
ensureNpmDeps();
ensureTmux();
ensureReptyr();
if (mode === 'test') ensureChromium();
build();

const jobs = {
  start: [join(root, 'dist', 'src', 'cli', 'main.js'), 'serve'],
  test: [join(root, 'scripts', 'run-tests.mjs')],
  bench: [join(root, 'dist', 'bench', 'run.js')],
};
runChild(process.execPath, [...jobs[mode], ...passThrough], { cwd: root });
