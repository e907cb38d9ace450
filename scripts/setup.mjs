#!/usr/bin/env node
// The README's two commands land here: `npm start` and `npm test` (and
// `npm run bench`). Each installs what is missing on a fresh machine (npm
// packages, tmux, reptyr; for tests also Chromium), builds, then runs.
// Packages come only from npm and Debian's archive. Each long step says
// what it does and why before, and how long it took after (step.mjs); the
// job's end is reported with its status (run-child.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runChild } from './run-child.mjs';
import { installEnv, markInstalled, whyStale } from './npm-deps.mjs';
import { runStep, say } from './step.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'start';
const passThrough = process.argv.slice(3);
const isRoot = process.getuid?.() === 0;

function fail(msg) {
  say(msg);
  process.exit(1);
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
  if (!isRoot) fail(`${why}: install with  sudo apt-get install -y ${pkgs.join(' ')}  and run this again`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const args = ['install', '-y', '-qq', '--no-install-recommends', ...pkgs];
  const what = `apt-get install ${pkgs.join(' ')}`;
  if (runStep(what, why, 'apt-get', args, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] }).ok) return;
  if (!aptUpdated) {
    runStep('apt-get update', 'the install failed; fresh package lists may have it', 'apt-get', ['update', '-qq'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    aptUpdated = true;
  }
  if (!runStep(what, 'again, with fresh package lists', 'apt-get', args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] }).ok) fail(`could not install ${pkgs.join(' ')}`);
}

function ensureNpmDeps() {
  const stale = whyStale(root);
  if (stale === null) return;
  const lock = join(root, 'package-lock.json');
  const cmd = existsSync(lock) ? 'ci' : 'install';
  // better-sqlite3 and node-pty compile here (node-gyp): it needs python3, make and a C++ compiler.
  // Debian's packages are named as the commands.
  const missing = ['python3', 'make', 'g++'].filter((t) => !onPath(t));
  if (missing.length) aptInstall(missing, `${missing.join(', ')} not found, needed to compile native npm modules`);
  const env = installEnv(process.env, process.execPath);
  const why = `${stale}; installing the npm packages, native modules compile (about two minutes)`;
  if (!runStep(`npm ${cmd}`, why, 'npm', [cmd, '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env }).ok) fail(`npm ${cmd} failed`);
  markInstalled(root);
}

function ensureTmux() {
  if (!onPath('tmux')) aptInstall(['tmux'], 'tmux not found, needed for every session');
}

// Only roost adopt needs reptyr: without it (or without root to install it) everything else still works.
function ensureReptyr() {
  if (onPath('reptyr')) return;
  if (!isRoot) {
    say('reptyr is not installed; roost adopt needs it: sudo apt-get install reptyr');
    return;
  }
  aptInstall(['reptyr'], 'reptyr not found, needed for roost adopt');
}

function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  aptInstall(['chromium'], 'Chromium not found, needed for the browser tests');
}

/**
 * The roost node tests run a real single-node Slurm (test/helpers/slurm.ts
 * starts ../shared/slurm/start-local-slurm.sh when none runs and stops it
 * after); its daemons and client commands come from Debian. Installed here,
 * before the clock of any test runs, when those tests are selected.
 */
function ensureSlurm() {
  const selected = passThrough.length === 0 || passThrough.some((f) => 'dist/test/slurm/node.test.js'.includes(f));
  const missing = ['slurmctld', 'slurmd', 'salloc', 'munged'].filter((c) => !onPath(c));
  if (!selected || missing.length === 0) return;
  const pkgs = ['slurmctld', 'slurmd', 'slurm-client', 'munge'];
  if (!isRoot) {
    say(`Slurm is not installed, so the roost node tests cannot run (they fail under CI=true); to run them: sudo apt-get install -y ${pkgs.join(' ')}`);
    return;
  }
  aptInstall(pkgs, 'Slurm, for the roost node tests');
}

function ensureCrontab() {
  // The restore service tests install and remove a real @reboot line (test/restore/service.test.ts).
  if (!onPath('crontab')) aptInstall(['cron'], 'crontab (for the boot-service tests)');
}

function build() {
  const why = 'compiling Roost (TypeScript, the web page) so what runs matches this checkout (up to a minute)';
  if (!runStep('build', why, process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root }).ok) fail('build failed');
}

/** A clone's bin/roost is on no PATH: say how to type `roost` anywhere (roost doctor checks the same). */
async function offerPath() {
  const { roostOnPath } = await import(pathToFileURL(join(root, 'dist', 'src', 'setup', 'on-path.js')).href);
  const r = roostOnPath({ bin: join(root, 'bin', 'roost'), env: process.env, home: homedir(), root: isRoot });
  if (!r.ok) say(`${r.message}. To type roost anywhere: ${r.fix}`);
}

if (!['start', 'test', 'bench'].includes(mode)) fail(`unknown mode ${mode}: use start, test or bench`);
checkNode();
ensureNpmDeps();
ensureTmux();
ensureReptyr();
if (mode === 'test') {
  ensureChromium();
  ensureSlurm();
  ensureCrontab();
}
build();

if (mode === 'start') await offerPath();

const jobs = {
  // bin/roost, as users run roost serve: the bundled CLI and the daemon's start settings.
  start: { argv: [join(root, 'bin', 'roost'), 'serve'], name: 'the daemon (roost serve)' },
  test: { argv: [join(root, 'scripts', 'run-tests.mjs')], name: 'the tests' },
  bench: { argv: [join(root, 'dist', 'bench', 'run.js')], name: 'the benchmark' },
};
runChild(process.execPath, [...jobs[mode].argv, ...passThrough], { cwd: root }, jobs[mode].name);
