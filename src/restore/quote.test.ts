import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandLine, pipelineLine, quoteWord } from './quote.js';

test('words are quoted only when they need it, so a shell reads back the same argv', () => {
  assert.equal(quoteWord('vim'), 'vim');
  assert.equal(quoteWord('/tmp/a-b_c.txt'), '/tmp/a-b_c.txt');
  assert.equal(quoteWord('my file'), "'my file'");
  assert.equal(quoteWord("it's"), "'it'\\''s'");
  assert.equal(quoteWord(''), "''");
  assert.equal(quoteWord('$HOME;rm'), "'$HOME;rm'");
  assert.equal(quoteWord('ü☃'), "'ü☃'");
  assert.equal(commandLine(['python3', 'train.py', '--name', 'run 1']), "python3 train.py --name 'run 1'");
});

test('control characters are refused, never typed (a newline would run the line)', () => {
  assert.equal(commandLine(['echo', 'a\nb']), null);
  assert.equal(commandLine(['echo', '\x1b[31m']), null);
  assert.equal(commandLine(['echo', 'a\u2028b']), null);
  assert.equal(pipelineLine([['tail', '-f', 'log'], ['grep', 'err or']]), "tail -f log | grep 'err or'");
  assert.equal(pipelineLine([['tail'], ['grep', '\t']]), null);
});
