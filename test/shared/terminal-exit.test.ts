import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endedText, EXIT_REASON, noSessionMessage } from '../../src/shared/terminal-exit.js';

test('every reason the daemon ends a terminal with reads as a sentence of its own, without repeating "ended"', () => {
  assert.equal(endedText(EXIT_REASON.ended), 'Session ended.');
  assert.equal(endedText(''), 'Session ended.');
  assert.equal(endedText(EXIT_REASON.killed), 'Session ended: it was killed.');
  assert.equal(endedText(EXIT_REASON.detached), 'Detached; the session is still running.');
});

test('a session that never existed is not said to have ended', () => {
  assert.equal(endedText(noSessionMessage('nosuch')), 'No session named nosuch.');
  assert.equal(endedText(noSessionMessage('a.b-c')), 'No session named a.b-c.');
});

test('any other reason (the error a refused request got, close 4400) becomes a sentence', () => {
  assert.equal(endedText('the daemon refused this terminal'), 'The daemon refused this terminal.');
  assert.equal(endedText('window must be an index or @id'), 'Window must be an index or @id.');
  assert.equal(endedText('Already a sentence.'), 'Already a sentence.');
});
