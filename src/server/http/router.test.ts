import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PARAM_LENGTH, Router } from './router.js';
import { HttpError } from '../errors.js';

function table(): Router<string> {
  const r = new Router<string>();
  r.add('GET', '/api/sessions/:name', 'session');
  r.add('GET', '/api/sessions/:name/windows/:index/history', 'history');
  r.add('GET', '/api/jobs/:name', 'job');
  // Added after the parameter route, and still found first.
  r.add('GET', '/api/jobs/settings', 'settings');
  r.add('GET', '/assets/*', 'asset');
  r.add('GET', '/', 'index');
  r.add('DELETE', '/api/sessions/:name', 'kill');
  return r;
}

test('routes: literal segments before parameters, whatever the order they were added in; HEAD finds GET', () => {
  const r = table();
  assert.deepEqual(r.find('GET', '/api/jobs/settings'), { route: 'settings', pattern: '/api/jobs/settings', params: {} });
  assert.deepEqual(r.find('GET', '/api/jobs/build'), { route: 'job', pattern: '/api/jobs/:name', params: { name: 'build' } });
  assert.equal(r.find('HEAD', '/')?.route, 'index');
  assert.equal(r.find('DELETE', '/api/sessions/main')?.route, 'kill');
  assert.equal(r.find('POST', '/api/sessions/main'), null, 'no POST route');
  assert.deepEqual(r.find('GET', '/api/sessions/main/windows/2/history')?.params, { name: 'main', index: '2' });
});

test('routes: a path matches whole segments only; empty parameters and trailing slashes do not match', () => {
  const r = table();
  for (const path of ['/api/sessions/', '/api/sessions', '/api/sessions/main/', '/api/sessions//windows/1/history', '/assets', '/x']) {
    assert.equal(r.find('GET', path), null, path);
  }
  assert.deepEqual(r.find('GET', '/assets/')?.params, { '*': '' });
  assert.deepEqual(r.find('GET', '/assets/fonts/a.woff2')?.params, { '*': 'fonts/a.woff2' });
});

test('routes: parameters are decoded after the split (an escaped / stays inside); a bad escape is a 400, a part too long a 414', () => {
  const r = table();
  assert.deepEqual(r.find('GET', '/api/sessions/a%2Fb')?.params, { name: 'a/b' });
  assert.deepEqual(r.find('GET', '/api/sessions/caf%C3%A9')?.params, { name: 'café' });
  const fails = (path: string, status: number) => assert.throws(() => r.find('GET', path), (e: unknown) => e instanceof HttpError && e.status === status && !e.message.includes(path), path);
  fails('/api/sessions/%ff', 400);
  fails('/assets/%c0%ae', 400);
  fails('/no/such/%', 400);
  fails(`/api/sessions/${'x'.repeat(MAX_PARAM_LENGTH + 1)}`, 414);
  fails(`/nothing/${'x'.repeat(MAX_PARAM_LENGTH + 1)}`, 414);
  assert.deepEqual(r.find('GET', `/api/sessions/${'x'.repeat(MAX_PARAM_LENGTH)}`)?.params, { name: 'x'.repeat(MAX_PARAM_LENGTH) });
});

test('routes: a route added twice, or a * before the end, is a programming error', () => {
  const r = table();
  assert.throws(() => r.add('GET', '/api/sessions/:name', 'again'), /already taken/);
  assert.throws(() => r.add('GET', '/a/*/b', 'x'), /only at the end/);
  assert.throws(() => r.add('GET', 'api', 'x'), /starts with \//);
});
