import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BEGIN, END, findBlock, MarkerError, removeBlock, renderBlock, upsertBlock } from './markers.js';

const body = 'set -g mouse on\n';

test('a missing file is created with the block and removed again', () => {
  const t = upsertBlock(null, body, 'end');
  assert.equal(t, `${BEGIN} (created file)\n${body}${END}\n`);
  assert.equal(removeBlock(t), null);
});

test('added at the end and at the top, then removed byte for byte', () => {
  for (const orig of ['a\nb\n', '', 'x', 'no newline\nat end', '\n\n', 'tab\t\r\n']) {
    for (const where of ['top', 'end'] as const) {
      const t = upsertBlock(orig, body, where);
      assert.notEqual(t, orig);
      assert.equal(findBlock(t)!.body, body);
      assert.equal(removeBlock(t), orig, JSON.stringify({ orig, where }));
      assert.equal(upsertBlock(t, body, where), t, 'idempotent');
    }
  }
});

test('a line without newline gets one before the block, recorded in the marker', () => {
  const t = upsertBlock('last', body, 'end');
  assert.equal(t, `last\n${BEGIN} (added newline)\n${body}${END}\n`);
  // The user writes after the block: their text is not glued to "last".
  assert.equal(removeBlock(`${t}mine\n`), 'last\nmine\n');
});

test('the block is replaced in place, keeping what is around it', () => {
  const t = `top\n${renderBlock('old\n', 'existing')}bottom\n`;
  assert.equal(upsertBlock(t, 'new\n', 'end'), `top\n${renderBlock('new\n', 'existing')}bottom\n`);
  assert.equal(removeBlock(t), 'top\nbottom\n');
  const c = renderBlock('old\n', 'created');
  assert.equal(upsertBlock(c, 'new\n', 'top'), renderBlock('new\n', 'created'));
});

test('a created file the user added to keeps their lines', () => {
  assert.equal(removeBlock(`${renderBlock(body, 'created')}mine\n`), 'mine\n');
});

test('text without a block is left alone', () => {
  assert.equal(removeBlock('plain\n'), 'plain\n');
  assert.equal(findBlock('# >>> roost >>>x\n'), null, 'a longer line is not a marker');
});

test('broken markers are refused', () => {
  assert.throws(() => findBlock(`${BEGIN}\nx\n`), MarkerError);
  assert.throws(() => findBlock(`x\n${END}\n`), MarkerError);
  assert.throws(() => findBlock(`${BEGIN}\n${END}\n${BEGIN}\n${END}\n`), MarkerError);
  assert.throws(() => upsertBlock(`${BEGIN}\n`, body, 'end'), MarkerError);
});
