/** phoneNote: a link only this computer can open says so; one a phone can reach says nothing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phoneNote } from './open.js';

test('loopback links get the note, others none', () => {
  for (const url of ['http://127.0.0.1:7373/login#token=x', 'http://localhost:7373/login', 'http://[::1]:7373/login', 'http://127.1.2.3/login']) {
    const note = phoneNote(url);
    assert.equal(note.length, 2, url);
    assert.match(note[0]!, /reaches only this computer: a phone cannot open this link\.$/);
    assert.match(note[1]!, /roost serve --host ADDR --tls-cert FILE --tls-key FILE/);
  }
  for (const url of ['https://box.example.org:7373/login#token=x', 'https://192.168.1.20:7373/login', 'https://[fd00::1]:7373/login']) assert.deepEqual(phoneNote(url), [], url);
});
