import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SnapshotStore, SnapshotWriteError, blobHash, BLOB_GRACE_MS, PIN_MS } from './store.js';
import type { SnapshotDraft } from './model.js';

function tempStore(): SnapshotStore {
  const dir = mkdtempSync(join(tmpdir(), 'roost-store-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return new SnapshotStore(join(dir, 'snapshots'));
}

function draft(name: string, text: string | null, socket = '/s'): SnapshotDraft {
  const scrollback = text === null ? null : { blob: blobHash(text), lines: text.split('\n').length, bytes: text.length };
  return {
    format: 1, createdAt: Date.now(), host: 'h', server: { socket, pid: 1, started: 1 }, lines: 2000,
    sessions: [{ name, kind: 'plain', created: 1, windows: [{ index: 0, name: 'w', autoName: true, active: true, zoomed: false, layout: 'b261,80x24,0,0,4',
      panes: [{ id: '%4', index: 0, active: true, cwd: '/', title: '', dead: false, program: null, agent: null, scrollback, activity: 1, historySize: 0, cursor: [0, 0], capturedAt: 2 }] }] }],
  };
}
const blobs = (...texts: string[]) => new Map(texts.map((t) => [blobHash(t), t]));

test('generations count up; files are private; blobs are shared and read back by hash', () => {
  const s = tempStore();
  assert.equal(s.write(draft('a', 'one\ntwo'), blobs('one\ntwo'), 5), 1);
  assert.equal(s.write(draft('b', 'one\ntwo'), blobs('one\ntwo'), 5), 2);
  assert.deepEqual(s.generations(), [2, 1]);
  assert.equal(s.latest().snapshot?.sessions[0]?.name, 'b');
  assert.deepEqual(s.blob(blobHash('one\ntwo')), { ok: true, text: 'one\ntwo' });
  assert.equal(readdirSync(s.blobDir).length, 1, 'one blob for both');
  assert.equal(statSync(s.dir).mode & 0o777, 0o700);
  assert.equal(statSync(s.fileOf(2)).mode & 0o777, 0o600);
  assert.deepEqual(s.blob('0'.repeat(64)), { ok: false, file: join(s.blobDir, `${'0'.repeat(64)}.gz`), problem: 'missing', detail: 'it is not there' });
});

test('a blob read back says what is wrong with its file: missing, empty, cut short, not gzip, not matching its hash', () => {
  const s = tempStore();
  const text = 'one\ntwo\n'.repeat(200);
  s.write(draft('a', text), blobs(text), 5);
  const hash = blobHash(text);
  const file = join(s.blobDir, `${hash}.gz`);
  const gz = gzipSync(text);
  const damaged = (detail: string) => ({ ok: false, file, problem: 'damaged', detail });
  writeFileSync(file, '');
  assert.deepEqual(s.blob(hash), damaged('it is empty'));
  writeFileSync(file, gz.subarray(0, gz.length >> 1));
  assert.deepEqual(s.blob(hash), damaged('not valid gzip (unexpected end of file)'));
  writeFileSync(file, text);
  assert.deepEqual(s.blob(hash), damaged('not valid gzip (incorrect header check)'));
  writeFileSync(file, gzipSync('other text'));
  assert.deepEqual(s.blob(hash), damaged('its text does not match its checksum'));
  rmSync(file);
  assert.deepEqual(s.blob(hash), { ok: false, file, problem: 'missing', detail: 'it is not there' });
});

test('a damaged or empty newest generation is skipped for the one before, saying why', () => {
  const s = tempStore();
  s.write(draft('good', null), new Map(), 5);
  s.write(draft('newer', null), new Map(), 5);
  writeFileSync(s.fileOf(2), '{"format": 1, "generation": 2, "sess');
  writeFileSync(s.fileOf(3), '');
  const l = s.latest();
  assert.equal(l.snapshot?.generation, 1);
  assert.deepEqual(l.skipped, [
    { generation: 3, problem: 'snapshot 3 is empty' },
    { generation: 2, problem: 'snapshot 2 is not valid JSON (damaged)' },
  ]);
  writeFileSync(s.fileOf(2), JSON.stringify({ ...draft('x', null), generation: 2, sessions: 'no' }));
  assert.match(s.list().find((g) => g.generation === 2)!.problem!, /^snapshot 2 is damaged \(sessions: /);
  // The next write goes after the damaged ones, never over them.
  assert.equal(s.write(draft('next', null), new Map(), 5), 4);
});

test('only the newest `keep` generations stay; blobs nobody names go after their grace time', () => {
  const s = tempStore();
  for (let i = 1; i <= 5; i++) s.write(draft(`s${i}`, `text ${i}`), blobs(`text ${i}`), 3);
  assert.deepEqual(s.generations(), [5, 4, 3]);
  // Blobs of generations 1 and 2 are unreferenced but fresh: kept (a writer may be about to name them).
  assert.equal(readdirSync(s.blobDir).length, 5);
  const old = new Date(Date.now() - BLOB_GRACE_MS - 60_000);
  for (const n of readdirSync(s.blobDir)) utimesSync(join(s.blobDir, n), old, old);
  s.prune(3);
  assert.deepEqual(readdirSync(s.blobDir).sort(), ['text 3', 'text 4', 'text 5'].map((t) => `${blobHash(t)}.gz`).sort());
});

test("each tmux server keeps its own newest `keep` generations: a busy server's never push another's out", () => {
  const s = tempStore();
  s.write(draft('main', 'main text', '/tmp/tmux-0/default'), blobs('main text'), 3);
  for (let i = 1; i <= 6; i++) s.write(draft(`w${i}`, `work ${i}`, '/tmp/tmux-0/work'), blobs(`work ${i}`), 3);
  assert.deepEqual(s.generations(), [7, 6, 5, 1]);
  assert.equal(s.latest('/tmp/tmux-0/default').snapshot?.sessions[0]?.name, 'main');
  const old = new Date(Date.now() - BLOB_GRACE_MS - 60_000);
  for (const n of readdirSync(s.blobDir)) utimesSync(join(s.blobDir, n), old, old);
  s.prune(3);
  assert.ok(s.blob(blobHash('main text')).ok, "the default server's scrollback stays with its snapshot");
  // A damaged generation belongs to no server: it goes once `keep` newer generations exist.
  writeFileSync(s.fileOf(8), '');
  s.write(draft('main2', null, '/tmp/tmux-0/default'), new Map(), 3);
  assert.deepEqual(s.generations(), [9, 8, 7, 6, 5, 1]);
  s.write(draft('w7', null, '/tmp/tmux-0/work'), new Map(), 3);
  s.write(draft('w8', null, '/tmp/tmux-0/work'), new Map(), 3);
  assert.deepEqual(s.generations(), [11, 10, 9, 7, 1]);
});

test("the newest snapshot of the server before a socket's current one stays past `keep`, with its blobs, until another server follows", () => {
  const s = tempStore();
  const run = (name: string, text: string | null, pid: number): SnapshotDraft => ({ ...draft(name, text), server: { socket: '/s', pid, started: pid } });
  s.write(run('a1', 'crashed 1', 100), blobs('crashed 1'), 2);
  s.write(run('a2', 'crashed 2', 100), blobs('crashed 2'), 2);
  // tmux crashed; the next server is snapshotted more than `keep` times.
  for (let i = 1; i <= 4; i++) s.write(run(`b${i}`, null, 200), new Map(), 2);
  assert.deepEqual(s.generations(), [6, 5, 2], 'the crashed server\'s newest (2) stays; its older one goes');
  assert.equal(s.latest('/s', (x) => x.server.pid !== 200).snapshot?.generation, 2);
  const old = new Date(Date.now() - BLOB_GRACE_MS - 60_000);
  for (const n of readdirSync(s.blobDir)) utimesSync(join(s.blobDir, n), old, old);
  s.prune(2);
  assert.ok(s.blob(blobHash('crashed 2')).ok, 'its scrollback stays with it');
  // Another server follows (a reboot): now 200's newest (6, within `keep`) is the one before it, and 100's goes.
  s.write(run('c1', null, 300), new Map(), 2);
  assert.deepEqual(s.generations(), [7, 6]);
});

test('a write that fails leaves every earlier generation as it was', () => {
  const s = tempStore();
  s.write(draft('keep', 'saved'), blobs('saved'), 5);
  // The blob folder replaced by a file: every new blob write fails (ENOTDIR), as a broken state folder would.
  rmSync(s.blobDir, { recursive: true });
  writeFileSync(s.blobDir, 'not a folder');
  assert.throws(() => s.write(draft('new', 'more'), blobs('more'), 5), (e: unknown) =>
    e instanceof SnapshotWriteError && /^cannot write a snapshot in .*: .*; the earlier snapshots are unchanged$/.test(e.message));
  assert.deepEqual(s.generations(), [1]);
  assert.equal(s.latest().snapshot?.sessions[0]?.name, 'keep');
  assert.deepEqual(readdirSync(s.dir).filter((n) => n.endsWith('.tmp')), [], 'no temporary file left');
});

test('a pinned generation stays past `keep`, with its blobs, counted for none, until its pin is PIN_MS old', () => {
  const s = tempStore();
  s.write(draft('a', 'pinned text'), blobs('pinned text'), 2);
  s.pin(1, 'named by a message');
  for (const n of ['b', 'c', 'd']) s.write(draft(n, null), new Map(), 2);
  assert.deepEqual(s.generations(), [4, 3, 1], 'the newest two and the pinned one');
  const until = s.list().find((g) => g.generation === 1)!.pinnedUntil;
  assert.ok(until !== null && Math.abs(until - (Date.now() + PIN_MS)) < 60_000, `pinned until ${until}`);
  assert.equal(s.list().find((g) => g.generation === 4)!.pinnedUntil, null);
  assert.equal(s.list(Date.now() + PIN_MS + 60_000).find((g) => g.generation === 1)!.pinnedUntil, null, 'a pin past its time keeps nothing');
  const hash = blobHash('pinned text');
  s.prune(2, Date.now() + BLOB_GRACE_MS * 2);
  assert.deepEqual(s.blob(hash), { ok: true, text: 'pinned text' }, 'its scrollback is kept with it');
  s.prune(2, Date.now() + PIN_MS + 60_000);
  assert.deepEqual(s.generations(), [4, 3]);
  assert.deepEqual(readdirSync(s.dir).filter((n) => n.startsWith('pin-')), [], 'the pin went with it');
});
