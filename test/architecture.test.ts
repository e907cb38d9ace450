// The architecture's rules (.dependency-cruiser.cjs): no import cycle, the
// browser imports only src/shared, programs start in src/process alone, ptys
// behind the tmux door, plumbing knows no feature. dependency-cruiser reads
// the TypeScript sources (type-only imports included) and names each
// offending import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers/server.js';

test('the architecture rules hold: no import cycle, layers and doors respected', async () => {
  const bin = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const r = await new Promise<{ code: number; out: string }>((resolve) => {
    execFile(process.execPath, [bin, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: ROOT }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
  assert.equal(r.code, 0, r.out);
});
