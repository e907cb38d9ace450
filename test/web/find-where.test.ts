import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchWhere } from '../../src/web/terminal/find-where.js';

test('how far back a Find match is: singular and plural, thousands grouped', () => {
  assert.equal(matchWhere(1), 'last line');
  assert.equal(matchWhere(2), '1 line back');
  assert.equal(matchWhere(3), '2 lines back');
  assert.equal(matchWhere(6003), '6,002 lines back');
});
