/**
 * The jobs API of a real daemon (port 0, private tmux): started through the
 * jobs service's own interface (what the scheduler and restore use), heard
 * ending through onEnded; lists and log ranges by byte offset for any login,
 * stop and rm for owners only; names checked, never a path from the client.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/tmux.js';
import { jobsService } from '../../src/jobs/daemon-service.js';
import { LOG_HEADERS, type JobInfo } from '../../src/shared/jobs.js';
import type { SessionInfo } from '../../src/shared/api.js';

const s = await startServer();
const svc = s.daemon.get(jobsService);
const ended: JobInfo[] = [];
svc.onEnded((j) => ended.push(j));
const owner = await s.login();
const ro = s.daemon.auth.createApiToken({ name: 'viewer', role: 'read-only' });

test('a job started through the service interface, heard ending with its status', async () => {
  const job = await svc.jobs.start({ name: 'rows', command: ['sh', '-c', 'i=1; while [ $i -le 2000 ]; do echo "row $i"; i=$((i+1)); done; exit 4'], cwd: s.dir });
  assert.equal(job.state, 'running');
  const end = await waitFor(() => ended.find((j) => j.name === 'rows'), 20_000, 'onEnded for rows');
  assert.equal(end.state, 'exited');
  assert.equal(end.exitCode, 4);
  assert.equal(ended.filter((j) => j.name === 'rows').length, 1, 'told once');
});

test('the sessions listing names an ended job window\'s program (sh), not the runner that holds its pane (node)', async () => {
  const sessions = (await s.request('GET', '/api/sessions', { cookie: owner })).json as SessionInfo[];
  const job = sessions.find((x) => x.kind === 'job' && x.name === 'rows');
  assert.ok(job, JSON.stringify(sessions.map((x) => [x.name, x.kind])));
  const w = job.windows[0]!;
  assert.equal(w.panes[0]!.dead, true, 'the ended job\'s pane stays, with its last screen');
  assert.equal(w.command, 'sh');
  assert.equal(w.panes[0]!.command, 'sh');
});

test('GET /api/jobs and /api/jobs/NAME, for owners and read-only logins alike', async () => {
  for (const auth of [{ cookie: owner }, { bearer: ro.token }]) {
    const list = await s.request('GET', '/api/jobs', auth);
    assert.equal(list.status, 200);
    assert.deepEqual((list.json as JobInfo[]).map((j) => j.name), ['rows']);
    const one = await s.request('GET', '/api/jobs/rows', auth);
    assert.equal((one.json as JobInfo).exitCode, 4);
  }
  assert.equal((await s.request('GET', '/api/jobs')).status, 401, 'no credential, no jobs');
  assert.equal((await s.request('GET', '/api/jobs/nope', { cookie: owner })).status, 404);
  assert.equal((await s.request('GET', '/api/jobs/bad%20name', { cookie: owner })).status, 400);
  const traversal = await s.request('GET', '/api/jobs/..%2F..%2Fetc%2Fpasswd/log', { cookie: owner });
  assert.equal(traversal.status, 400, 'a name, never a path');
});

test('log ranges by byte offset: the tail aligned to a line, forward from an offset, backward before one', async () => {
  const job = (await s.request('GET', '/api/jobs/rows', { cookie: owner })).json as JobInfo;
  const end = job.log.end;
  const tail = await s.request('GET', '/api/jobs/rows/log?max=100', { bearer: ro.token });
  assert.equal(tail.status, 200);
  assert.equal(tail.headers['content-type'], 'application/octet-stream');
  assert.equal(tail.headers[LOG_HEADERS.start], '0');
  assert.equal(tail.headers[LOG_HEADERS.end], String(end));
  assert.equal(tail.headers[LOG_HEADERS.to], String(end));
  assert.equal(tail.headers[LOG_HEADERS.complete], '1');
  assert.match(tail.text, /^row \d+\r\n/, 'starts at a line');
  assert.match(tail.text, /row 2000\r\n$/);
  assert.ok(tail.text.length <= 100);
  const from = Number(tail.headers[LOG_HEADERS.from]);

  const head = await s.request('GET', '/api/jobs/rows/log?from=0&max=12', { cookie: owner });
  assert.equal(head.text, 'row 1\r\nrow 2');
  assert.equal(head.headers[LOG_HEADERS.to], '12');
  const resumed = await s.request('GET', '/api/jobs/rows/log?from=12&max=5', { cookie: owner });
  assert.equal(resumed.text, '\r\nrow');

  const before = await s.request('GET', `/api/jobs/rows/log?to=${from}&max=40`, { cookie: owner });
  assert.equal(before.headers[LOG_HEADERS.to], String(from));
  assert.match(before.text, /^row \d+\r\n(row \d+\r\n)*$/, 'a whole number of lines just before the tail');

  const past = await s.request('GET', `/api/jobs/rows/log?from=${end + 1000}`, { cookie: owner });
  assert.equal(past.status, 200);
  assert.equal(past.text, '', 'nothing new yet: a follower asks again later');

  for (const q of ['from=abc', 'from=-1', 'from=1&to=2', 'max=0', `max=${64 * 1024 * 1024}`, 'to=1e9']) {
    const r = await s.request('GET', `/api/jobs/rows/log?${q}`, { cookie: owner });
    assert.equal(r.status, 400, q);
  }
});

test('download: the whole log as text (or raw) as an attachment', async () => {
  const text = await s.request('GET', '/api/jobs/rows/log/download', { bearer: ro.token });
  assert.equal(text.status, 200);
  assert.equal(text.headers['content-disposition'], 'attachment; filename="rows.log"');
  const lines = text.text.split('\n');
  assert.equal(lines[0], 'row 1');
  assert.equal(lines.length, 2001);
  const raw = await s.request('GET', '/api/jobs/rows/log/download?raw=1', { cookie: owner });
  assert.match(raw.text, /^row 1\r\nrow 2\r\n/);
});

test('stop and rm: owners only; a running job cannot be removed', async () => {
  await svc.jobs.start({ name: 'sleeper', command: ['sleep', '300'], cwd: s.dir });
  await waitFor(async () => ((await s.request('GET', '/api/jobs/sleeper', { cookie: owner })).json as JobInfo).pid !== null, 10_000, 'sleeper running');
  assert.equal((await s.request('POST', '/api/jobs/sleeper/stop', { bearer: ro.token, body: {} })).status, 403);
  assert.equal((await s.request('DELETE', '/api/jobs/rows', { bearer: ro.token })).status, 403);
  assert.equal((await s.request('DELETE', '/api/jobs/sleeper', { cookie: owner })).status, 409);
  assert.equal((await s.request('POST', '/api/jobs/sleeper/stop', { cookie: owner, body: { signal: 'NOPE' } })).status, 400);
  assert.equal((await s.request('POST', '/api/jobs/sleeper/stop', { cookie: owner, body: { grace: -1 } })).status, 400);
  const stop = await s.request('POST', '/api/jobs/sleeper/stop', { cookie: owner, body: { signal: 'INT' } });
  assert.equal(stop.status, 202);
  const done = await waitFor(() => ended.find((j) => j.name === 'sleeper'), 20_000, 'sleeper stopped');
  assert.equal(done.state, 'killed');
  assert.equal(done.signal, 'SIGINT');
  assert.equal((await s.request('POST', '/api/jobs/sleeper/stop', { cookie: owner, body: {} })).status, 409, 'not running any more');
  assert.equal((await s.request('DELETE', '/api/jobs/sleeper', { cookie: owner })).status, 204);
  assert.equal((await s.request('GET', '/api/jobs/sleeper', { cookie: owner })).status, 404);
});
