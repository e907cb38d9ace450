import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogWriter, segmentFile } from './log-writer.js';
import { chunks, lineStartFrom, logExtent, readRange, tailStart, timeAt, timeMarks } from './log-reader.js';

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'roost-log-'));
  after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const all = (d: string) => Buffer.concat([...chunks(d, logExtent(d).start)].map((r) => r.data)).toString();

test('under the cap: one file of everything, offsets from 0, files 0600', () => {
  const d = dir();
  const w = new LogWriter({ dir: d, maxBytes: 1_000_000 });
  w.write(Buffer.from('hello\n'));
  w.write(Buffer.from('world\n'));
  w.close();
  assert.deepEqual(readdirSync(d).sort(), [segmentFile(0).replace('.log', '.idx'), segmentFile(0)]);
  assert.equal(statSync(join(d, segmentFile(0))).mode & 0o777, 0o600);
  assert.deepEqual(logExtent(d), { start: 0, end: 12, bytes: 12 });
  assert.equal(all(d), 'hello\nworld\n');
  assert.equal(readRange(d, 6, 100, 3).data.toString(), 'wor');
});

test('over the cap: the oldest segments go whole, the newest 7/8 to 8/8 of the cap stay, offsets keep counting', () => {
  const d = dir();
  const cap = 64_000;
  const w = new LogWriter({ dir: d, maxBytes: cap });
  let text = '';
  for (let i = 0; i < 20_000; i++) {
    const line = `line ${i}\n`;
    text += line;
    w.write(Buffer.from(line));
  }
  w.close();
  const e = logExtent(d);
  assert.equal(e.end, text.length, 'every byte counted');
  assert.ok(e.bytes <= cap && e.bytes >= (cap * 7) / 8, `kept ${e.bytes}`);
  assert.equal(e.start, text.length - e.bytes);
  assert.equal(all(d), text.slice(e.start), 'what is kept is exactly the newest output');
  assert.ok(readdirSync(d).filter((f) => f.endsWith('.log')).length <= 9);
  // A range from before the cut starts at the first kept byte and says so.
  const r = readRange(d, 0, e.start + 10, 1000);
  assert.equal(r.from, e.start);
  assert.equal(r.data.toString(), text.slice(e.start, e.start + 10));
});

test('tailStart finds the last N lines from the end, across segments; lineStartFrom aligns a page', () => {
  const d = dir();
  const w = new LogWriter({ dir: d, maxBytes: 64_000 });
  let text = '';
  for (let i = 0; i < 3000; i++) {
    text += `row ${i}\n`;
    w.write(Buffer.from(`row ${i}\n`));
  }
  w.write(Buffer.from('partial'));
  w.close();
  text += 'partial';
  const end = logExtent(d).end;
  assert.equal(readRange(d, tailStart(d, 1), end, 1e6).data.toString(), 'partial');
  assert.equal(readRange(d, tailStart(d, 3), end, 1e6).data.toString(), 'row 2998\nrow 2999\npartial');
  const start = logExtent(d).start;
  assert.equal(tailStart(d, 1e9), start, 'more lines than kept: from the first kept byte');
  const mid = end - 100;
  const aligned = lineStartFrom(d, mid, end);
  assert.equal(text[aligned - 1], '\n');
  assert.ok(aligned >= mid && aligned - mid < 10);
});

test('time marks date each offset to the second, one mark per new second and per segment', () => {
  const d = dir();
  let now = 1_000_000_000_000;
  const w = new LogWriter({ dir: d, maxBytes: 1_000_000, now: () => now });
  w.write(Buffer.from('a\n'));
  now += 300;
  w.write(Buffer.from('b\n'));
  now += 1000;
  w.write(Buffer.from('c\n'));
  w.close();
  const marks = timeMarks(d);
  assert.deepEqual(marks, [{ offset: 0, at: 1_000_000_000_000 }, { offset: 4, at: 1_000_000_001_300 }]);
  assert.equal(timeAt(marks, 2), 1_000_000_000_000, 'b came in the same second as a');
  assert.equal(timeAt(marks, 4), 1_000_000_001_300);
});

test('a full disk stops the log instead of throwing (the job must go on): what was written stays, the rest is dropped', () => {
  const d = dir();
  // The kernel's own full disk: every write to /dev/full fails with ENOSPC.
  const w = new LogWriter({ dir: d, maxBytes: 8 * 4096 });
  w.write(Buffer.from('kept\n'));
  w.close();
  const full = new LogWriter({ dir: d, maxBytes: 8 * 4096 });
  full.end = 5;
  symlinkSync('/dev/full', join(d, segmentFile(5)));
  assert.doesNotThrow(() => full.write(Buffer.from('lost\n')));
  assert.equal(full.failed?.code, 'ENOSPC');
  assert.doesNotThrow(() => full.write(Buffer.from('more\n')), 'later output is dropped quietly');
  assert.equal(full.end, 5, 'nothing counted as written');
  assert.doesNotThrow(() => full.close());
  assert.equal(readFileSync(join(d, segmentFile(0)), 'utf8'), 'kept\n');
});
