import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutChecksum, parseLayout } from './layout.js';

test('the checksum is tmux\'s: layouts tmux printed parse, a changed one does not', () => {
  // Printed by tmux 3.3a for a window split top/bottom, then the bottom split left/right.
  const l = '270a,100x30,0,0[100x15,0,0,3,100x14,0,16{50x14,0,16,4,49x14,51,16,5}]';
  assert.equal(layoutChecksum(l.slice(5)), '270a');
  assert.deepEqual(parseLayout(l), { width: 100, height: 30, leaves: [3, 4, 5] });
  assert.deepEqual(parseLayout('b261,80x24,0,0,4'), { width: 80, height: 24, leaves: [4] });
  assert.equal(parseLayout(l.replace('100x14', '100x13')), null, 'checksum no longer matches');
  assert.equal(parseLayout('0000,80x24'), null);
  assert.equal(parseLayout(''), null);
});

test('leaves come depth first, the order select-layout fills them', () => {
  const body = '200x50,0,0{100x50,0,0[100x25,0,0,7,100x24,0,26,2],99x50,101,0[99x25,101,0,9,99x24,101,26,1]}';
  const l = `${layoutChecksum(body)},${body}`;
  assert.deepEqual(parseLayout(l)?.leaves, [7, 2, 9, 1]);
  assert.equal(parseLayout(`${layoutChecksum(`${body}x`)},${body}x`), null, 'trailing garbage');
});
