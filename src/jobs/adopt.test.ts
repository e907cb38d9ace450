import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adoptRefusal, type AdoptFacts } from './adopt.js';
import { parseStat } from './procfs.js';

const facts = (o: Partial<AdoptFacts> = {}): AdoptFacts => ({
  pid: 4242,
  stat: { pid: 4242, comm: 'python', state: 'S', ppid: 4000, pgrp: 4242, session: 4000, ttyNr: 34817, tpgid: 4242, startTime: 99 },
  uid: 1000, myUid: 1000, cmdline: ['python', 'train.py'], ancestors: [1, 2], groupMates: [], children: [], foreground: [], ptraceScope: 0, reptyr: true, job: null, ...o,
});

test('a lone process of mine on a terminal can be adopted', () => {
  assert.equal(adoptRefusal(facts()), null);
});

test('ptrace_scope: 1 and 2 refuse a non-root user with the sysctl to run; 3 refuses everyone', () => {
  assert.match(adoptRefusal(facts({ ptraceScope: 1 }))!, /^kernel\.yama\.ptrace_scope is 1: .* sudo sysctl kernel\.yama\.ptrace_scope=0 .* roost adopt 4242 again/);
  assert.match(adoptRefusal(facts({ ptraceScope: 2 }))!, /ptrace_scope is 2: .*\(or as root\)/);
  assert.equal(adoptRefusal(facts({ ptraceScope: 1, uid: 0, myUid: 0 })), null, 'root may trace');
  assert.match(adoptRefusal(facts({ ptraceScope: 3, uid: 0, myUid: 0 }))!, /ptrace_scope is 3/);
});

test('each refusal says why', () => {
  assert.match(adoptRefusal(facts({ stat: null, uid: null }))!, /^no process 4242/);
  assert.match(adoptRefusal(facts({ uid: 0 }))!, /belongs to another user \(uid 0, you are uid 1000\)/);
  assert.match(adoptRefusal(facts({ cmdline: [] }))!, /kernel thread/);
  assert.match(adoptRefusal(facts({ ancestors: [4242] }))!, /this roost or the shell it runs in/);
  assert.match(adoptRefusal(facts({ stat: { ...facts().stat!, ttyNr: 0 } }))!, /has no terminal/);
  assert.match(adoptRefusal(facts({ stat: { ...facts().stat!, state: 'Z' } }))!, /already exited/);
  assert.match(adoptRefusal(facts({ groupMates: [[4243, 'sleep']] }))!, /shares its process group with 1 other process \(4243 sleep\)/);
  assert.match(adoptRefusal(facts({ reptyr: false }))!, /reptyr is not installed \(Debian: sudo apt-get install reptyr/);
});

test('parseStat reads fields after the last ")" (a name may hold spaces and parentheses)', () => {
  const s = parseStat('4242 (my (odd) prog) S 1 4242 4000 34817 4250 4194304 0 0 0 0 0 0 0 0 20 0 1 0 99 1000 100');
  assert.deepEqual(s, { pid: 4242, comm: 'my (odd) prog', state: 'S', ppid: 1, pgrp: 4242, session: 4000, ttyNr: 34817, tpgid: 4250, startTime: 99 });
});

test('a process that is already a running job is refused, with the way to reach it', () => {
  assert.equal(adoptRefusal(facts({ job: 'train' })), 'process 4242 is already job train: roost attach train reaches it');
});

/** The shell 4000 (session leader, its own group) whose terminal's foreground is `tpgid`. */
const shell = (tpgid: number, o: Partial<AdoptFacts> = {}) => facts({
  pid: 4000, stat: { pid: 4000, comm: 'bash', state: 'S', ppid: 3999, pgrp: 4000, session: 4000, ttyNr: 34817, tpgid, startTime: 50 }, cmdline: ['bash'], ...o,
});

test('a shell running a program in the foreground is refused, naming the program to adopt (moving the shell would hang it up)', () => {
  assert.equal(
    adoptRefusal(shell(4242, { children: [[4242, 'python3']], foreground: [[4242, 'python3']] })),
    'process 4000 is a shell (bash) running 4242 (python3) in the foreground of its terminal: roost adopt 4242',
  );
  assert.match(
    adoptRefusal(shell(4242, { children: [[4242, 'python3'], [4243, 'tee']], foreground: [[4242, 'python3'], [4243, 'tee']] }))!,
    /^process 4000 is a shell \(bash\) running 2 processes \(4242 python3, 4243 tee\) in the foreground of its terminal: .* roost run$/,
  );
  // Its foreground group just changed hands: still not the shell to move.
  assert.match(adoptRefusal(shell(4242))!, /^process 4000 is a shell \(bash\) and process group 4242 has the foreground of its terminal/);
  // A shell in a shell (not the session leader) running its child in the foreground.
  const inner = shell(4242, { children: [[4242, 'python3']], foreground: [[4242, 'python3']] });
  assert.match(adoptRefusal({ ...inner, stat: { ...inner.stat!, session: 3000 } })!, /is a shell \(bash\) running 4242 \(python3\)/);
});

test('a stopped (Ctrl-Z) or background program leaves its shell the foreground and is adopted; its shell is refused for its child', () => {
  assert.equal(adoptRefusal(facts({ stat: { ...facts().stat!, state: 'T', tpgid: 4000 }, foreground: [[4000, 'bash']] })), null);
  assert.equal(adoptRefusal(facts({ stat: { ...facts().stat!, tpgid: 4000 }, foreground: [[4000, 'bash']] })), null);
  assert.equal(
    adoptRefusal(shell(4000, { children: [[4242, 'python3']] })),
    'process 4000 (bash) has 1 child process on its terminal (4242 python3), which would stay behind: reptyr can move only a lone process; adopt the program itself when it has no children, or stop it and start it again with roost run',
  );
});
