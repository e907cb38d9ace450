#!/usr/bin/env node
// Build: type-check and compile the Node side (tsc -b, with src/shared as a
// referenced project that has neither Node nor DOM types), bundle the CLI
// that bin/roost runs into dist/src/bundle, type-check the browser side, and
// bundle it with esbuild into dist/web.
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

// What bin/roost runs: the compiled CLI and the packages it uses, bundled.
// One file per command (and per part loaded on first use) instead of ~700
// modules: `roost serve` holds ~5 MB less at rest (bench/rss.ts; V8 keeps
// each module's source text, so minified counts), and a command starts in
// ~70 % of the time (a `roost hook` runs on every event of an agent). Unused
// code is left out: zod is imported as a namespace (`import * as z`) for
// that, or all its locales would come along.
//   - It lives in dist/src/bundle, the depth of the compiled modules, so the
//     paths src/config/install.ts reckons hold in both.
//   - Native packages stay outside; the CommonJS packages inside get a
//     require() (an ES module has none).
//   - A source map is written: with --debug, bin/roost reads it, and a
//     stack trace names the source files and lines.
// The tests import the compiled modules, and run bin/roost, so both are tested.
const bundle = join(root, 'dist', 'src', 'bundle');
rmSync(bundle, { recursive: true, force: true });
step(bin('esbuild'), [join('dist', 'src', 'cli', 'main.js'), '--bundle', '--platform=node', '--format=esm', '--splitting', '--target=node20',
  '--minify', '--sourcemap', '--external:node-pty', '--external:better-sqlite3',
  "--banner:js=import { createRequire as __roostRequire } from 'node:module'; const require = __roostRequire(import.meta.url);",
  `--outdir=${bundle}`, '--log-level=warning']);
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
