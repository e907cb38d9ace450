/**
 * The schedules API of a real daemon (port 0, private tmux): owners add,
 * pause, resume, run and remove with the same checks as the CLI (one line
 * naming the key); read-only logins read and are refused every change; no
 * credential, no schedules; a cookie login's change needs its Origin; a
 * name is checked, never a path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startServer } from '../helpers/server.js';
import { openRoostDb } from '../../src/daemon/schemas.js';
import { waitFor } from '../helpers/tmux.js';
import type { RunInfo, ScheduleInfo } from '../../src/shared/schedules.js';

const s = await startServer();
const owner = await s.login();
const ro = s.daemon.auth.createApiToken({ name: 'viewer', role: 'read-only' });
const spec = { name: 'api', cron: '0 4 * * *', command: ['sh', '-c', 'echo from the api'], cwd: s.dir, guards: ['none'], timeout: '10m' };

test('owners add; the answer is the schedule, with its next three run times', async () => {
  const r = await s.request('POST', '/api/schedules', { cookie: owner, body: spec });
  assert.equal(r.status, 201, r.text);
  const info = r.json as ScheduleInfo;
  assert.equal(info.name, 'api');
  assert.deepEqual(info.command, spec.command);
  assert.equal(info.next.length, 3);
  assert.equal(info.timeoutMs, 600_000);
  assert.equal(info.origin, 'cli');
});

test('a program the daemon cannot find is added all the same, with a warning in the answer (runs may find it later)', async () => {
  const r = await s.request('POST', '/api/schedules', { cookie: owner, body: { ...spec, name: 'typo', command: ['nosuchprog-xyz', '--flag'] } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual((r.json as { warnings: string[] }).warnings, ['no program "nosuchprog-xyz" on PATH: typo is added, but its runs fail until it is there']);
  const viaEnv = await s.request('POST', '/api/schedules', { cookie: owner, body: { ...spec, name: 'via-env', command: ['sh', '-c', 'true'], env: ['PATH=/no/such/dir'] } });
  assert.match((viaEnv.json as { warnings: string[] }).warnings.join('\n'), /^no program "sh" on PATH: via-env is added/, "the runs' own PATH (env) is the one looked in");
  const found = await s.request('POST', '/api/schedules', { cookie: owner, body: { ...spec, name: 'found' } });
  assert.deepEqual((found.json as { warnings: string[] }).warnings, [], 'a program on PATH: no warning');
  assert.ok(!('warnings' in ((await s.request('GET', '/api/schedules/typo', { cookie: owner })).json as object)), 'only the answer to the add carries it');
  for (const name of ['typo', 'via-env', 'found']) assert.equal((await s.request('DELETE', `/api/schedules/${name}`, { cookie: owner })).status, 204);
});

test('bad input is refused with one line naming the key, and nothing is stored', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...spec, name: 'b1', cron: '61 * * * *' }, /^cron: the minute field "61" is out of range: it takes 0-59$/],
    [{ ...spec, name: 'b2', tz: 'Mars/Olympus' }, /^tz: /],
    [{ ...spec, name: 'b3', guards: ['maybe'] }, /^guards: unknown guard/],
    [{ ...spec, name: 'b4', command: 'sh -c "rm -rf /"' }, /^command: /],
    [{ ...spec, name: 'b5', cwd: 'relative/dir' }, /^cwd: the directory must be an absolute path/],
    [{ ...spec, name: 'b6', shell: true }, /^shell: unknown key$/],
    [{ ...spec, name: '../etc' }, /invalid schedule name/],
    [spec, /a schedule named "api" exists/],
  ];
  for (const [body, re] of cases) {
    const r = await s.request('POST', '/api/schedules', { cookie: owner, body });
    assert.equal(r.status, 400, JSON.stringify(body));
    const err = (r.json as { error: { message: string } }).error;
    assert.match(err.message, re);
  }
  const list = (await s.request('GET', '/api/schedules', { cookie: owner })).json as ScheduleInfo[];
  assert.deepEqual(list.map((x) => x.name), ['api']);
});

test('read-only logins read, never change; no credential, nothing; a cookie change needs its Origin', async () => {
  for (const auth of [{ cookie: owner }, { bearer: ro.token }]) {
    assert.equal((await s.request('GET', '/api/schedules', auth)).status, 200);
    assert.equal(((await s.request('GET', '/api/schedules/api', auth)).json as ScheduleInfo).name, 'api');
    assert.equal((await s.request('GET', '/api/schedules/api/history', auth)).status, 200);
  }
  for (const [method, path] of [['POST', '/api/schedules'], ['POST', '/api/schedules/api/pause'], ['POST', '/api/schedules/api/resume'], ['POST', '/api/schedules/api/run'], ['DELETE', '/api/schedules/api'], ['POST', '/api/schedules/api/runs/1/open']] as const) {
    const r = await s.request(method, path, { bearer: ro.token, body: method === 'POST' ? {} : undefined });
    assert.equal(r.status, 403, `${method} ${path} read-only`);
  }
  assert.equal((await s.request('GET', '/api/schedules')).status, 401);
  assert.equal((await s.request('POST', '/api/schedules/api/pause', { cookie: owner, origin: null, body: {} })).status, 403, 'no Origin');
  assert.equal((await s.request('POST', '/api/schedules/api/pause', { cookie: owner, origin: 'https://evil.example', body: {} })).status, 403, 'another Origin');
  assert.equal(((await s.request('GET', '/api/schedules/api', { cookie: owner })).json as ScheduleInfo).paused, false, 'unchanged');
  assert.equal((await s.request('GET', '/api/schedules/nope', { cookie: owner })).status, 404);
  assert.equal((await s.request('GET', '/api/schedules/bad%20name', { cookie: owner })).status, 400);
  assert.equal((await s.request('GET', '/api/schedules/api/history?limit=0', { cookie: owner })).status, 400);
});

test('pause, resume, run now (as a job with its log), history, remove', async () => {
  const p = await s.request('POST', '/api/schedules/api/pause', { cookie: owner, body: {} });
  assert.equal((p.json as ScheduleInfo).paused, true);
  const q = await s.request('POST', '/api/schedules/api/resume', { cookie: owner, body: {} });
  assert.equal((q.json as ScheduleInfo).paused, false);
  const badForce = await s.request('POST', '/api/schedules/api/run', { cookie: owner, body: { force: 'yes' } });
  assert.equal(badForce.status, 400);
  assert.equal((badForce.json as { error: { code: string } }).error.code, 'bad-force', 'as docs/api.md says');
  const run = await s.request('POST', '/api/schedules/api/run', { cookie: owner, body: {} });
  assert.equal(run.status, 200, run.text);
  const r = run.json as RunInfo;
  assert.equal(r.trigger, 'manual');
  assert.equal(r.outcome, 'running');
  assert.equal(r.job, `api-${r.id}`);
  const done = await waitFor(async () => {
    const h = (await s.request('GET', '/api/schedules/api/history?limit=5', { bearer: ro.token })).json as RunInfo[];
    return h.find((x) => x.id === r.id && x.outcome === 'succeeded');
  }, 20_000, 'the run to end');
  assert.equal(done.exitCode, 0);
  const log = await s.request('GET', `/api/jobs/${r.job}/log`, { bearer: ro.token });
  assert.equal(log.text, 'from the api\r\n');
  assert.equal((await s.request('POST', `/api/schedules/api/runs/${r.id}/open`, { cookie: owner, body: {} })).status, 400, 'no conversation to open');
  assert.equal((await s.request('DELETE', '/api/schedules/api', { cookie: owner })).status, 204);
  assert.equal((await s.request('GET', '/api/schedules/api', { cookie: owner })).status, 404);
});

test("a schedule's env values are the owner's: read-only logins get the keys alone, everywhere a schedule is served", async () => {
  const r = await s.request('POST', '/api/schedules', { cookie: owner, body: { ...spec, name: 'secret', env: ['API_KEY=topsecret123', 'MODE=a=b'] } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual((r.json as ScheduleInfo).env, ['API_KEY=topsecret123', 'MODE=a=b'], 'the owner sees what was given');
  const roCookie = await s.login({ token: ro.token });
  for (const auth of [{ bearer: ro.token }, { cookie: roCookie }]) {
    const list = await s.request('GET', '/api/schedules', auth);
    const one = await s.request('GET', '/api/schedules/secret', auth);
    for (const reply of [list, one]) assert.doesNotMatch(reply.text, /topsecret123|a=b/);
    assert.deepEqual((list.json as ScheduleInfo[]).find((x) => x.name === 'secret')!.env, ['API_KEY', 'MODE']);
    assert.deepEqual((one.json as ScheduleInfo).env, ['API_KEY', 'MODE']);
    assert.equal((await s.request('GET', '/api/schedules/secret/history', auth)).text.includes('topsecret123'), false);
  }
  for (const path of ['/api/schedules', '/api/schedules/secret']) {
    assert.match((await s.request('GET', path, { cookie: owner })).text, /API_KEY=topsecret123/, `${path}: the owner keeps the values`);
  }
  const paused = await s.request('POST', '/api/schedules/secret/pause', { cookie: owner, body: {} });
  assert.deepEqual((paused.json as ScheduleInfo).env, ['API_KEY=topsecret123', 'MODE=a=b']);
  assert.equal((await s.request('DELETE', '/api/schedules/secret', { cookie: owner })).status, 204);
});

test("a run's output cannot hand `claude --resume` an option: an id starting with \"-\" or planted after text is no conversation", async () => {
  // A fake headless claude whose run failed, after printing what its program (or a prompt injection) wrote.
  const claude = join(s.dir, 'fake-bin', 'claude');
  mkdirSync(join(s.dir, 'fake-bin'), { recursive: true });
  const line = (id: string) => JSON.stringify({ type: 'result', subtype: 'success', session_id: id });
  writeFileSync(claude, `#!/bin/sh\necho '${line('--dangerously-skip-permissions')}'\necho 'note: ${line('planted-id')}'\nexit 1\n`);
  chmodSync(claude, 0o755);
  const made = await s.request('POST', '/api/schedules', { cookie: owner, body: { ...spec, name: 'agent', command: [claude, '-p', 'x', '--output-format', 'json'] } });
  assert.equal(made.status, 201, made.text);
  const run = (await s.request('POST', '/api/schedules/agent/run', { cookie: owner, body: {} })).json as RunInfo;
  const done = await waitFor(async () => {
    const h = (await s.request('GET', '/api/schedules/agent/history', { cookie: owner })).json as RunInfo[];
    return h.find((x) => x.id === run.id && x.outcome === 'failed');
  }, 20_000, 'the run to fail');
  assert.equal(done.claude?.kind, 'success', 'the result line is read');
  assert.equal(done.claude?.sessionId, null, 'its id is no id');
  const open = await s.request('POST', `/api/schedules/agent/runs/${run.id}/open`, { cookie: owner, body: {} });
  assert.equal(open.status, 400, open.text);
  assert.match((open.json as { error: { message: string } }).error.message, /has no Claude conversation to open/);

  // A history written before this rule holds such an id: open refuses it too, and starts nothing.
  const db = openRoostDb(s.daemon.paths.stateDir);
  try {
    db.prepare('UPDATE schedule_runs SET claude = ? WHERE id = ?').run(JSON.stringify({ ...done.claude, sessionId: '--dangerously-skip-permissions' }), run.id);
  } finally {
    db.close();
  }
  assert.equal((await s.request('POST', `/api/schedules/agent/runs/${run.id}/open`, { cookie: owner, body: {} })).status, 400, 'the stored id');
  const latest = await runCli(['schedule', 'open', 'agent'], s.env);
  assert.deepEqual([latest.code, latest.stdout], [1, ''], latest.stderr);
  assert.match(latest.stderr, /has no run with a Claude conversation/, 'the latest run with one: none');
  assert.ok(!(await s.tmuxSessions()).some((x) => x.name.endsWith('-chat')), 'no chat session made');
  assert.equal((await s.request('DELETE', '/api/schedules/agent', { cookie: owner })).status, 204);
});
