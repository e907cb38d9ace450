import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkTarget, writeFileAtomic } from './files.js';

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'roost-files-'));
  after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('writeFileAtomic writes through a chain of links, relative ones counted from the real folder', () => {
  const d = tempDir();
  mkdirSync(join(d, 'dotfiles', 'roost'), { recursive: true });
  mkdirSync(join(d, 'real', 'conf'), { recursive: true });
  symlinkSync(join(d, 'real', 'conf'), join(d, 'conf')); // a linked folder
  writeFileSync(join(d, 'dotfiles', 'roost', 'config.toml'), 'old\n');
  // conf/config.toml -> ../../dotfiles/... is right from real/conf, wrong from conf
  symlinkSync('../../dotfiles/roost/config.toml', join(d, 'real', 'conf', 'config.toml'));
  symlinkSync(join(d, 'conf', 'config.toml'), join(d, 'second-link'));

  assert.equal(linkTarget(join(d, 'second-link')), join(d, 'dotfiles', 'roost', 'config.toml'));
  writeFileAtomic(join(d, 'second-link'), 'new\n', 0o644);
  assert.equal(lstatSync(join(d, 'second-link')).isSymbolicLink(), true);
  assert.equal(lstatSync(join(d, 'real', 'conf', 'config.toml')).isSymbolicLink(), true);
  assert.equal(readFileSync(join(d, 'dotfiles', 'roost', 'config.toml'), 'utf8'), 'new\n');
  assert.deepEqual(readdirSync(join(d, 'dotfiles', 'roost')), ['config.toml'], 'no temp file left');
});

test('a link whose target does not exist yet gets its target created; a loop is an error and writes nothing', () => {
  const d = tempDir();
  symlinkSync('made-later.json', join(d, 'settings.json'));
  writeFileAtomic(join(d, 'settings.json'), '{}\n');
  assert.equal(lstatSync(join(d, 'settings.json')).isSymbolicLink(), true);
  assert.equal(readFileSync(join(d, 'made-later.json'), 'utf8'), '{}\n');

  symlinkSync('b', join(d, 'a'));
  symlinkSync('a', join(d, 'b'));
  assert.throws(() => writeFileAtomic(join(d, 'a'), 'x'), /symbolic links|ELOOP/);
  assert.deepEqual(readdirSync(d).sort(), ['a', 'b', 'made-later.json', 'settings.json']);
});

test('the mode asked for is the mode written, whatever the umask', () => {
  const d = tempDir();
  const old = process.umask(0o077);
  try {
    writeFileAtomic(join(d, 'unit.service'), '[Unit]\n', 0o644);
  } finally {
    process.umask(old);
  }
  assert.equal(statSync(join(d, 'unit.service')).mode & 0o777, 0o644);
});
