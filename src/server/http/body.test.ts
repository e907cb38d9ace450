import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from './body.js';
import { HttpError } from '../errors.js';

const refused = (text: string, message: RegExp) => assert.throws(() => parseJson(text), (e: unknown) => e instanceof HttpError && e.status === 400 && e.code === 'bad-json' && message.test(e.message), text);

test('bodies: JSON as sent; blank is none; not JSON is a 400 that does not repeat it', () => {
  assert.deepEqual(parseJson('{"name":"main","n":[1,2]}'), { name: 'main', n: [1, 2] });
  assert.deepEqual(parseJson('{"constructor":"a name","note":"__proto__ in a value"}'), { constructor: 'a name', note: '__proto__ in a value' });
  assert.equal(parseJson(''), undefined);
  assert.equal(parseJson(' \n'), undefined);
  refused('{"name": ', /not valid JSON/);
});

test('bodies: a __proto__ key or a constructor.prototype is refused, at any depth and however escaped', () => {
  for (const text of [
    '{"__proto__":{"admin":true}}',
    '{"a":{"b":[{"__proto__":{}}]}}',
    '{"\\u005f_proto__":{"x":1}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '{"a":{"\\u0063onstructor":{"prototype":{}}}}',
  ]) refused(text, /__proto__ or constructor\.prototype/);
});
