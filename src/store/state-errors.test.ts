import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stateDirError } from './state-errors.js';

const caught = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
};

test('errors that are not the state folder\'s fault pass through', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roost-state-err-'));
  try {
    const missing = caught(() => readFileSync(join(dir, 'no-such-log')));
    assert.equal(stateDirError(missing, dir), null, 'a missing file in a usable folder is just missing');
    const elsewhere = caught(() => readFileSync('/nonexistent-roost-test/x'));
    assert.equal(stateDirError(elsewhere, dir), null, 'a path outside the state folder');
    assert.equal(stateDirError(new Error('boom'), dir), null);
    assert.equal(stateDirError('text', dir), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file in the state folder\'s path is named, with what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roost-state-err-'));
  try {
    writeFileSync(join(dir, 'f'), '');
    const state = join(dir, 'f', 'state', 'roost');
    const e = caught(() => writeFileSync(join(state, 'x'), ''));
    assert.equal(stateDirError(e, state)?.message, `cannot write Roost's state folder ${state}: ${join(dir, 'f')} is a file, not a folder; make it a folder you can write, or set XDG_STATE_HOME to one`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
