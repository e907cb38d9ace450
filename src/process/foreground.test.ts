import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { panesAtPrompt } from './foreground.js';

/** A stand-in /proc with one process per entry: its stat (the shell leads its terminal's foreground group) and its command line. */
function procFolder(processes: Record<number, { comm: string; argv: string[] }>): string {
  const root = mkdtempSync(join(tmpdir(), 'roost-proc-'));
  for (const [pid, p] of Object.entries(processes)) {
    mkdirSync(join(root, pid));
    // pid (comm) state ppid pgrp session tty_nr tpgid ...
    writeFileSync(join(root, pid, 'stat'), `${pid} (${p.comm}) S 1 ${pid} ${pid} 34816 ${pid} 4194560 0 0 0 0\n`);
    writeFileSync(join(root, pid, 'cmdline'), p.argv.map((a) => `${a}\0`).join(''));
  }
  return root;
}

test('a command line longer than the first read is read to its end: an argument far out still counts', async (t) => {
  const options = Array.from({ length: 2000 }, () => '--norc');
  const root = procFolder({
    10: { comm: 'bash', argv: ['bash', ...options] },
    11: { comm: 'bash', argv: ['bash', ...options, 'build.sh'] },
    12: { comm: 'bash', argv: ['-bash'] },
  });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const panes = [10, 11, 12, 13].map((pid) => ({ id: `%${pid}`, pid, command: 'bash' }));
  assert.deepEqual([...(await panesAtPrompt(panes, { procRoot: root, noProc: false }))].sort(), ['%10', '%12']);
});

test('many panes: every one is looked at (the reads are batched)', async (t) => {
  const processes: Record<number, { comm: string; argv: string[] }> = {};
  for (let pid = 100; pid < 350; pid++) processes[pid] = pid % 2 ? { comm: 'sh', argv: ['sh'] } : { comm: 'sh', argv: ['sh', '-c', 'sleep 9'] };
  const root = procFolder(processes);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const panes = Object.keys(processes).map((pid) => ({ id: `%${pid}`, pid: Number(pid), command: 'sh' }));
  const at = await panesAtPrompt(panes, { procRoot: root, noProc: false });
  assert.equal(at.size, 125);
  assert.ok([...at].every((id) => Number(id.slice(1)) % 2 === 1));
});
