#!/usr/bin/env node
// Build: type-check and compile the Node side (tsc -b, with src/shared as a
// referenced project that has neither Node nor DOM types), type-check the
// browser side, and bundle it with esbuild into dist/web.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** The newest modification time (ms) of the .ts files under `dir`. */
function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

function step(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// Node tests compile the DOM-free src/web modules through their imports, but
// `tsc -b` judges a project up to date by its included files alone, and
// src/web is not one of them: a change there forces the rebuild.
const stamp = join(root, 'dist', 'tsconfig.tsbuildinfo');
const webChanged = existsSync(stamp) && newestMtime(join(root, 'src', 'web')) > statSync(stamp).mtimeMs;
step(bin('tsc'), ['-b', 'tsconfig.json', ...(webChanged ? ['--force'] : [])]);
step(bin('tsc'), ['-p', 'src/web/tsconfig.json']);

const out = join(root, 'dist', 'web');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const entries = ['src/web/main.ts', 'src/web/sw.ts'].filter((e) => existsSync(join(root, e)));
if (entries.length) {
  step(bin('esbuild'), [...entries, '--bundle', '--format=esm', '--target=es2022', '--minify', '--sourcemap',
    '--loader:.woff2=file', `--outdir=${out}`, '--log-level=warning']);
}
if (existsSync(join(root, 'src/web/static'))) cpSync(join(root, 'src/web/static'), out, { recursive: true });
