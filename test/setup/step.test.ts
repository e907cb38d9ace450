/**
 * scripts/step.mjs, each long step of `npm start` / `npm test`: a line
 * before with what runs and why, a line after with how long it took and how
 * it ended (done, failed with its status, could not run). Real processes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/cli.js';

interface StepResult {
  ok: boolean;
  status: number | null;
  error: Error | null;
}

const { runStep, duration } = (await import(pathToFileURL(join(ROOT, 'scripts', 'step.mjs')).href)) as {
  runStep: (what: string, why: string, cmd: string, args: string[], opts: object, tell: (line: string) => void) => StepResult;
  duration: (ms: number) => string;
};

function run(cmd: string, args: string[]): { result: StepResult; lines: string[] } {
  const lines: string[] = [];
  const result = runStep('npm ci', 'node_modules is not installed; about two minutes', cmd, args, { stdio: 'ignore' }, (l) => lines.push(l));
  return { result, lines };
}

test('a step says what and why before it runs, and how long it took after', () => {
  const ok = run(process.execPath, ['-e', 'setTimeout(() => {}, 200)']);
  assert.equal(ok.result.ok, true);
  assert.equal(ok.lines[0], 'npm ci: node_modules is not installed; about two minutes');
  assert.match(ok.lines[1]!, /^npm ci done in \d+\.\d s$/);
  assert.ok(Number(/in (\S+) s/.exec(ok.lines[1]!)![1]) >= 0.2, ok.lines[1]);
  assert.equal(ok.lines.length, 2);

  const failed = run(process.execPath, ['-e', 'process.exit(3)']);
  assert.deepEqual([failed.result.ok, failed.result.status], [false, 3]);
  assert.match(failed.lines[1]!, /^npm ci failed after \d+\.\d s \(exit status 3\)$/);

  const killed = run(process.execPath, ['-e', 'process.kill(process.pid, "SIGKILL")']);
  assert.match(killed.lines[1]!, /^npm ci failed after \d+\.\d s \(killed by SIGKILL\)$/);

  const missing = run('/nonexistent/npm', []);
  assert.equal(missing.result.ok, false);
  assert.match(missing.lines[1]!, /^npm ci could not run \(ENOENT\) after \d+\.\d s$/);
});

test('durations: tenths of a second while short, minutes once long', () => {
  assert.equal(duration(400), '0.4 s');
  assert.equal(duration(9_940), '9.9 s');
  assert.equal(duration(21_400), '21 s');
  assert.equal(duration(102_000), '1 min 42 s');
  assert.equal(duration(-5), '0.0 s');
});
