import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctrlChar, keySequence, modifyText, NO_MODS, StickyModifiers, textEdit } from '../../src/web/terminal/keys.js';

test('Ctrl + a character: xterm\'s control table', () => {
  assert.equal(ctrlChar('c'), '\x03');
  assert.equal(ctrlChar('C'), '\x03');
  assert.equal(ctrlChar('a'), '\x01');
  assert.equal(ctrlChar('z'), '\x1a');
  assert.equal(ctrlChar('['), '\x1b');
  assert.equal(ctrlChar('\\'), '\x1c');
  assert.equal(ctrlChar(']'), '\x1d');
  assert.equal(ctrlChar('@'), '\x00');
  assert.equal(ctrlChar(' '), '\x00');
  assert.equal(ctrlChar('?'), '\x7f');
  assert.equal(ctrlChar('/'), '\x1f');
  assert.equal(ctrlChar('-'), '\x1f');
  assert.equal(ctrlChar('é'), null);
  assert.equal(ctrlChar('ab'), null);
});

test('sticky modifiers apply to the first character typed only; Alt prefixes ESC', () => {
  assert.equal(modifyText('c', { ctrl: true, alt: false }), '\x03');
  assert.equal(modifyText('cd', { ctrl: true, alt: false }), '\x03d');
  assert.equal(modifyText('b', { ctrl: false, alt: true }), '\x1bb');
  assert.equal(modifyText('x', { ctrl: true, alt: true }), '\x1b\x18');
  assert.equal(modifyText('é', { ctrl: true, alt: false }), 'é', 'no control form: unchanged');
  assert.equal(modifyText('👍x', { ctrl: false, alt: true }), '\x1b👍x', 'a whole code point');
  assert.equal(modifyText('plain', NO_MODS), 'plain');
});

test('named keys as xterm sends them, with application cursor mode and modifiers', () => {
  assert.equal(keySequence('Up', NO_MODS, false), '\x1b[A');
  assert.equal(keySequence('Up', NO_MODS, true), '\x1bOA');
  assert.equal(keySequence('Left', NO_MODS, true), '\x1bOD');
  assert.equal(keySequence('Home', NO_MODS, false), '\x1b[H');
  assert.equal(keySequence('End', NO_MODS, true), '\x1bOF');
  assert.equal(keySequence('Left', { ctrl: true, alt: false }, true), '\x1b[1;5D', 'modifiers win over DECCKM');
  assert.equal(keySequence('Right', { ctrl: false, alt: true }, false), '\x1b[1;3C');
  assert.equal(keySequence('Up', { ctrl: true, alt: true, shift: true }, false), '\x1b[1;8A');
  assert.equal(keySequence('PageUp', NO_MODS, false), '\x1b[5~');
  assert.equal(keySequence('PageDown', { ctrl: true, alt: false }, false), '\x1b[6;5~');
  assert.equal(keySequence('Escape', NO_MODS, false), '\x1b');
  assert.equal(keySequence('Escape', { ctrl: false, alt: true }, false), '\x1b\x1b');
  assert.equal(keySequence('Tab', NO_MODS, false), '\t');
  assert.equal(keySequence('Tab', { ctrl: false, alt: false, shift: true }, false), '\x1b[Z');
  assert.equal(keySequence('Enter', NO_MODS, false), '\r');
  assert.equal(keySequence('Enter', { ctrl: false, alt: true }, false), '\x1b\r');
  assert.equal(keySequence('Backspace', NO_MODS, false), '\x7f');
  assert.equal(keySequence('Backspace', { ctrl: true, alt: false }, false), '\x08');
});

test('sticky modifiers: tap arms one key, a second tap locks, a third releases', () => {
  const m = new StickyModifiers();
  let changes = 0;
  m.onChange(() => changes++);
  assert.equal(m.active, false);
  assert.deepEqual(m.consume(), { ctrl: false, alt: false });
  assert.equal(m.tap('ctrl'), 'once');
  assert.deepEqual(m.consume(), { ctrl: true, alt: false });
  assert.equal(m.get('ctrl'), 'off', 'released after one key');
  m.tap('alt');
  m.tap('alt');
  assert.equal(m.get('alt'), 'locked');
  assert.deepEqual(m.consume(), { ctrl: false, alt: true });
  assert.deepEqual(m.consume(), { ctrl: false, alt: true }, 'locked stays');
  assert.equal(m.tap('alt'), 'off');
  m.tap('ctrl');
  m.clear();
  assert.equal(m.active, false);
  assert.ok(changes >= 6, 'listeners hear every change');
});

test('textEdit: what a line editor with its cursor at the end needs to go from one text to the other', () => {
  assert.deepEqual(textEdit('', 'abc'), { erase: 0, insert: 'abc' });
  assert.deepEqual(textEdit('abc', 'abcd'), { erase: 0, insert: 'd' });
  assert.deepEqual(textEdit('abcd', 'abc'), { erase: 1, insert: '' });
  assert.deepEqual(textEdit('echo wrold ', 'echo world '), { erase: 5, insert: 'orld ' });
  assert.deepEqual(textEdit('x teh', 'x the'), { erase: 2, insert: 'he' });
  assert.deepEqual(textEdit('ok👍', 'ok'), { erase: 1, insert: '' }, 'an emoji is one code point to erase');
  assert.deepEqual(textEdit('héllo', 'hello'), { erase: 4, insert: 'ello' });
  assert.deepEqual(textEdit('same', 'same'), { erase: 0, insert: '' });
});
