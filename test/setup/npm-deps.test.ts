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
import { ROOT } from '../helpers/cli.js';
import { RM_TREE } from '../helpers/tmux.js';

const { depsStale, markInstalled } = (await import(pathToFileURL(join(ROOT, 'scripts', 'npm-deps.mjs')).href)) as {
  depsStale: (root: string) => boolean;
  markInstalled: (root: string) => void;
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
