/**
 * scripts/npm-deps.mjs: `npm start` and `npm test` reinstall npm packages
 * when, and only when, the lockfile's contents differ from the one the
 * installed tree came from.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../helpers/cli.js';
import { RM_TREE } from '../helpers/tmux.js';

const { depsStale, markInstalled, installEnv } = (await import(pathToFileURL(join(ROOT, 'scripts', 'npm-deps.mjs')).href)) as {
  depsStale: (root: string) => boolean;
  markInstalled: (root: string) => void;
  installEnv: (env: NodeJS.ProcessEnv, execPath: string) => NodeJS.ProcessEnv;
};

test('packages are reinstalled when the lockfile changes, not when a checkout only touches it', () => {
  const root = mkdtempSync(join(tmpdir(), 'roost-deps-'));
  after(() => rmSync(root, RM_TREE));
  const lock = join(root, 'package-lock.json');
  writeFileSync(join(root, 'package.json'), '{"name":"x"}\n');
  writeFileSync(lock, '{"lockfileVersion":3,"packages":{"node_modules/ws":{"version":"8.18.0"}}}\n');
  assert.equal(depsStale(root), true, 'no node_modules');

  // What npm leaves after an install, without our record of it (a tree installed by hand or by an older setup).
  mkdirSync(join(root, 'node_modules'));
  writeFileSync(join(root, 'node_modules', '.package-lock.json'), '{}\n');
  assert.equal(depsStale(root), true, 'installed, but from which lockfile is unknown');

  markInstalled(root);
  assert.equal(depsStale(root), false, 'installed from this lockfile');

  // git rewrites a file it checks out: a newer mtime, the same contents.
  const later = new Date(Date.now() + 60_000);
  utimesSync(lock, later, later);
  utimesSync(join(root, 'package.json'), later, later);
  assert.equal(depsStale(root), false, 'touched, unchanged');

  writeFileSync(lock, '{"lockfileVersion":3,"packages":{"node_modules/ws":{"version":"8.18.1"}}}\n');
  assert.equal(depsStale(root), true, 'the lockfile changed');

  markInstalled(root);
  assert.equal(depsStale(root), false, 'reinstalled');
  rmSync(join(root, 'node_modules'), RM_TREE);
  assert.equal(depsStale(root), true, 'node_modules removed');
});

test('npm ci builds native modules from local headers and source, downloading nothing beyond npm', () => {
  // A Node installed under a prefix with its headers, as Debian's is under /usr.
  const prefix = mkdtempSync(join(tmpdir(), 'roost-prefix-'));
  after(() => rmSync(prefix, RM_TREE));
  mkdirSync(join(prefix, 'include', 'node'), { recursive: true });
  writeFileSync(join(prefix, 'include', 'node', 'node_version.h'), '');
  const node = join(prefix, 'bin', 'node');

  const env = installEnv({ PATH: '/usr/bin' }, node);
  assert.equal(env['npm_package_config_node_gyp_nodedir'], prefix, 'node-gyp uses these headers instead of downloading them');
  assert.equal(env['prebuild-install_buildFromSource'], 'true', 'no prebuilt binary fetched from GitHub');
  assert.equal(env['PATH'], '/usr/bin');

  // The user's own settings win.
  const mine = installEnv({ npm_config_nodedir: '/opt/node', npm_config_build_from_source: 'true' }, node);
  assert.equal(mine['npm_config_nodedir'], '/opt/node');
  assert.equal(mine['npm_package_config_node_gyp_nodedir'], undefined, 'which would override the user\'s');
  assert.equal(mine['prebuild-install_buildFromSource'], undefined, 'npm\'s own build-from-source setting is left to do it');

  // Without headers there, npm's own setting (or node-gyp's error) decides.
  assert.equal(installEnv({}, '/nonexistent/bin/node')['npm_package_config_node_gyp_nodedir'], undefined);
});

test('better-sqlite3\'s install script, given that environment, compiles instead of downloading', () => {
  // Its install script is "prebuild-install || node-gyp rebuild": prebuild-install must give up at once.
  const pkg = join(ROOT, 'node_modules', 'better-sqlite3');
  const bin = join(ROOT, 'node_modules', 'prebuild-install', 'bin.js');
  const r = spawnSync(process.execPath, [bin, '--verbose'], { cwd: pkg, env: installEnv({ PATH: process.env['PATH'] }, process.execPath), encoding: 'utf8', timeout: 30_000 });
  assert.match(r.stderr, /not attempting download/, r.stderr);
  assert.equal(r.status, 1, 'a failure, so node-gyp builds it');
});
