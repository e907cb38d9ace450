import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getIniValue, setIniValue } from './ini.js';

const set = (text: string) => setIniValue(text, 'Session', 'IdleTimeout', '0');

test('an empty or missing file gets the section', () => {
  assert.equal(set(''), '[Session]\nIdleTimeout=0\n');
});

test('other sections and comments are kept; the section is appended', () => {
  const t = '# Cockpit\n[WebService]\nOrigins = https://a.example\nLoginTitle=box\n';
  assert.equal(set(t), `${t}\n[Session]\nIdleTimeout=0\n`);
  assert.equal(set('[WebService]\nX=1'), '[WebService]\nX=1\n\n[Session]\nIdleTimeout=0\n');
});

test('an existing value is replaced in place, others kept', () => {
  const t = '[WebService]\nIdleTimeout=99\n\n[Session]\nBanner=/etc/issue\nIdleTimeout = 15\nWarnBeforeConnectionTimeout=30\n';
  assert.equal(set(t), '[WebService]\nIdleTimeout=99\n\n[Session]\nBanner=/etc/issue\nIdleTimeout=0\nWarnBeforeConnectionTimeout=30\n');
  assert.equal(set(set(t)), set(t), 'idempotent');
});

test('the key is added after the section\'s last key, not after a comment or the next section', () => {
  const t = '[Session]\nBanner=/etc/issue\n\n# the web server\n[WebService]\nX=1\n';
  assert.equal(set(t), '[Session]\nBanner=/etc/issue\nIdleTimeout=0\n\n# the web server\n[WebService]\nX=1\n');
  assert.equal(set('[Session]\n'), '[Session]\nIdleTimeout=0\n');
});

test('commented-out keys do not count', () => {
  const t = '[Session]\n# IdleTimeout=15\n';
  assert.equal(set(t), '[Session]\nIdleTimeout=0\n# IdleTimeout=15\n');
  assert.equal(getIniValue(t, 'Session', 'IdleTimeout'), undefined);
});

test('a repeated section: every assignment is set', () => {
  const t = '[Session]\nIdleTimeout=5\n[Other]\n[Session]\nIdleTimeout=7\n';
  assert.equal(set(t), '[Session]\nIdleTimeout=0\n[Other]\n[Session]\nIdleTimeout=0\n');
});

test('CRLF lines keep their CR', () => {
  assert.equal(set('[Session]\r\nIdleTimeout=15\r\n'), '[Session]\r\nIdleTimeout=0\r\n');
});

test('reading a value: last assignment wins, whitespace trimmed', () => {
  assert.equal(getIniValue('[Session]\nIdleTimeout = 15\nIdleTimeout=0\n', 'Session', 'IdleTimeout'), '0');
  assert.equal(getIniValue('[Other]\nIdleTimeout=3\n', 'Session', 'IdleTimeout'), undefined);
});
