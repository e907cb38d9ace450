import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, ConfigError, configReader, silenceFor } from './config.js';

test('an empty file gives defaults', () => {
  const c = parseConfig('');
  assert.equal(c.silence, 20);
  assert.deepEqual(c.sessions, {});
  assert.equal(c.server.port, 7373);
});

test('a template with windows', () => {
  const c = parseConfig(`silence = 30
[sessions.main]
cwd = "~/w"
silence = 5
[[sessions.main.windows]]
name = "claude"
command = "claude"
[[sessions.main.windows]]
name = "logs"
command = ["journalctl", "-f"]
`);
  assert.equal(c.sessions['main']!.windows!.length, 2);
  assert.equal(silenceFor(c, 'main'), 5);
  assert.equal(silenceFor(c, 'other'), 30);
});

test('errors name the key and the line', () => {
  const text = `[sessions.main]
[[sessions.main.windows]]
name = "ok"
[[sessions.main.windows]]
name = "bad name"
`;
  assert.throws(() => parseConfig(text, 'c.toml'), (e: unknown) => e instanceof ConfigError && e.message.startsWith('c.toml:5: sessions.main.windows[1].name:'));
  assert.throws(() => parseConfig('silence = "x"\n', 'c.toml'), /c\.toml:1: silence:/);
  assert.throws(() => parseConfig('\nsilense = 3\n', 'c.toml'), /c\.toml:2: silense: unknown key/);
  assert.throws(() => parseConfig('[sessions.main\n', 'c.toml'), /^ConfigError: c\.toml:1:|c\.toml:1:/);
  assert.throws(() => parseConfig('[sessions."a:b"]\n', 'c.toml'), /sessions/);
});

test('[node] and its profiles: defaults, and errors that name the key', () => {
  const c = parseConfig('[node]\ntime = "8:00:00"\n[node.profiles.gpu]\npartition = "gpu"\ngpus = "a100:2"\nlauncher = "sinteractive -g 1"\nwarn_minutes = [60, 10]\n');
  assert.equal(c.node.name, 'node');
  assert.equal(c.node.poll_seconds, 30);
  assert.equal(c.node.time, '8:00:00');
  assert.deepEqual(c.node.profiles['gpu'], { partition: 'gpu', gpus: 'a100:2', launcher: 'sinteractive -g 1', warn_minutes: [60, 10] });
  const bad: [string, RegExp][] = [
    ['[node.profiles.gpu]\ntime = "xyz"', /^config\.toml:2: node\.profiles\.gpu\.time: use minutes/],
    ['[node]\nprofile = "nope"', /^config\.toml:2: node\.profile: names no profile/],
    ['[node.profiles.gpu]\nbogus = 1', /^config\.toml:2: node\.profiles\.gpu\.bogus: unknown key/],
    ['[node]\nargs = ["exclusive"]', /^config\.toml:2: node\.args\[0\]: each element is one option/],
    ['[node]\nmem = "lots"', /node\.mem: a size/],
    ['[node]\npartition = "-p"', /node\.partition: one line, not starting with "-"/],
    ['[node.profiles."a b"]\ncpus = 2', /node\.profiles/],
    ['[node]\npoll_seconds = 0', /node\.poll_seconds/],
  ];
  for (const [text, re] of bad) assert.throws(() => parseConfig(text), (e: unknown) => e instanceof ConfigError && re.test(e.message), text);
});

test('[restore]: defaults, and errors that name the key', () => {
  const c = parseConfig('');
  assert.deepEqual({ ...c.restore, agents: undefined }, { auto: true, lines: 2000, keep: 20, interval: 300, relaunch: [], never: [], agents: undefined });
  assert.equal(parseConfig('[restore]\nauto = false\nlines = 500\n').restore.lines, 500);
  assert.throws(() => parseConfig('[restore]\nlines = -1\n', 'c.toml'), /c\.toml:2: restore\.lines:/);
  assert.throws(() => parseConfig('[restore]\nkeep = 1\n', 'c.toml'), /c\.toml:2: restore\.keep:/);
  assert.throws(() => parseConfig('[restore]\nrelaunch = ["rm -rf"]\n', 'c.toml'), /restore\.relaunch\[0\]: a program name/);
  assert.throws(() => parseConfig('[restore]\nauto = "yes"\n', 'c.toml'), /c\.toml:2: restore\.auto:/);
  assert.throws(() => parseConfig('[restore.agents.claude]\nresume = ["claude"]\n', 'c.toml'), /restore\.agents\.claude\.resume: must contain "\{id\}"/);
  assert.throws(() => parseConfig('[restore.agents.claude]\notherwise = "run"\n', 'c.toml'), /restore\.agents\.claude\.otherwise:/);
  assert.throws(() => parseConfig('[restore]\nautomatic = true\n', 'c.toml'), /c\.toml:2: restore\.automatic: unknown key/);
});

test('configReader: the file is read again only when it changed, and every change is seen', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'roost-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.toml');
  const read = configReader(file);
  // No file: the defaults, the same object while nothing changed.
  const none = read();
  assert.equal(none.silence, 20);
  assert.equal(read(), none, 'not read again');
  writeFileSync(file, 'silence = 5\n');
  const five = read();
  assert.equal(five.silence, 5);
  assert.equal(read(), five, 'not read again');
  assert.throws(() => ((five as { silence: number }).silence = 6), TypeError, 'shared, so frozen');
  // The same size, written again: a new modification time.
  writeFileSync(file, 'silence = 7\n');
  assert.equal(read().silence, 7);
  // Replaced by a rename, as editors save: a new inode.
  writeFileSync(join(dir, 'new.toml'), 'silence = 9\n');
  renameSync(join(dir, 'new.toml'), file);
  assert.equal(read().silence, 9);
  // A broken file: the same error until it is fixed.
  writeFileSync(file, 'silence = "x"\n');
  let first: unknown;
  assert.throws(() => read(), (e: unknown) => (first = e) instanceof ConfigError);
  assert.throws(() => read(), (e: unknown) => e === first, 'not read again');
  rmSync(file);
  assert.equal(read().silence, 20);
});

test('configReader for the daemon: a file that breaks after it loaded keeps the last good config, and the error is heard once', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'roost-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.toml');
  const heard: unknown[] = [];
  const read = configReader(file, { keepLastGood: (e) => heard.push(e) });
  writeFileSync(file, 'silence = 5\n');
  assert.equal(read().silence, 5);
  writeFileSync(file, 'silence = 5\n[schedules."bad name"]\ncron = "* * * * *"\ncommand = ["true"]\n');
  assert.equal(read().silence, 5, 'the last good config');
  assert.equal(read().silence, 5);
  assert.equal(heard.length, 1);
  assert.ok(heard[0] instanceof ConfigError);
  writeFileSync(file, 'silence = 7\n');
  assert.equal(read().silence, 7, 'fixed: read again');
  // A folder in its place is no typo: an error, naming the file.
  rmSync(file);
  mkdirSync(file);
  assert.throws(() => read(), /^Error: cannot read \S+config\.toml: EISDIR/);
  rmSync(file, { recursive: true });
  // Broken from the start: nothing good to keep, so the error.
  writeFileSync(file, 'silence = "x"\n');
  assert.throws(() => configReader(file, { keepLastGood: () => undefined })(), ConfigError);
});

test('a command that runs no schedule leaves a bad [schedules.NAME] out, told; any other bad table still refuses the file', () => {
  const text = '[jobs]\nretention_days = 3\n\n[schedules.bad]\ncron = "99 * * * *"\ncommand = ["true"]\n\n[schedules.good]\ncron = "@daily"\ncommand = ["true"]\n\n[schedules.worse]\ncommand = []\n';
  assert.throws(() => parseConfig(text, 'c.toml'), /^ConfigError: c\.toml:5: schedules\.bad\.cron: the minute field "99"/, 'whole, as roost schedule and the daemon read it');
  const told: string[] = [];
  const c = parseConfig(text, 'c.toml', { skipBadSchedules: (p) => told.push(p) });
  assert.deepEqual(Object.keys(c.schedules), ['good']);
  assert.equal(c.jobs.retention_days, 3, 'the rest as written');
  assert.equal(told.length, 2);
  assert.match(told[0]!, /^c\.toml:5: schedules\.bad\.cron: the minute field "99" is out of range/);
  assert.match(told[1]!, /^c\.toml:1[23]: schedules\.worse\.(cron|command): /);
  const other = '[jobs]\nretention_days = "many"\n\n[schedules.bad]\ncron = "99 * * * *"\ncommand = ["true"]\n';
  assert.throws(() => parseConfig(other, 'c.toml', { skipBadSchedules: () => undefined }), /^ConfigError: c\.toml:2: jobs\.retention_days/, 'a table that decides what the command does must check');
});
