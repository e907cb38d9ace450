/**
 * Stopping and following: `stop` escalates to SIGKILL for a job that
 * ignores SIGTERM, `logs -f` follows a growing log and ends with the job's
 * status, and the log cap keeps the newest output with a line where it was
 * cut.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, detachByKeys, roostTerm, ROOST_BIN } from '../helpers/cli.js';
import { waitFor } from '../helpers/tmux.js';
import { jobsUser, runJob } from '../helpers/jobs.js';

const u = jobsUser();

test('stop: SIGTERM ends a job; one that ignores SIGTERM gets SIGKILL after the grace period', async () => {
  const plain = await runJob(u, '--name', 'plain', '--', 'sleep', '300');
  await u.waitJob(plain, (j) => j.pid !== null);
  const r = await u.cli('stop', plain);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'stopped plain (killed by SIGTERM)\n');
  assert.equal((await u.job(plain))?.signal, 'SIGTERM');

  const stubborn = await runJob(u, '--name', 'stubborn', '--', 'sh', '-c', 'trap "" TERM; echo ready; sleep 300');
  await u.waitJob(stubborn, (j) => j.pid !== null && j.log.bytes > 0);
  const s = await u.cli('stop', stubborn, '--grace', '1');
  assert.equal(s.code, 0, s.stderr);
  assert.equal(s.stdout, 'stubborn did not stop within 1 s after SIGTERM: sent SIGKILL (killed by SIGKILL)\n');
  const j = await u.job(stubborn);
  assert.equal(j?.state, 'killed');
  assert.equal(j?.signal, 'SIGKILL');

  const hup = await runJob(u, '--name', 'hup', '--', 'sh', '-c', 'trap "echo got HUP; exit 4" HUP; echo ready; while :; do sleep 0.1; done');
  await u.waitJob(hup, (j2) => j2.log.bytes > 0);
  assert.equal((await u.cli('stop', hup, '--signal', 'HUP')).code, 0);
  const h = await u.job(hup);
  assert.equal(h?.exitCode, 4, 'the signal reached the program, which ended by itself');
  assert.match((await u.cli('logs', hup)).stdout, /got HUP/);
});

test('logs -f follows a growing log and ends with the job\'s exit status', async () => {
  const gate = join(u.home, 'gate');
  mkdirSync(gate);
  const go = join(gate, 'GO');
  const name = await runJob(u, '--name', 'grow', '--', 'sh', '-c', `echo first; while [ ! -e ${go} ]; do sleep 0.1; done; echo second; exit 7`);
  let out = '';
  let code: number | null = null;
  const child = execFile(process.execPath, [ROOST_BIN, 'logs', name, '-f'], { env: cliEnv({ home: u.home, socket: u.tmux.socket }), encoding: 'utf8' }, (err) => {
    code = err ? Number((err as NodeJS.ErrnoException).code) : 0;
  });
  child.stdout!.on('data', (d: string) => (out += d));
  await waitFor(() => out.includes('first\n'), 10_000, 'the first line while the job runs');
  assert.equal(code, null, 'still following');
  assert.equal((await u.job(name))?.state, 'running');
  writeFileSync(go, '');
  await waitFor(() => code !== null, 15_000, 'logs -f to end with the job');
  assert.equal(code, 7, 'the job\'s exit status');
  assert.equal(out, 'first\nsecond\n');

  // A finished job: -f prints and ends at once, with the same status; a killed one ends with 128+N.
  const again = await u.cli('logs', name, '-f');
  assert.equal(again.code, 7);
  const k = await runJob(u, '--name', 'termed', '--', 'sleep', '300');
  await u.waitJob(k, (j) => j.pid !== null);
  await u.cli('stop', k);
  assert.equal((await u.cli('logs', k, '-f')).code, 128 + 15);
});

test('the log cap keeps the newest output and says where it was cut', async () => {
  mkdirSync(join(u.home, '.config', 'roost'), { recursive: true });
  writeFileSync(join(u.home, '.config', 'roost', 'config.toml'), '[jobs]\nlog_max = "64KB"\n');
  const name = await runJob(u, '--name', 'chatty', '--', 'seq', '-f', 'line %g padded to be long enough to fill the log', '1', '20000');
  const j = await u.waitJob(name, 'exited');
  assert.equal(j.exitCode, 0);
  assert.ok(j.log.bytes <= 64_000, `kept ${j.log.bytes} bytes`);
  assert.ok(j.log.bytes >= 64_000 * 7 / 8 - 8192, `kept at least 7/8 of the cap: ${j.log.bytes}`);
  assert.ok(j.log.start > 0 && j.log.end === j.log.start + j.log.bytes);
  assert.ok(j.log.end > 20000 * 50, `all output counted: ${j.log.end}`);
  const text = (await u.cli('logs', name)).stdout.split('\n');
  // The cap cuts whole segments, not lines: the rest of a line whose beginning went is cut with it, and the marker counts it.
  const cut = /^\[roost: (\d+) bytes of older output were cut here to keep the log under its size limit\]$/.exec(text[0]!);
  assert.ok(cut, text[0]);
  const shown = Number(cut[1]);
  assert.ok(shown > j.log.start && shown <= j.log.start + 52, `cut at ${j.log.start}, text from ${shown}`);
  assert.match(text[1]!, /^line \d+ padded to be long enough to fill the log$/, 'the first line after the cut is whole');
  assert.equal(text.at(-2), 'line 20000 padded to be long enough to fill the log');
  // --raw keeps every byte kept (the marker on stderr says where they start).
  const raw = await u.cli('logs', name, '--raw');
  assert.equal(raw.stderr, `[roost: ${j.log.start} bytes of older output were cut here to keep the log under its size limit]\n`);
  assert.equal(Buffer.byteLength(raw.stdout), j.log.bytes);
  assert.equal((await u.cli('logs', name, '-n', '1')).stdout, 'line 20000 padded to be long enough to fill the log\n');
  const dir = join(u.stateDir, 'jobs', String(j.id));
  const segments = readdirSync(dir).filter((f) => f.endsWith('.log'));
  assert.ok(segments.length <= 8, `segments: ${segments.join(' ')}`);
  assert.ok(!existsSync(join(dir, '00000000000000000000.log')), 'the oldest output is gone');
});

test('a job that asks something: roost attach NAME reaches it like any session, and the answer ends it', async () => {
  const name = await runJob(u, '--name', 'asks', '--', 'sh', '-c', 'printf "Continue? [y/N] "; read answer; echo "answer: $answer"; exit 0');
  await u.waitJob(name, (j) => j.log.bytes > 0);
  assert.equal((await u.cli('logs', name)).stdout, 'Continue? [y/N]\n', 'the prompt, though it has no newline');
  const term = roostTerm(['attach', name], { home: u.home, socket: u.tmux.socket });
  await term.waitForText('Continue? [y/N]');
  term.write('y\r');
  const j = await u.waitJob(name, 'exited');
  assert.equal(j.exitCode, 0);
  assert.match((await u.cli('logs', name)).stdout, /^Continue\? \[y\/N\] y\nanswer: y\n$/);
  assert.equal(await detachByKeys(term, u.tmux.client), 0, 'attach ends after detaching');
});
